"""Codings are read where they are in the current text, exactly as `qualcode check` finds them.

Transcripts of the demo study are edited the way a researcher edits a file: a coded passage is
deleted, a comma is taken out of another, and a short exchange is added before every coding.
First `place_codings` itself; then the quote sheet, the matrix and the suggestions, which must
give what they give for the same study once the lost coding is removed and `check --fix` has
stored every new position. (Agreement, disagreements and consensus: see
tests/agreement/test_edited_transcripts.py.)
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from qualcode.cli.main import main
from qualcode.export.quotes import QuoteOptions, select_quotes
from qualcode.store.anchoring import place_codings, place_in_transcripts, placement_notes
from qualcode.study import Study
from qualcode.study.check import check_study
from qualcode.suggest.evaluation import evaluate
from qualcode.suggest.suggester import Suggester
from qualcode.suggest.training import read_source

INTERVIEW = "nb-02-veileder-storby"
FOCUS_GROUP = "nb-03-fokusgruppe-nav-kontor"
ADDED = "I: Før vi begynner: hvor lenge har du jobbet her?\n\nB: Snart seks år.\n\n"


def codings_of(study: Study, coder: str, transcript: str = INTERVIEW) -> list:
    with study.store(coder) as store:
        return store.codings(transcript=transcript)


def edit(root: Path, deleted: str, transcript: str = INTERVIEW, retouched: str = "") -> int:
    """Delete one passage (and the space before it) from the transcript file, take the first
    comma out of `retouched`, and add an exchange before the first turn; the number of
    characters deleted."""
    path = root / "transcripts" / f"{transcript}.md"
    raw = path.read_text(encoding="utf-8")
    assert raw.count(deleted) == 1
    if " " + deleted in raw:
        deleted = " " + deleted
    raw = raw.replace(deleted, "")
    if retouched:
        raw = raw.replace(retouched, retouched.replace(",", "", 1))
    body = raw.index("\n---\n", 1) + len("\n---\n")
    first_turn = len(raw) - len(raw[body:].lstrip("\n"))
    path.write_text(raw[:first_turn] + ADDED + raw[first_turn:], encoding="utf-8")
    return len(deleted)


def coder_files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "codings").iterdir())}


# -- placing ------------------------------------------------------------------------------------


def test_unchanged_transcripts_give_the_codings_as_stored(demo_study: Study) -> None:
    codings = codings_of(demo_study, "ingrid")
    placement = place_codings(codings, demo_study.transcript(INTERVIEW))
    assert placement.placed == codings
    assert all(a is b for a, b in zip(placement.placed, codings, strict=True))
    assert placement.lost == [] and placement.moved == []
    assert placement_notes({"ingrid": placement}) == []


def test_moved_codings_are_at_their_new_place_and_the_deleted_one_is_lost(demo_path: Path) -> None:
    before = codings_of(Study.open(demo_path), "ingrid")
    gone = before[len(before) // 2]
    deleted = edit(demo_path, gone.quote)
    transcript = Study.open(demo_path).transcript(INTERVIEW)

    placement = place_codings(before, transcript)

    assert [c.id for c in placement.lost] == [gone.id]
    assert len(placement.placed) == len(before) - 1
    for old, new in zip([c for c in before if c.id != gone.id], placement.placed, strict=True):
        shift = len(ADDED) - (deleted if old.start > gone.start else 0)
        assert (new.id, new.start, new.end) == (old.id, old.start + shift, old.end + shift)
        assert transcript.text[new.start : new.end] == old.quote
        assert new.text_hash == transcript.hash
    assert {c.id for c in placement.moved} == {c.id for c in placement.placed}


def test_placing_agrees_with_what_check_reports_and_fix_stores(demo_path: Path) -> None:
    before = codings_of(Study.open(demo_path), "ingrid")
    edit(demo_path, before[3].quote, retouched=before[8].quote)
    transcripts = {INTERVIEW: Study.open(demo_path).transcript(INTERVIEW)}
    placement = place_in_transcripts(before, transcripts)

    report = check_study(demo_path, fix=True)
    ingrid = next(s for s in report.coders if s.coder == "ingrid")
    assert ingrid.lost == len(placement.lost) == 1
    assert ingrid.fixed == len(placement.moved)
    stored = {c.id: (c.start, c.end, c.quote) for c in codings_of(Study.open(demo_path), "ingrid")}
    assert {c.id: (c.start, c.end, c.quote) for c in placement.placed} == {
        i: place for i, place in stored.items() if i != before[3].id
    }
    [retouched] = [c for c in placement.placed if c.id == before[8].id]
    assert retouched.quote == before[8].quote.replace(",", "", 1)


def test_placing_writes_nothing_to_the_coder_files(demo_path: Path) -> None:
    saved = coder_files(demo_path)
    edit(demo_path, codings_of(Study.open(demo_path), "jonas")[0].quote)
    edited = Study.open(demo_path)
    for coder in ("ingrid", "jonas"):
        place_codings(codings_of(edited, coder), edited.transcript(INTERVIEW))
    assert coder_files(demo_path) == saved


def test_the_notes_say_how_many_where_and_what_to_do(demo_path: Path) -> None:
    study = Study.open(demo_path)
    ingrid, jonas = codings_of(study, "ingrid"), codings_of(study, "jonas")
    shared = next(c for c in ingrid if any(j.quote == c.quote for j in jonas))
    edit(demo_path, shared.quote)
    transcript = Study.open(demo_path).transcript(INTERVIEW)
    placements = {
        "ingrid": place_codings(ingrid, transcript),
        "jonas": place_codings(jonas, transcript),
    }
    lost_note, moved_note = placement_notes(placements)
    lost = sum(len(p.lost) for p in placements.values())
    assert lost_note.startswith(
        f"{lost} codings by ingrid ({len(placements['ingrid'].lost)}) and jonas "
        f"({len(placements['jonas'].lost)}) whose text is no longer in `{INTERVIEW}` were left out."
    )
    assert "`qualcode check` lists them" in lost_note and "workbench" in lost_note
    assert "--fix" not in lost_note
    moved = sum(len(p.moved) for p in placements.values())
    assert moved_note.startswith(f"{moved} codings by ingrid (")
    assert "`qualcode check --fix` stores the new positions" in moved_note


def test_one_lost_coding_is_named_in_the_singular(demo_path: Path) -> None:
    codings = codings_of(Study.open(demo_path), "ingrid")
    edit(demo_path, codings[-1].quote)
    transcript = Study.open(demo_path).transcript(INTERVIEW)
    [note, _] = placement_notes({"ingrid": place_codings(codings, transcript)})
    assert note.startswith(
        f"1 coding by ingrid whose text is no longer in `{INTERVIEW}` was left out. "
        "`qualcode check` lists it:"
    )


# -- quote sheets and the matrix ------------------------------------------------------------------

SHEET_NOTE = f"1 coding by ingrid whose text is no longer in `{FOCUS_GROUP}` was left out."


@dataclass
class Edited:
    root: Path
    """The edited study, as the researcher left it (`check --fix` not run)."""
    reference: Path
    """The same edit, with the lost coding removed and every new position stored."""
    lost: str
    """The text of the lost coding."""


@pytest.fixture
def focus_group(demo_path: Path, tmp_path: Path) -> Edited:
    """One of Ingrid's coded passages in the focus group deleted, an exchange added on top."""
    codings = codings_of(Study.open(demo_path), "ingrid", FOCUS_GROUP)
    lost = codings[len(codings) // 2]
    reference = tmp_path / "reference"
    shutil.copytree(demo_path, reference)
    for root in (demo_path, reference):
        edit(root, lost.quote, FOCUS_GROUP)
    with Study.open(reference).store("ingrid") as store:
        store.remove_coding(lost.id)
    check_study(reference, fix=True)
    return Edited(demo_path, reference, lost.quote)


def sheet(root: Path, **options) -> list[tuple]:
    selection = select_quotes(Study.open(root), QuoteOptions(coders=["ingrid"], **options))
    return [
        (q.code, q.text, q.transcript, q.start, q.end, q.attribution, q.before, q.after)
        for q in selection.quotes
    ]


def test_quotes_are_the_current_text_credited_to_whoever_says_it(focus_group: Edited) -> None:
    assert sheet(focus_group.root, context=1) == sheet(focus_group.reference, context=1)
    study = Study.open(focus_group.root)
    transcript = study.transcript(FOCUS_GROUP)
    selection = select_quotes(study, QuoteOptions(coders=["ingrid"], transcripts=[FOCUS_GROUP]))
    assert selection.quotes and all(q.stale for q in selection.quotes)
    for quote in selection.quotes:
        assert transcript.text[quote.start : quote.end] == quote.text
        assert quote.informant == transcript.informant_at(quote.start)
    assert focus_group.lost not in {q.text for q in selection.quotes}


def test_the_sheet_says_what_was_left_out_and_what_moved(focus_group: Edited) -> None:
    options = QuoteOptions(coders=["ingrid"])
    warnings = select_quotes(Study.open(focus_group.root), options).warnings
    [lost] = [w for w in warnings if "no longer in" in w]
    assert lost.startswith(SHEET_NOTE) and "`qualcode check` lists it" in lost
    assert "--fix" not in lost
    assert any("found at a new place" in w and "check --fix" in w for w in warnings)
    check_study(focus_group.root, fix=True)
    warnings = select_quotes(Study.open(focus_group.root), options).warnings
    assert [w for w in warnings if "no longer in" in w] == [lost]
    assert not any("--fix" in w for w in warnings)


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_csv_sheet_is_that_of_the_current_text(focus_group: Edited, tmp_path, capsys) -> None:
    for root, name in ((focus_group.root, "edited.csv"), (focus_group.reference, "fixed.csv")):
        out = tmp_path / name
        assert main(["export", "quotes", str(root), "--coder", "ingrid", "--out", str(out)]) == 0
    assert SHEET_NOTE in " ".join(capsys.readouterr().out.split())
    assert rows(tmp_path / "edited.csv") == rows(tmp_path / "fixed.csv")
    assert focus_group.lost not in {row["quote"] for row in rows(tmp_path / "edited.csv")}


def test_the_matrix_counts_the_current_text(focus_group: Edited, capsys) -> None:
    found = []
    for root in (focus_group.root, focus_group.reference):
        argv = ["matrix", str(root), "--coder", "ingrid", "--cols", "role", "--count", "informants"]
        assert main([*argv, "--json"]) == 0
        found.append(json.loads(capsys.readouterr().out))
    edited, fixed = found
    assert any(w.startswith(SHEET_NOTE) for w in edited.pop("warnings"))
    fixed.pop("warnings")
    assert edited == fixed


def test_exports_write_nothing_to_the_coder_files(focus_group: Edited, tmp_path, capsys) -> None:
    saved = coder_files(focus_group.root)
    for name in ("q.docx", "q.csv", "q.xlsx"):
        argv = ["export", "quotes", str(focus_group.root), "--coder", "ingrid"]
        assert main([*argv, "--out", str(tmp_path / name)]) == 0
    assert main(["matrix", str(focus_group.root), "--coder", "ingrid"]) == 0
    assert coder_files(focus_group.root) == saved


# -- suggestions ----------------------------------------------------------------------------------

REJECTED = ("Det er sånt som sitter i hodet.", "distance.geographic")


def decide(study: Study, quote: str, code: str, decision: str) -> None:
    transcript = study.transcript(INTERVIEW)
    start = transcript.text.index(quote)
    with study.store("ingrid") as store:
        store.record_feedback(transcript, start, start + len(quote), code, decision)


@pytest.fixture
def decided(demo_path: Path, tmp_path: Path) -> Edited:
    """Ingrid rejects one suggestion and accepts another; then the passage she accepted it for
    is deleted, a comma is taken out of another of her passages and an exchange added on top.
    In the reference, only the surviving decision is made, on the edited text."""
    study = Study.open(demo_path)
    codings = codings_of(study, "ingrid")
    lost, retouched = codings[4], codings[8].quote
    reference = tmp_path / "reference"
    shutil.copytree(demo_path, reference)
    decide(study, *REJECTED, "reject")
    decide(study, lost.quote, lost.code, "accept")
    for root in (demo_path, reference):
        edit(root, lost.quote, retouched=retouched)
    with Study.open(reference).store("ingrid") as store:
        store.remove_coding(lost.id)
    check_study(reference, fix=True)
    decide(Study.open(reference), *REJECTED, "reject")
    return Edited(demo_path, reference, lost.quote)


def test_codings_and_decisions_are_learned_from_at_their_new_place(decided: Edited) -> None:
    source = read_source(Study.open(decided.root), "ingrid")
    expected = read_source(Study.open(decided.reference), "ingrid")
    assert source.codings == expected.codings
    assert source.decisions == expected.decisions
    text = Study.open(decided.root).transcript(INTERVIEW).text
    [(_, start, end, code, label)] = [d for d in source.decisions if d[0] == INTERVIEW]
    assert (text[start:end], code, label) == (*REJECTED, 0.0)


def test_what_cannot_be_learned_from_is_counted(decided: Edited) -> None:
    notes = read_source(Study.open(decided.root), "ingrid").notes
    assert notes[0].startswith(
        f"1 coding by ingrid whose text is no longer in `{INTERVIEW}` was left out."
    )
    assert any("found at a new place" in n for n in notes)
    assert notes[-1] == (
        "1 decision by ingrid on suggestions for text that is no longer in its transcript was "
        "not learned from."
    )
    assert read_source(Study.open(decided.reference), "ingrid").notes == []


def test_the_model_learns_what_it_would_learn_from_the_fixed_study(decided: Edited) -> None:
    edited, fixed = (
        Suggester(Study.open(root), learn_from=["ingrid"]).model
        for root in (decided.root, decided.reference)
    )
    assert (edited.examples, edited.codes) == (fixed.examples, fixed.codes)
    np.testing.assert_allclose(edited.bias, fixed.bias)
    np.testing.assert_allclose(edited.lemma_weights, fixed.lemma_weights)
    np.testing.assert_allclose(edited.keyword_weights, fixed.keyword_weights)


def test_evaluation_scores_against_the_current_positions(decided: Edited) -> None:
    edited = Study.open(decided.root)
    found = evaluate(edited, "ingrid", folds=2).to_dict()
    expected = evaluate(Study.open(decided.reference), "ingrid", folds=2).to_dict()
    notes = found.pop("notes")
    assert expected.pop("notes") == []
    assert notes == read_source(edited, "ingrid").notes  # the edit is told, not hidden
    assert notes
    assert found == expected


def test_learning_writes_nothing_to_the_coder_files(decided: Edited) -> None:
    saved = coder_files(decided.root)
    _ = Suggester(Study.open(decided.root), learn_from=["ingrid", "jonas"]).model
    evaluate(Study.open(decided.root), "ingrid", folds=2)
    assert coder_files(decided.root) == saved
