"""The consensus layer: agreed codings copied, decisions kept and re-applied, coders untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from agreement_study import COG, GEO, ORG, STR

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


def stored(study, transcript: str) -> list[tuple[int, int, str, str]]:
    """The consensus layer's codings of a transcript as stored: (start, end, code, quote)."""
    with study.store("consensus") as store:
        return [(c.start, c.end, c.code, c.quote) for c in store.codings(transcript)]


def test_a_refresh_keeps_what_the_lead_resized_or_added_by_hand(tiny) -> None:
    build_consensus(tiny, ["ingrid", "jonas"])
    t1, t2 = tiny.transcript("t1"), tiny.transcript("t2")
    with tiny.store("consensus") as store:
        [agreed] = store.codings("t2")
        store.change_coding(agreed.id, t2, end=25)  # the lead shortens a copied coding
        store.add_coding(t1, 44, 64, STR)
    left = {t: stored(tiny, t) for t in ("t1", "t2")}
    assert left == {"t1": [(44, 64, STR, "z" * 20)], "t2": [(0, 25, GEO, "w" * 25)]}

    summary = build_consensus(tiny)
    assert (summary.added, summary.removed, summary.by_hand) == (0, 0, 2)
    assert {t: stored(tiny, t) for t in ("t1", "t2")} == left

    # A coder adds a coding elsewhere: the lead's codings are still exactly as left.
    with tiny.store("jonas") as store:
        store.add_coding(t1, 44, 50, ORG)
    summary = build_consensus(tiny)
    assert len(summary.open) == 4
    assert {t: stored(tiny, t) for t in ("t1", "t2")} == left

    # Even when the coders no longer agree on what the resized coding came from.
    with tiny.store("jonas") as store:
        [geo] = store.codings("t2", code=GEO)
        store.change_coding(geo.id, t2, end=28)
    build_consensus(tiny)
    assert stored(tiny, "t2") == left["t2"]


def test_a_coding_the_lead_removed_from_the_consensus_is_not_written_again(tiny) -> None:
    build_consensus(tiny, ["ingrid", "jonas"])
    with tiny.store("consensus") as store:
        [agreed] = store.codings("t2")
        store.remove_coding(agreed.id)
    summary = build_consensus(tiny)
    assert (summary.added, summary.removed_by_hand) == (0, 1)
    assert stored(tiny, "t2") == []
    # The lead's undo in the consensus layer brings it back, and the refresh keeps it.
    with tiny.store("consensus") as store:
        store.undo()
    summary = build_consensus(tiny)
    assert (summary.added, summary.removed, summary.removed_by_hand) == (0, 0, 0)
    assert stored(tiny, "t2") == [(0, 30, GEO, "w" * 30)]


def test_codings_the_refresh_wrote_are_still_replaced_when_the_coders_change(tiny) -> None:
    build_consensus(tiny, ["ingrid", "jonas"])
    with tiny.store("jonas") as store:
        [geo] = store.codings("t2", code=GEO)
        store.change_coding(geo.id, tiny.transcript("t2"), end=28)
    summary = build_consensus(tiny)
    assert (summary.added, summary.removed, summary.by_hand) == (0, 1, 0)
    assert stored(tiny, "t2") == []
