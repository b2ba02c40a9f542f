"""The informant table (CSV or Excel) and the settings file: values, and mistakes by row/line."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.errors import StudyError
from qualcode.study import Study
from qualcode.study.check import check_study
from qualcode.study.create import init_study
from qualcode.study.informants import read_table


@pytest.fixture
def root(tmp_path: Path) -> Path:
    init_study(tmp_path / "s", codebooks=["interorganisational-distance"])
    (tmp_path / "s" / "transcripts" / "t1.md").write_text(
        "I: Hei.\n\nA: Hei.\n\nB: Hallo.\n", encoding="utf-8"
    )
    return tmp_path / "s"


def test_excel_table_gives_attributes(root: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["transcript", "speaker", "role", "region"])
    sheet.append(["t1", "A", "Bedriftsleder", "Agder"])
    sheet.append(["t1", "B", "NAV-veileder", None])
    book.save(root / "informants.xlsx")
    (root / "informants.csv").unlink()
    t = Study.open(root).transcript("t1")
    assert t.informants["A"].attributes == {"role": "Bedriftsleder", "region": "Agder"}
    assert t.informants["B"].role == "NAV-veileder"


def test_semicolon_separated_csv_from_a_norwegian_spreadsheet(root: Path) -> None:
    (root / "informants.csv").write_bytes(
        "transcript;speaker;role;municipality_type\nt1;A;Bedriftsleder;småby\n".encode("cp1252")
    )
    t = Study.open(root).transcript("t1")
    assert t.informants["A"].get("municipality_type") == "småby"


def test_table_mistakes_are_reported_by_row(root: Path) -> None:
    (root / "informants.csv").write_text(
        "transcript,speaker,role\n"
        "t1,A,Bedriftsleder\n"
        "t1,A,Leder\n"
        ",B,Veileder\n"
        "t2,A,Leder\n"
        "t1,C,Leder\n",
        encoding="utf-8",
    )
    report = check_study(root)
    rows = {(p.line, p.severity) for p in report.problems if p.kind == "informant-table"}
    assert (3, "error") in rows  # the same speaker twice
    assert (4, "error") in rows  # no transcript
    assert (5, "warning") in rows  # unknown transcript
    assert (6, "warning") in rows  # no such speaker in t1


def test_a_table_without_the_required_columns_says_which(tmp_path: Path) -> None:
    path = tmp_path / "informants.csv"
    path.write_text("file,person,role\nt1,A,Leder\n", encoding="utf-8")
    rows, problems = read_table(path)
    assert rows == []
    assert "lacks the columns `transcript` and `speaker`." in problems[0].message
    path.write_text("transcript,person,role\nt1,A,Leder\n", encoding="utf-8")
    _rows, problems = read_table(path)
    assert "lacks the column `speaker`." in problems[0].message


def test_settings_mistakes_name_the_line_and_the_fix(root: Path) -> None:
    config = root / "qualcode.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("language: nb", "langauge: nb"),
        encoding="utf-8",
    )
    with pytest.raises(StudyError) as caught:
        Study.open(root)
    assert caught.value.path == config
    assert caught.value.line is not None
    assert "Did you mean `language`?" in caught.value.hint


def test_a_folder_that_is_not_a_study_is_explained(tmp_path: Path) -> None:
    with pytest.raises(StudyError) as caught:
        Study.open(tmp_path)
    assert "not a qualcode study" in caught.value.message
    assert "qualcode init" in caught.value.hint


def test_semicolon_table_with_a_short_row_keeps_its_columns(root: Path) -> None:
    (root / "informants.csv").write_bytes(
        "transcript;speaker;role;municipality_type;region\n"
        "t1;A;Bedriftsleder;utkantkommune;Innlandet\n"
        "t1;B;NAV-veileder\n".encode("cp1252")
    )
    report = check_study(root)
    assert [p for p in report.problems if p.kind == "informant-table"] == []
    t = Study.open(root).transcript("t1")
    assert t.informants["A"].get("municipality_type") == "utkantkommune"
    assert t.informants["B"].attributes == {"role": "NAV-veileder"}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_a_table_saved_as_unicode_text_is_read(root: Path, encoding: str) -> None:
    (root / "informants.csv").write_bytes(
        "transcript\tspeaker\trole\nt1\tA\tArbeidslivscoach\nt1\tB\tDeltaker\n".encode(encoding)
    )
    t = Study.open(root).transcript("t1")
    assert t.informants["A"].role == "Arbeidslivscoach"
    assert t.informants["B"].role == "Deltaker"


def test_a_column_named_twice_in_the_header_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "informants.csv"
    path.write_text("transcript,speaker,role,role\nt1,A,Leder,Veileder\n", encoding="utf-8")
    rows, problems = read_table(path)
    [problem] = problems
    assert (problem.severity, problem.line, problem.column) == ("error", 1, 4)
    assert "`role` appears more than once" in problem.message
    assert rows[0].attributes == {"role": "Veileder"}
