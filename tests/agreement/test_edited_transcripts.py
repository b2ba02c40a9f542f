"""Agreement, disagreements and consensus on a transcript edited after coding.

In a copy of the demo study, one of Ingrid's coded passages in nb-02 (one Jonas did not code)
is deleted from the transcript file and a short exchange is added before every coding. The
figures must be those of the same study in which the lost coding was removed and `check --fix`
has stored every new position: moved codings count where their text is now, and the lost one
not at all, with a note that says so.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from qualcode.agreement.compare import compare
from qualcode.agreement.consensus import build_consensus
from qualcode.agreement.disagreements import find_passages
from qualcode.cli.main import main
from qualcode.study import Study
from qualcode.study.check import check_study

TRANSCRIPT = "nb-02-veileder-storby"
CODERS = ["ingrid", "jonas"]
ADDED = "I: Før vi begynner: hvor lenge har du jobbet her?\n\nB: Snart seks år.\n\n"
LOST_NOTE = f"1 coding by ingrid whose text is no longer in `{TRANSCRIPT}` was left out."


@dataclass
class Edited:
    root: Path
    """The edited study, as the researcher left it (`check --fix` not run)."""
    reference: Path
    """The same edit, with the lost coding removed and every new position stored."""
    lost: str
    """The deleted passage: the text of the lost coding."""


def ingrid_only_passage(study: Study) -> str:
    """The text of a coding of Ingrid's in the transcript that no coding of Jonas overlaps."""
    with study.store("ingrid") as store:
        ingrid = store.codings(transcript=TRANSCRIPT)
    with study.store("jonas") as store:
        jonas = store.codings(transcript=TRANSCRIPT)
    return next(c.quote for c in ingrid if not any(j.overlaps(c.start, c.end) for j in jonas))


def edit_transcript(root: Path, deleted: str) -> None:
    path = root / "transcripts" / f"{TRANSCRIPT}.md"
    raw = path.read_text(encoding="utf-8").replace(" " + deleted, "")
    first_turn = raw.index("\nI: ") + 1
    path.write_text(raw[:first_turn] + ADDED + raw[first_turn:], encoding="utf-8")


def coder_files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "codings").glob("*.db"))}


@pytest.fixture
def edited(demo_path: Path, tmp_path: Path) -> Edited:
    lost = ingrid_only_passage(Study.open(demo_path))
    reference = tmp_path / "reference"
    shutil.copytree(demo_path, reference)
    for root in (demo_path, reference):
        edit_transcript(root, lost)
    with Study.open(reference).store("ingrid") as store:
        [gone] = [c for c in store.codings(transcript=TRANSCRIPT) if c.quote == lost]
        store.remove_coding(gone.id)
    assert check_study(reference, fix=True).coders[0].fixed > 0
    return Edited(demo_path, reference, lost)


def figures(root: Path) -> dict:
    result = compare(Study.open(root), CODERS, groups=["distance"])
    return result.to_dict()["levels"]


def test_every_level_counts_moved_codings_at_their_new_place_and_leaves_the_lost_one_out(
    edited: Edited,
) -> None:
    assert figures(edited.root) == figures(edited.reference)


def test_the_note_names_the_lost_coding_and_the_moved_ones(edited: Edited) -> None:
    notes = compare(Study.open(edited.root), CODERS).notes
    lost = [n for n in notes if "no longer in" in n]
    assert lost == [next(n for n in notes if n.startswith(LOST_NOTE))]
    assert "`qualcode check` lists it" in lost[0] and "--fix" not in lost[0]
    assert any("found at a new place" in n and "check --fix" in n for n in notes)
    assert not any("re-anchor" in n for n in notes)


def test_after_check_fix_the_lost_coding_is_still_left_out_without_circular_advice(
    edited: Edited,
) -> None:
    check_study(edited.root, fix=True)
    notes = compare(Study.open(edited.root), CODERS).notes
    assert any(n.startswith(LOST_NOTE) for n in notes)
    assert not any("--fix" in n for n in notes)
    assert figures(edited.root) == figures(edited.reference)


def test_disagreements_are_those_of_the_current_text(edited: Edited) -> None:
    found = find_passages(Study.open(edited.root), CODERS, transcripts=[TRANSCRIPT])
    expected = find_passages(Study.open(edited.reference), CODERS, transcripts=[TRANSCRIPT])
    assert found.agreed == expected.agreed
    assert [(d.key, d.kind, d.text, d.marks) for d in found.disagreements] == [
        (d.key, d.kind, d.text, d.marks) for d in expected.disagreements
    ]
    assert not any(edited.lost[:40] in d.text for d in found.disagreements)
    assert any(n.startswith(LOST_NOTE) for n in found.notes)


def test_the_disagreements_command_says_what_was_left_out(edited: Edited, capsys) -> None:
    code = main(["disagreements", str(edited.root), "--coders", "ingrid,jonas"])
    out = " ".join(capsys.readouterr().out.split())
    assert code == 0
    assert LOST_NOTE in out
    assert "re-anchor" not in out
    assert edited.lost[:40] not in out


def test_the_agreement_command_says_what_was_left_out(edited: Edited, capsys) -> None:
    code = main(["agreement", str(edited.root), "--coders", "ingrid,jonas", "--level", "segment"])
    out = " ".join(capsys.readouterr().out.split())
    assert code == 0
    assert LOST_NOTE in out


def test_consensus_is_built_from_the_current_positions(edited: Edited) -> None:
    summary = build_consensus(Study.open(edited.root), CODERS)
    expected = build_consensus(Study.open(edited.reference), CODERS)
    assert (summary.agreed, summary.added) == (expected.agreed, expected.added)
    assert any(n.startswith(LOST_NOTE) for n in summary.notes)

    def consensus(root: Path) -> list[tuple[str, int, int, str, str]]:
        with Study.open(root).store("consensus") as store:
            return sorted((c.transcript, c.start, c.end, c.code, c.quote) for c in store.codings())

    assert consensus(edited.root) == consensus(edited.reference)
    again = build_consensus(Study.open(edited.root), CODERS)
    assert (again.added, again.removed) == (0, 0)


def test_analyses_write_nothing_to_the_coders_files(edited: Edited, capsys) -> None:
    before = coder_files(edited.root)
    compare(Study.open(edited.root), CODERS, groups=["distance"])
    find_passages(Study.open(edited.root), CODERS)
    main(["agreement", str(edited.root), "--coders", "ingrid,jonas"])
    main(["disagreements", str(edited.root), "--coders", "ingrid,jonas"])
    build_consensus(Study.open(edited.root), CODERS)
    after = coder_files(edited.root)
    assert after.pop("consensus.db")
    assert after == before
