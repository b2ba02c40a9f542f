"""The consensus layer: agreed codings copied, decisions kept and re-applied, coders untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from agreement_study import COG, GEO, STR

from qualcode.agreement.compare import compare
from qualcode.agreement.consensus import build_consensus, outcome, reopen, settle
from qualcode.agreement.disagreements import find_disagreements
from qualcode.errors import AgreementError


def layer(study) -> set[tuple[str, int, int, str]]:
    with study.store("consensus") as store:
        return {(c.transcript, c.start, c.end, c.code) for c in store.codings()}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_building_copies_agreed_codings_and_lists_the_open_ones(tiny) -> None:
    before = {c: digest(tiny.coder_path(c)) for c in ("ingrid", "jonas")}
    summary = build_consensus(tiny, ["ingrid", "jonas"])
    assert (summary.agreed, summary.settled, len(summary.open)) == (1, 0, 3)
    assert summary.added == 1
    assert layer(tiny) == {("t2", 0, 30, GEO)}
    assert "consensus" in tiny.coders(include_consensus=True)
    assert {c: digest(tiny.coder_path(c)) for c in ("ingrid", "jonas")} == before
    again = build_consensus(tiny)  # the coders it was made from are remembered
    assert (again.added, again.removed) == (0, 0)


def test_outcomes_of_each_decision(tiny) -> None:
    first, second, third = find_disagreements(tiny, ["ingrid", "jonas"])
    assert outcome(first, "a") == ((0, 20, GEO),)
    assert outcome(first, "jonas") == ((0, 10, GEO),)
    assert outcome(second, "both") == ((22, 64, COG),)  # overlapping stretches joined
    assert outcome(third, "a") == ()
    assert outcome(third, "b") == ((32, 62, STR),)
    assert outcome(third, "neither") == ()
    with pytest.raises(AgreementError) as error:
        outcome(first, "c")
    assert "a = ingrid, b = jonas" in error.value.hint


def test_settled_decisions_are_applied_at_once_and_reapplied_on_refresh(tiny) -> None:
    build_consensus(tiny, ["ingrid", "jonas"])
    first, second, third = find_disagreements(tiny, ["ingrid", "jonas"])
    settle(first, "a", "Ingrid's stretch holds the whole reason.", study=tiny)
    settle(second, "both", study=tiny)
    settle(third, "neither", study=tiny)
    expected = {("t2", 0, 30, GEO), ("t1", 0, 20, GEO), ("t1", 22, 64, COG)}
    assert layer(tiny) == expected
    listed = find_disagreements(tiny, ["ingrid", "jonas"])
    assert [d.settlement.decision for d in listed] == ["ingrid", "both", "neither"]
    assert listed[0].settlement.memo == "Ingrid's stretch holds the whole reason."
    summary = build_consensus(tiny, ["ingrid", "jonas"])
    assert (summary.settled, len(summary.open), summary.added, summary.removed) == (3, 0, 0, 0)

    # A coder adds a coding elsewhere: the decisions still hold, one new disagreement opens.
    with tiny.store("jonas") as store:
        store.add_coding(tiny.transcript("t2"), 0, 5, COG)
    summary = build_consensus(tiny)
    assert (summary.settled, len(summary.open)) == (3, 1)
    assert layer(tiny) == expected


def test_a_decision_on_a_passage_a_coder_changed_is_stale_and_not_applied(tiny) -> None:
    build_consensus(tiny, ["ingrid", "jonas"])
    first = find_disagreements(tiny, ["ingrid", "jonas"])[0]
    settle(first, "a", study=tiny)
    assert ("t1", 0, 20, GEO) in layer(tiny)
    with tiny.store("jonas") as store:
        [coding] = [c for c in store.codings("t1") if c.code == GEO]
        store.change_coding(coding.id, tiny.transcript("t1"), end=12)
    summary = build_consensus(tiny)
    assert [s.key for s in summary.stale] == [first.key]
    assert ("t1", 0, 20, GEO) not in layer(tiny)
    assert len(summary.open) == 3
    with pytest.raises(AgreementError, match="has changed since it was listed"):
        settle(first, "b", study=tiny)


def test_codings_added_by_hand_to_the_consensus_stay(tiny) -> None:
    build_consensus(tiny, ["ingrid", "jonas"])
    with tiny.store("consensus") as store:
        store.add_coding(tiny.transcript("t1"), 44, 64, STR)
    summary = build_consensus(tiny)
    assert summary.by_hand == 1
    assert ("t1", 44, 64, STR) in layer(tiny)


def test_reopen_takes_the_decision_back_out(tiny) -> None:
    first = find_disagreements(tiny, ["ingrid", "jonas"])[0]
    settle(first, "b", study=tiny)
    assert ("t1", 0, 10, GEO) in layer(tiny)
    assert reopen(first, study=tiny) is True
    assert ("t1", 0, 10, GEO) not in layer(tiny)
    assert not find_disagreements(tiny, ["ingrid", "jonas"])[0].settled
    assert reopen(first, study=tiny) is False


def test_a_consensus_made_from_other_coders_is_refused(tmp_path: Path) -> None:
    from agreement_study import CODINGS, make_study

    study = make_study(tmp_path / "s", {**CODINGS, "kari": [("t1", 0, 20, GEO)]})
    build_consensus(study, ["ingrid", "jonas"])
    with pytest.raises(AgreementError, match="made from ingrid, jonas"):
        build_consensus(study, ["ingrid", "kari"])


def test_the_consensus_is_an_ordinary_coder_for_every_other_command(tiny) -> None:
    build_consensus(tiny, ["ingrid", "jonas"])
    first = find_disagreements(tiny, ["ingrid", "jonas"])[0]
    settle(first, "a", study=tiny)
    result = compare(tiny, ["ingrid", "consensus"], levels=["segment"])
    assert result.coders == ("ingrid", "consensus")
