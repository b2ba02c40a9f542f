"""Learning: the penalised likelihood, its gradient, the optimum, the pull to the codebook, and
which passages and codes there is evidence about."""

from __future__ import annotations

import numpy as np
import pytest
from tiny_study import code_paragraphs, decide

from qualcode.suggest import Suggester
from qualcode.suggest.learning import (
    MIN_EVIDENCE,
    MIN_PASSAGES,
    MIN_READ,
    Examples,
    _Problem,
    codes_to_learn,
    fit,
)
from qualcode.suggest.training import build_examples, resolve_sources


@pytest.fixture(params=["codings", "with a negative keyword"])
def setting(request, tiny_study):
    if request.param != "codings":  # t4 opens with «Vi tar avstand fra slike metoder.»
        code_paragraphs(tiny_study, "ann", {"t4": [(1, "coffee")]})
    suggester = Suggester(tiny_study, learn_from=[])
    sources = resolve_sources(tiny_study, ["ann"])
    prior = suggester.codebook_model(extra_codes=sources[0].codes())
    examples = build_examples(suggester, sources, prior.codes)
    assert (examples.features.masked_lemma.size > 0) == (request.param != "codings")
    return suggester, prior, examples


def problem_of(suggester, prior, examples) -> tuple[_Problem, np.ndarray]:
    """The learning problem, and the lemma numbers it has weights for (as `fit` sets them up)."""
    present = np.bincount(examples.features.lemma_id, minlength=len(suggester.vocabulary))
    present[0] = 0
    columns = np.flatnonzero(present >= MIN_PASSAGES)
    return _Problem(examples.without(~codes_to_learn(examples)), prior, columns), columns


def test_the_gradient_is_the_derivative_of_the_loss(setting):
    problem, _ = problem_of(*setting)
    rng = np.random.default_rng(7)
    theta = problem.start() + rng.normal(0.0, 0.5, problem.start().shape)
    _, gradient = problem(theta)
    assert problem.f > 0 and theta.shape[0] == problem.c + problem.e + problem.f * problem.c
    assert (problem.masked.nnz > 0) == bool(examples_with_negatives(setting))
    for i in range(theta.shape[0]):
        step = np.zeros_like(theta)
        step[i] = 1e-6
        numeric = (problem(theta + step)[0] - problem(theta - step)[0]) / 2e-6
        assert gradient[i] == pytest.approx(numeric, rel=1e-4, abs=1e-6)


def examples_with_negatives(setting) -> int:
    """How many (passage, code, lemma) cells of the examples a negative keyword masks."""
    return int(setting[2].features.masked_lemma.size)


def test_learning_finds_the_minimum(setting):
    suggester, prior, examples = setting
    model = fit(examples, prior, len(suggester.vocabulary), ["ann"])
    problem, columns = problem_of(suggester, prior, examples)
    others = np.setdiff1d(np.arange(len(suggester.vocabulary)), columns)
    assert columns.size and not model.lemma_weights[others].any()  # lemmas seen once: no weight
    learned = np.concatenate(
        [model.bias, model.keyword_weights, model.lemma_weights[columns].ravel()]
    )
    value, gradient = problem(learned)
    start_value, start_gradient = problem(problem.start())
    assert value < start_value
    assert np.abs(gradient).max() < 1e-3 * np.abs(start_gradient).max()


def test_without_evidence_the_model_is_the_codebook(setting):
    suggester, prior, examples = setting
    silent = Examples(examples.features, examples.labels, np.zeros_like(examples.weights))
    model = fit(silent, prior, len(suggester.vocabulary), ["nobody"])
    assert not model.learned and model.learned_codes == []
    assert model.bias == pytest.approx(prior.bias)
    assert model.keyword_weights == pytest.approx(prior.keyword_weights)


def test_keywords_are_pulled_towards_their_codebook_weight(setting):
    suggester, prior, examples = setting
    model = fit(examples, prior, len(suggester.vocabulary), ["ann"])
    index = suggester.index("nb")
    seen = set(examples.features.keyword_entry.tolist())
    unseen = [e.id for e in index.entries if e.id not in seen and prior.entry_code[e.id] >= 0]
    never = next(e for e in index.entries if e.term == "mil")
    assert never.id in unseen
    # No passage has `mil`: its weight stays exactly what the codebook says, not 0.
    assert model.keyword_weights[never.id] == pytest.approx(prior.keyword_weights[never.id])
    assert prior.keyword_weights[never.id] > 0
    assert model.keyword_weights[unseen] == pytest.approx(prior.keyword_weights[unseen])
    # Coffee has no keywords at all: everything it knows it learned from the coded passages.
    coffee = model.codes.index("coffee")
    kaffemaskin = suggester.vocabulary.ids["kaffemaskin"]
    assert model.lemma_weights[kaffemaskin, coffee] > 0.5


def examples_of(study, coders: list[str]):
    suggester = Suggester(study, learn_from=[])
    sources = resolve_sources(study, coders)
    prior = suggester.codebook_model(extra_codes=set().union(*(s.codes() for s in sources)))
    return suggester, prior, build_examples(suggester, sources, prior.codes)


def test_only_the_passages_a_coder_has_been_through_are_examples(tiny_study):
    # Ann coded paragraphs 0 and 1 of t1, t2 and t3; the weather talk after them she has not
    # decided about yet. Cat coded only the last paragraph of t4: she has read all of it.
    code_paragraphs(tiny_study, "cat", {"t4": [(2, "cog")]})
    _, prior, ann = examples_of(tiny_study, ["ann"])
    assert len(ann) == ann.read == 6
    _, prior, cat = examples_of(tiny_study, ["cat"])
    assert len(cat) == cat.read == 3
    cog = prior.codes.index("cog")
    assert cat.labels[:, cog].tolist() == [0.0, 0.0, 1.0]


def test_a_passage_is_labelled_by_the_coders_who_have_been_through_it(tiny_study):
    code_paragraphs(tiny_study, "cat", {"t1": [(2, "cog")]})
    _, prior, both = examples_of(tiny_study, ["ann", "cat"])
    geo, cog = prior.codes.index("geo"), prior.codes.index("cog")
    t1 = both.labels[:3]  # t1 comes first: its three paragraphs, the last one read by cat alone
    assert t1[:, geo].tolist() == [0.5, 0.0, 0.0]  # ann gave it geo, cat did not
    assert t1[:, cog].tolist() == [0.0, 0.0, 1.0]  # only cat has read the weather talk


def test_a_code_is_learned_only_with_enough_evidence(tiny_study):
    suggester, prior, examples = examples_of(tiny_study, ["ann"])
    model = fit(examples, prior, len(suggester.vocabulary), ["ann"])
    assert model.learned_codes == ["coffee"]  # coded in 3 passages; geo in 2, cog in 1
    for code in ("geo", "cog"):
        column = prior.codes.index(code)
        entries = prior.entry_code == column
        assert model.bias[column] == prior.bias[column]
        assert model.keyword_weights[entries].tolist() == prior.keyword_weights[entries].tolist()
        assert not model.lemma_weights[:, column].any()
    coffee = prior.codes.index("coffee")
    assert model.bias[coffee] != prior.bias[coffee]


def test_an_accept_that_repeats_a_coding_is_not_counted_twice(tiny_study):
    # Accepting in the workbench codes the passage and remembers the accept: one passage.
    with tiny_study.store("cat", create=True) as store:
        for tid in ("t1", "t3"):
            transcript = tiny_study.transcript(tid)
            p = transcript.paragraphs[0]
            store.accept_suggestion(transcript, p.start, p.end, "geo")
    _, prior, examples = examples_of(tiny_study, ["cat"])
    assert examples.evidence[:, prior.codes.index("geo")].sum() == 2
    assert not codes_to_learn(examples).any()
    decide(tiny_study, "cat", "t2", 0, "geo", "reject")  # a decision of its own: a third
    _, prior, examples = examples_of(tiny_study, ["cat"])
    assert codes_to_learn(examples).tolist() == [code == "geo" for code in prior.codes]


def test_after_many_passages_every_code_is_learned(demo_study):
    # Jonas has been through more than MIN_READ passages: a code he has hardly used is rare
    # in his coding, and is learned as such.
    suggester, prior, examples = examples_of(demo_study, ["jonas"])
    assert examples.read >= MIN_READ
    used = examples.evidence.sum(axis=0)
    assert (used < MIN_EVIDENCE).any()
    model = fit(examples, prior, len(suggester.vocabulary), ["jonas"])
    assert model.learned_codes == prior.codes
