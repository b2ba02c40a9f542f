"""Disagreements: found, classified, numbered in text order, and stable while nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from agreement_study import CODINGS, COG, GEO, ORG, STR, make_study

from qualcode.agreement.disagreements import find_disagreements, find_passages
from qualcode.errors import AgreementError


def test_the_tiny_study_has_two_boundary_disagreements_and_one_coder_only(tiny) -> None:
    passages = find_passages(tiny, ["ingrid", "jonas"])
    assert passages.agreed == [("t2", 0, 30, GEO)]
    found = passages.disagreements
    assert [(d.number, d.transcript, d.start, d.end, d.kind) for d in found] == [
        (1, "t1", 0, 20, "boundaries-differ"),
        (2, "t1", 22, 64, "boundaries-differ"),
        (3, "t2", 32, 62, "one-coder-only"),
    ]
    first = found[0]
    assert first.by_coder() == {
        "ingrid": [first.marks[0]],
        "jonas": [first.marks[1]],
    }
    assert (first.marks[0].start, first.marks[0].end) == (0, 20)  # her two codings, merged
    assert first.text == "x" * 20
    assert found[2].by_coder()["ingrid"] == []
    assert passages.left_out == {"t3": ("ingrid",)}


def test_different_codes_on_the_same_passage(tmp_path: Path) -> None:
    study = make_study(
        tmp_path / "s",
        {
            "ingrid": [("t1", 0, 20, COG), ("t1", 22, 42, GEO)],
            "jonas": [("t1", 0, 18, ORG), ("t1", 22, 42, GEO), ("t1", 22, 42, STR)],
        },
    )
    found = find_disagreements(study, ["ingrid", "jonas"])
    assert [(d.kind, d.codes) for d in found] == [
        ("different-code", (COG, ORG)),
        ("one-coder-only", (STR,)),
    ]


def test_three_coders_two_of_whom_coded_a_passage(tmp_path: Path) -> None:
    study = make_study(
        tmp_path / "s",
        {
            "ingrid": [("t1", 0, 20, GEO), ("t1", 44, 64, COG)],
            "jonas": [("t1", 0, 20, GEO)],
            "kari": [("t1", 0, 20, GEO), ("t1", 44, 64, COG)],
        },
    )
    [d] = find_disagreements(study, ["ingrid", "jonas", "kari"])
    assert d.kind == "not-every-coder"
    assert d.by_coder()["jonas"] == []


def test_numbers_do_not_change_when_the_list_is_filtered(tiny) -> None:
    only = find_disagreements(tiny, ["ingrid", "jonas"], code=STR)
    assert [d.number for d in only] == [3]
    parent = find_disagreements(tiny, ["ingrid", "jonas"], code="distance")
    assert [d.number for d in parent] == [1, 2, 3]


def test_keys_survive_new_codings_elsewhere(tiny) -> None:
    before = {d.key for d in find_disagreements(tiny, ["ingrid", "jonas"])}
    with tiny.store("jonas") as store:
        store.add_coding(tiny.transcript("t2"), 0, 5, COG)
    after = {d.key for d in find_disagreements(tiny, ["ingrid", "jonas"])}
    assert before < after


def test_the_consensus_layer_cannot_be_one_of_its_own_coders(tiny) -> None:
    with pytest.raises(AgreementError, match="cannot be one of the coders"):
        find_disagreements(tiny, ["ingrid", "consensus"])


def test_unknown_code_is_named_with_a_suggestion(tiny) -> None:
    with pytest.raises(AgreementError) as error:
        find_disagreements(tiny, ["ingrid", "jonas"], code="distance.geografic")
    assert "distance.geographic" in error.value.hint


def test_codings_list_of_tiny_study_is_what_the_docstring_says() -> None:
    # Guard for the hand-worked figures in the other tests.
    assert CODINGS["jonas"][1] == ("t1", 30, 64, COG)
