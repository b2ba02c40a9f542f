"""Evaluation figures, checked on cases small enough to count by hand."""

from __future__ import annotations

import numpy as np
import pytest
from tiny_study import code_paragraphs, decide

from qualcode.errors import StoreError, SuggestError
from qualcode.suggest import Suggester
from qualcode.suggest.evaluation import Counts, Evaluation, Result, evaluate, predict
from qualcode.suggest.learning import covers, label_spans
from qualcode.suggest.training import Source, read_source, train


def test_precision_recall_f1_by_hand():
    # 4 passages, codes a and b.
    gold = np.array([[1, 0], [1, 1], [0, 0], [0, 1]], float)
    chosen = np.array([[1, 0], [0, 1], [1, 0], [0, 0]], float)
    result = Result("model")
    result.count(chosen, gold, ["a", "b"])
    a, b = result.per_code["a"], result.per_code["b"]
    assert (a.tp, a.fp, a.fn) == (1, 1, 1)
    assert (b.tp, b.fp, b.fn) == (1, 0, 1)
    assert a.precision == 0.5 and a.recall == 0.5 and a.f1 == 0.5
    assert b.precision == 1.0 and b.recall == 0.5 and b.f1 == pytest.approx(2 / 3)
    overall = result.overall
    assert (overall.tp, overall.fp, overall.fn) == (2, 1, 2)
    assert overall.precision == pytest.approx(2 / 3)
    assert overall.recall == pytest.approx(0.5)
    assert overall.f1 == pytest.approx(4 / 7)
    assert result.macro_f1(["a", "b"]) == pytest.approx((0.5 + 2 / 3) / 2)


def test_empty_counts_are_zero_not_an_error():
    assert Counts().precision == Counts().recall == Counts().f1 == 0.0


def test_top_suggestions_above_the_floor_are_counted():
    scores = np.array([[0.9, 0.6, 0.2], [0.1, 0.2, 0.3], [0.5, 0.7, 0.8]])
    assert predict(scores, top=2, min_score=0.35).tolist() == [
        [1, 1, 0],
        [0, 0, 0],
        [0, 1, 1],
    ]
    assert predict(scores, top=1, min_score=0.35).tolist() == [[1, 0, 0], [0, 0, 0], [0, 0, 1]]


def test_a_coding_counts_for_a_passage_when_half_of_either_overlaps():
    assert covers((0, 100), (10, 20))  # a short coding inside a paragraph
    assert covers((0, 100), (40, 160))  # more than half of the paragraph
    assert not covers((0, 100), (90, 300))  # a small tail of a long coding
    labels = label_spans([(0, 10), (12, 30)], [(2, 8, 1), (11, 40, 0)], 2)
    assert labels.tolist() == [[0, 1], [1, 0]]


def test_evaluate_on_a_tiny_study(tiny_study):
    # Ann has coded the first two paragraphs of t1, t2 and t3: the weather talk after them is
    # text she has not been through, so it is neither learned from nor counted.
    result = evaluate(tiny_study, "ann", folds=3)
    assert result.folds == 3 and result.transcripts == 3
    assert result.passages == 6 and result.coded_passages == 6
    names = [r.name for r in result.results]
    assert names == ["model", "keywords", "most common code"]
    common = result.results[2]
    # Folds hold out t1, t2, t3 in turn. Without t2, geo and coffee tie (2 each) and the code
    # first in the codebook wins.
    assert result.most_common == ["coffee", "geo", "coffee"]
    coffee, geo = common.per_code["coffee"], common.per_code["geo"]
    assert (coffee.tp, coffee.fp, coffee.fn) == (2, 2, 1)
    assert (geo.tp, geo.fp, geo.fn) == (0, 2, 2)
    # Two transcripts to learn from hold at most two passages of any code: too little to learn
    # from, so each fold's model is the codebook's, as a coder would be shown it.
    model, keywords = result.results[0], result.results[1]
    assert model.per_code == keywords.per_code
    assert keywords.per_code["geo"].tp == 2  # avstand / få tak i, and sentralbord
    data = result.to_dict()
    assert set(data["methods"]) == {"model", "keywords", "most common code"}
    assert data["methods"]["model"]["overall"]["f1"] == pytest.approx(model.overall.f1, abs=1e-4)
    assert data["notes"] == []


def test_learning_finds_what_the_keywords_cannot(tiny_study):
    code_paragraphs(tiny_study, "ann", {"t4": [(1, "coffee")]})
    result = evaluate(tiny_study, "ann", folds=4)
    # t4's «Vi tar avstand fra slike metoder.» comes before Ann's coding there: she has read
    # it and not coded it.
    assert result.passages == 8 and result.coded_passages == 7
    model, keywords = result.results[0], result.results[1]
    # Coffee has no keywords, and every coffee passage has the word «kaffemaskin»: learning
    # from three transcripts finds it in the fourth, which the keywords alone never can.
    assert (keywords.per_code["coffee"].tp, keywords.per_code["coffee"].fn) == (0, 4)
    assert (model.per_code["coffee"].tp, model.per_code["coffee"].fp) == (4, 0)
    assert model.overall.f1 > keywords.overall.f1
    assert model.macro_f1() > keywords.macro_f1()


def test_on_the_demo_learning_is_more_precise_than_the_keywords(demo_study):
    suggester = Suggester(demo_study, learn_from=[])
    for coder in ("ingrid", "jonas"):
        model, keywords, common = evaluate(demo_study, coder, suggester=suggester).results
        assert model.overall.precision > 1.5 * keywords.overall.precision
        assert model.overall.f1 > keywords.overall.f1 > common.overall.f1


def test_codes_suggested_but_never_used_count_against_a_method():
    gold = np.array([[1, 0], [0, 0], [1, 0]], float)
    keywords = Result("keywords")
    keywords.count(np.array([[1, 1], [0, 1], [1, 0]], float), gold, ["used", "never used"])
    careful = Result("model")
    careful.count(np.array([[1, 0], [0, 0], [0, 0]], float), gold, ["used", "never used"])
    assert keywords.codes == ["used", "never used"] and careful.codes == ["used"]
    assert keywords.macro_f1() == pytest.approx((1.0 + 0.0) / 2)  # its wrong code counts
    assert careful.macro_f1() == pytest.approx(2 / 3)  # F1 of `used`: p 1, r 0.5
    evaluation = Evaluation("ann", 2, "paragraph", 2, 0.35, 2, 3, 2, [careful, keywords], ["used"])
    assert evaluation.codes == ["used", "never used"]
    assert evaluation.coded("never used") == 0
    listed = evaluation.to_dict()["methods"]
    assert listed["keywords"]["per_code"]["never used"]["fp"] == 2
    assert sum(c["fp"] for c in listed["keywords"]["per_code"].values()) == keywords.overall.fp


def test_a_folds_codings_and_decisions_are_kept_out_of_its_training(tiny_study):
    decide(tiny_study, "ann", "t2", 2, "geo", "accept", times=4)  # held out below
    decide(tiny_study, "ann", "t1", 2, "cog", "reject", times=3)  # trained on
    suggester = Suggester(tiny_study, learn_from=[])
    source = read_source(tiny_study, "ann")
    training = {"t1", "t3"}
    model = train(suggester, [source], transcripts=training)
    assert model.learned_from == ["ann", "decisions"]
    assert model.learned_codes == ["cog"]  # rejected three times; geo and coffee coded twice
    stripped = Source(
        "ann",
        {t: spans for t, spans in source.codings.items() if t != "t2"},
        [d for d in source.decisions if d[0] != "t2"],
    )
    same = train(suggester, [stripped])
    assert model.codes == same.codes
    assert model.lemma_weights == pytest.approx(same.lemma_weights)
    assert model.bias == pytest.approx(same.bias)
    everything = train(suggester, [source])
    assert not np.allclose(everything.bias, model.bias)  # t2 does change what is learned


def test_evaluate_explains_bad_input(tiny_study):
    with pytest.raises(SuggestError, match="needs at least 2"):
        evaluate(tiny_study, "bob")
    with pytest.raises(StoreError):
        evaluate(tiny_study, "nobody")
