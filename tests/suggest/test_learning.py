"""Learning: the penalised likelihood, its gradient, the optimum, and the pull to the codebook."""

from __future__ import annotations

import numpy as np
import pytest
from tiny_study import code_paragraphs

from qualcode.suggest import Suggester
from qualcode.suggest.learning import MIN_PASSAGES, Examples, _Problem, fit
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
    """The learning problem, and the lemma numbers it has weights for (as `fit` chooses them)."""
    present = np.bincount(examples.features.lemma_id, minlength=len(suggester.vocabulary))
    present[0] = 0
    columns = np.flatnonzero(present >= MIN_PASSAGES)
    return _Problem(examples, prior, columns), columns


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
    assert model.bias == pytest.approx(prior.bias)
    assert model.keyword_weights == pytest.approx(prior.keyword_weights)
    assert np.abs(model.lemma_weights).max() == pytest.approx(0.0, abs=1e-9)


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
