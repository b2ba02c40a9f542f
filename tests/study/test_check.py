"""`qualcode check` on studies with the mistakes researchers make, and what it must not do."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from qualcode.store.schema import SCHEMA_VERSION
from qualcode.study import Study
from qualcode.study.check import check_study
from qualcode.study.create import init_study

CODED = "nb-01-industri-utkant"


def kinds(report) -> list[str]:
    return [p.kind for p in report.problems]


def test_a_sync_copy_of_a_coder_file_is_named_and_the_rest_still_checked(demo_path: Path) -> None:
    copy = demo_path / "codings" / "jonas (1).db"
    shutil.copyfile(demo_path / "codings" / "jonas.db", copy)
    report = check_study(demo_path)
    [problem] = report.problems
    assert (problem.kind, problem.path, problem.severity) == ("codings-file-name", copy, "error")
    assert "jonas (1).db" in problem.message
    assert "sync" in problem.hint and "jonas.db" in problem.hint
    assert [c.coder for c in report.coders] == ["ingrid", "jonas"]
    assert all(c.codings > 0 for c in report.coders)
    assert Study.open(demo_path).coders() == ["ingrid", "jonas"]


def test_fix_never_moves_codings_on_a_transcript_with_errors(demo_path: Path) -> None:
    path = demo_path / "transcripts" / f"{CODED}.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    closing = [i for i, line in enumerate(lines) if line.strip() == "---"][1]
    path.write_text("\n".join(lines[:closing] + lines[closing + 1 :]), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (demo_path / "codings").iterdir()}
    report = check_study(demo_path, fix=True)
    assert {p.name: p.read_bytes() for p in (demo_path / "codings").iterdir()} == before
    assert all(c.fixed == 0 and c.moved == 0 for c in report.coders)
    unchecked = [p for p in report.problems if p.kind == "unchecked-codings"]
    assert len(unchecked) == 2 and all(CODED in p.message for p in unchecked)
    assert "moved-anchor" not in kinds(report) and "lost-anchor" not in kinds(report)


def test_check_opens_coder_files_only_for_reading(demo_path: Path) -> None:
    empty = demo_path / "codings" / "empty0.db"
    empty.write_bytes(b"")
    newer = demo_path / "codings" / "ingrid.db"
    with sqlite3.connect(newer) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer_bytes = newer.read_bytes()
    report = check_study(demo_path)
    assert empty.read_bytes() == b""
    assert newer.read_bytes() == newer_bytes
    summary = {c.coder: c for c in report.coders}
    assert summary["empty0"].refused == "an empty file"
    assert summary["ingrid"].refused == "written by a newer qualcode"
    assert summary["jonas"].refused is None and summary["jonas"].codings > 0
    assert {p.kind for p in report.problems} == {"empty-codings-file", "codings-file"}


def test_unknown_code_hint_does_not_send_the_user_to_check_again(demo_path: Path) -> None:
    study = Study.open(demo_path)
    t = study.transcript(CODED)
    with study.store("ingrid") as store:
        store.add_coding(t, 0, 10, "zzzz")
    [problem] = [p for p in check_study(demo_path).problems if p.kind == "unknown-code"]
    assert problem.message == "ingrid: 1 coding uses the code id `zzzz`, which no codebook has."
    assert "recode this coding" in problem.hint
    assert "qualcode check" not in problem.hint
    assert "Put `zzzz` back in a codebook" in problem.hint


def make_study(tmp_path: Path) -> Path:
    init_study(tmp_path / "s", codebooks=["interorganisational-distance"])
    return tmp_path / "s"


def test_a_transcript_without_speaker_labels_is_reported(tmp_path: Path) -> None:
    root = make_study(tmp_path)
    (root / "transcripts" / "tabell.md").write_text(
        "I | Hvordan er samarbeidet?\n\nA | Det er godt.\n", encoding="utf-8"
    )
    (root / "transcripts" / "svar.md").write_text(
        "---\ninformants: {R01: {role: HR-leder}}\n---\nSvar uten etikett.\n", encoding="utf-8"
    )
    report = check_study(root)
    [problem] = [p for p in report.problems if p.kind == "no-informant-turns"]
    assert problem.path.name == "tabell.md"
    assert "No speaker turns were found" in problem.message
    assert "speaker_pattern" in problem.hint


def test_a_codebook_not_listed_in_the_settings_is_noted(tmp_path: Path) -> None:
    root = make_study(tmp_path)
    (root / "transcripts" / "t1.md").write_text(
        "---\ninformants: {A: {role: Leder}}\n---\nI: Hei.\n\nA: Hallo.\n", encoding="utf-8"
    )
    extra = root / "codebooks" / "mine.yaml"
    extra.write_text("codes:\n  - id: mine\n    label: Min kode\n", encoding="utf-8")
    report = check_study(root)
    [problem] = report.problems
    assert (problem.kind, problem.severity, problem.path) == ("unused-codebook", "warning", extra)
    assert "  - mine.yaml" in problem.hint
    assert "mine" not in Study.open(root).codebook


def test_the_informant_table_overriding_front_matter_is_noted(tmp_path: Path) -> None:
    root = make_study(tmp_path)
    (root / "transcripts" / "t1.md").write_text(
        "---\ninformants:\n  A: {role: NAV-veileder, region: Agder}\n---\nI: Hei.\n\nA: Hallo.\n",
        encoding="utf-8",
    )
    (root / "informants.csv").write_text(
        "transcript,speaker,role,region\nt1,A,Veileder,Agder\n", encoding="utf-8"
    )
    report = check_study(root)
    [problem] = [p for p in report.problems if p.kind == "informant-conflict"]
    assert (problem.severity, problem.line) == ("warning", 2)
    assert "`Veileder`" in problem.message and "`NAV-veileder`" in problem.message
    assert Study.open(root).transcript("t1").informants["A"].role == "Veileder"


def test_the_informant_table_fills_the_empty_attributes_import_left_without_a_warning(
    tmp_path: Path,
) -> None:
    from qualcode.study.importing import import_files

    root = make_study(tmp_path)
    source = tmp_path / "fokus.txt"
    source.write_bytes(
        "Moderator: Hvordan er samarbeidet?\n\nD1: Godt.\n\nD2: Det varierer.\n\nD1: Ja.\n"
        "\nD2: Helt enig.\n".encode("cp1252")
    )
    import_files(Study.open(root), [source])
    assert 'role: ""' in (root / "transcripts" / "fokus.md").read_text(encoding="utf-8")
    (root / "informants.csv").write_text(
        "transcript,speaker,role,region\nfokus,D1,Leder,Vestland\nfokus,D2,Veileder,Vestland\n",
        encoding="utf-8",
    )
    report = check_study(root)
    assert report.problems == []
    informants = Study.open(root).transcript("fokus").informants
    assert (informants["D1"].role, informants["D2"].get("region")) == ("Leder", "Vestland")


def test_a_survey_answer_by_its_only_informant_needs_no_speaker_labels(tmp_path: Path) -> None:
    root = make_study(tmp_path)
    (root / "transcripts" / "svar.md").write_text(
        "---\nform: survey\ninformants:\n  R01: {role: HR-leder, region: Agder}\n---\n\n"
        "Vi har samarbeidet med NAV i mange år.\n\nNoen ganger tar det tid: da ringer vi.\n",
        encoding="utf-8",
    )
    assert check_study(root).problems == []
    t = Study.open(root).transcript("svar")
    assert t.informant_at(t.text.index("ringer")).label == "R01"


def test_a_text_without_labels_or_an_informant_says_how_to_name_its_author(
    tmp_path: Path,
) -> None:
    root = make_study(tmp_path)
    (root / "transcripts" / "svar.md").write_text("Vi har samarbeidet lenge.\n", encoding="utf-8")
    [problem] = check_study(root).problems
    assert problem.kind == "no-informant-turns"
    assert "survey answer" in problem.hint and "`informants:`" in problem.hint


def test_a_coding_on_a_removed_transcript_is_counted_in_good_english(demo_path: Path) -> None:
    extra = demo_path / "transcripts" / "ekstra.md"
    extra.write_text("I: Hei.\n\nA: Vi har et godt samarbeid.\n", encoding="utf-8")
    study = Study.open(demo_path)
    with study.store("ingrid") as store:
        store.add_coding(study.transcript("ekstra"), 12, 20, "distance.geographic")
    extra.unlink()
    [problem] = [p for p in check_study(demo_path).problems if p.kind == "unknown-transcript"]
    assert problem.message.startswith("ingrid: 1 coding refers to transcript `ekstra`")
    assert "the coding stays unused" in problem.hint


def test_a_coding_that_takes_in_the_next_speakers_label_is_trimmed_by_fix(
    demo_path: Path,
) -> None:
    """Such codings could be saved before the workbench left labels out; --fix trims them."""
    study = Study.open(demo_path)
    t = study.transcript("nb-01-industri-utkant")
    with study.store("ingrid") as store:
        coding = next(c for c in store.codings(t.id) if t.turn_at(c.end) is not None
                      and t.turn_at(c.end).end <= c.end + 5)
    turn = t.turns[t.turn_at(coding.start).index + 1]
    with sqlite3.connect(demo_path / "codings" / "ingrid.db") as db:  # as an older version saved it
        db.execute('UPDATE codings SET "end" = ?, quote = ? WHERE id = ?',
                   (turn.start, t.text[coding.start:turn.start], coding.id))
    report = check_study(demo_path)
    [warning] = [p for p in report.problems if p.kind == "label-in-coding"]
    assert warning.path == t.path and "--fix" in (warning.hint or "")
    check_study(demo_path, fix=True)
    with Study.open(demo_path).store("ingrid") as store:
        fixed = store.coding(coding.id)
    assert not fixed.quote.rstrip().endswith(":")
    assert (fixed.start, fixed.end) == t.speech_span(coding.start, turn.start)
    assert not [p for p in check_study(demo_path).problems if p.kind == "label-in-coding"]
