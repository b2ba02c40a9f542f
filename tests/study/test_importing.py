"""`qualcode import` in a study that already has transcripts: same text, new text, same id."""

from __future__ import annotations

from pathlib import Path

import pytest
from word_tables import word_table

from qualcode.errors import ImportFileError
from qualcode.study import Study
from qualcode.study.create import init_study
from qualcode.study.importing import import_files

INTERVIEW = "I: Hvordan går det?\n\nA: Bra, takk. Vi har et godt samarbeid.\n"


@pytest.fixture
def study(tmp_path: Path) -> Study:
    init_study(tmp_path / "s", codebooks=["interorganisational-distance"])
    return Study.open(tmp_path / "s")


def source(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def fill_in_role(study: Study, transcript_id: str, role: str) -> Path:
    """What a researcher does after importing: fill in the starter front matter."""
    path = study.transcripts_dir / f"{transcript_id}.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace('role: ""', f'role: "{role}"'), encoding="utf-8"
    )
    return path


def test_reimporting_after_filling_in_the_front_matter_changes_nothing(
    study: Study, tmp_path: Path
) -> None:
    original = source(tmp_path, "intervju.txt", INTERVIEW, "cp1252")
    [first] = import_files(study, [original])
    assert first.status == "new"
    path = fill_in_role(study, "intervju", "Bedriftsleder")
    edited = path.read_text(encoding="utf-8")
    [again] = import_files(study, [original])
    assert again.status == "unchanged"
    assert path.read_text(encoding="utf-8") == edited
    assert Study.open(study.root).transcript("intervju").informants["A"].role == "Bedriftsleder"


def test_replacing_the_text_keeps_the_front_matter(study: Study, tmp_path: Path) -> None:
    import_files(study, [source(tmp_path, "intervju.txt", INTERVIEW)])
    fill_in_role(study, "intervju", "Bedriftsleder")
    newer = source(tmp_path, "intervju.txt", INTERVIEW.replace("godt", "svært godt"))
    with pytest.raises(ImportFileError) as caught:
        import_files(study, [newer])
    assert caught.value.path == newer
    assert str(study.transcripts_dir / "intervju.md") in caught.value.message
    assert "--replace" in caught.value.hint
    [item] = import_files(study, [newer], replace=True)
    assert item.status == "updated" and item.kept_front_matter
    t = Study.open(study.root).transcript("intervju")
    assert "svært godt samarbeid" in t.text
    assert t.informants["A"].role == "Bedriftsleder"


def test_a_file_with_the_id_of_a_transcript_in_another_format_is_refused(
    study: Study, tmp_path: Path
) -> None:
    import docx

    (study.transcripts_dir / "manual.txt").write_text(INTERVIEW, encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("I: Noe helt annet?")
    document.save(tmp_path / "manual.docx")
    with pytest.raises(ImportFileError) as caught:
        import_files(study, [tmp_path / "manual.docx"], replace=True)
    assert caught.value.path == tmp_path / "manual.docx"
    assert "second file with that id" in caught.value.message
    assert str(study.transcripts_dir / "manual.txt") in caught.value.message
    assert sorted(p.name for p in study.transcripts_dir.iterdir()) == ["manual.txt"]
    assert Study.open(study.root).transcript_ids == ["manual"]
    # The same text in another format is simply already there.
    [item] = import_files(study, [source(tmp_path, "manual.md", INTERVIEW)])
    assert item.status == "unchanged"
    assert sorted(p.name for p in study.transcripts_dir.iterdir()) == ["manual.txt"]


def test_report_lines_count_the_front_matter_of_a_markdown_file(
    study: Study, tmp_path: Path
) -> None:
    text = (
        "---\ntitle: Intervju\ninformants:\n  A: {role: Leder}\n---\n\n"
        "I: Hei.\n\nA: Hallo.\n\nA: Vi\u00a0har det bra.\n"
    )
    assert text.split("\n")[10] == "A: Vi\u00a0har det bra."
    [item] = import_files(study, [source(tmp_path, "fm.md", text)])
    [change] = item.changes
    assert (change.kind, change.line) == ("nbsp", 11)
    assert "- line 11:" in item.report_path.read_text(encoding="utf-8")


def test_an_empty_file_is_imported_with_a_warning(study: Study, tmp_path: Path) -> None:
    [item] = import_files(study, [source(tmp_path, "tom.txt", "")])
    assert [w.kind for w in item.warnings] == ["empty-file"]
    assert "has no text" in item.report_path.read_text(encoding="utf-8")


def test_an_english_transcript_is_cleaned_with_the_english_dictionary(
    study: Study, tmp_path: Path
) -> None:
    text = "---\nlanguage: en\n---\n\nA: It is a well-\nknown problem.\n"
    import_files(study, [source(tmp_path, "en.md", text)])
    assert "a well-known\nproblem." in Study.open(study.root).transcript("en").text


def test_every_informant_is_listed_in_the_starter_front_matter_even_if_heard_once(
    study: Study, tmp_path: Path
) -> None:
    text = (
        "[00:00:05] I: Velkommen, vil dere presentere dere?\n\n"
        "[00:00:09] P1: Jeg er leder i en liten bedrift.\n\n"
        "[00:00:15] P2: Og jeg er veileder på NAV-kontoret.\n\n"
        "[00:00:21] I: Takk. Hva tenker dere om samarbeidet?\n\n"
        "[00:00:26] P1: Det er godt.\n"
    )
    import_files(study, [source(tmp_path, "fokus.txt", text)])
    written = (study.transcripts_dir / "fokus.md").read_text(encoding="utf-8")
    assert '"P2": {role: "", region: ""}' in written
    t = Study.open(study.root).transcript("fokus")
    assert list(t.informants) == ["P1", "P2"]
    assert [turn.speaker for turn in t.turns] == ["I", "P1", "P2", "I", "P1"]


def _docx(tmp_path: Path, name: str, rows: list[tuple[str, str]]) -> Path:
    return word_table(tmp_path / name, rows, heading="Fokusgruppe med ledere")


def test_a_table_of_facts_in_a_word_file_makes_no_informants(study: Study, tmp_path: Path) -> None:
    path = _docx(tmp_path, "fakta.docx", [("Region", "Agder"), ("Form", "case")])
    import_files(study, [path])
    t = Study.open(study.root).transcript("fakta")
    assert t.informants == {}
    assert "Region\tAgder" in t.text and "Form\tcase" in t.text


def test_speakers_heard_once_in_a_word_dialogue_table_are_informants(
    study: Study, tmp_path: Path
) -> None:
    rows = [("I", "Hvordan var det?"), ("D", "Godt."), ("I", "Og for deg?"), ("L", "Også godt.")]
    rows += [("I", "Noe mer?"), ("D", "Nei.")]
    import_files(study, [_docx(tmp_path, "dl.docx", rows)])
    t = Study.open(study.root).transcript("dl")
    assert list(t.informants) == ["D", "L"]
    assert t.informant_at(t.text.index("Også godt")).label == "L"


def test_a_pasted_focus_group_loses_its_numbered_page_headers_and_the_report_lists_them(
    study: Study, tmp_path: Path
) -> None:
    lines: list[str] = []
    for page in range(1, 6):
        lines += [f"Fokusgruppe NAV Vestland – side {page}", ""]
        for speaker in ("Moderator", "D1", "D2"):
            lines += [f"{speaker}: På side {page} sier vi at samarbeidet går bra, og", ""]
    [item] = import_files(study, [source(tmp_path, "fokus.txt", "\n".join(lines), "cp1252")])
    assert item.encoding == "cp1252"
    t = Study.open(study.root).transcript("fokus")
    assert "Fokusgruppe NAV Vestland" not in t.text
    assert len(t.turns) == 15
    report = item.report_path.read_text(encoding="utf-8")
    assert "## Page headers and footers (5)" in report
    assert "- line 1: Removed “Fokusgruppe NAV Vestland – side 1”" in report
