"""Reading a plain reliability table and computing figures from it; mistakes named by place."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.agreement.reliability_table import read_reliability_table, table_statistics
from qualcode.agreement.statistics import cohen_kappa, krippendorff_alpha
from qualcode.errors import AgreementError


def write(tmp_path: Path, text: str, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_table_with_unit_names_and_empty_cells(tmp_path: Path) -> None:
    path = write(tmp_path, "unit,ingrid,jonas\nA,geo,geo\nB,cog,\nC,org,cog\n\n")
    table = read_reliability_table(path)
    assert table.coders == ["ingrid", "jonas"]
    assert table.units == ["A", "B", "C"]
    assert table.values == [["geo", "cog", "org"], ["geo", None, "cog"]]
    stats = {s.name: s for s in table_statistics(table)}
    assert stats["Cohen's kappa"].value == pytest.approx(cohen_kappa(table.values).value)
    assert stats["Cohen's kappa"].units == 2
    assert stats["Krippendorff's alpha (nominal)"].units == 2


def test_semicolons_bom_and_decimal_commas_as_spreadsheets_write_them(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_bytes("\ufeffA;B;C\n1,5;2;1,5\n3;3;\n4;4,5;4\n".encode())
    table = read_reliability_table(path)
    assert table.coders == ["A", "B", "C"]
    [alpha] = table_statistics(table, "alpha", "interval")
    expected = krippendorff_alpha([[1.5, 3, 4], [2, 3, 4.5], [1.5, None, 4]], "interval")
    assert alpha.value == pytest.approx(expected.value)


def test_ordinal_labels_need_their_order(tmp_path: Path) -> None:
    path = write(tmp_path, "a,b\nlow,mid\nhigh,high\nmid,low\n")
    table = read_reliability_table(path)
    with pytest.raises(AgreementError) as error:
        table_statistics(table, "alpha", "ordinal")
    assert error.value.line == 2 and "not a number" in error.value.message
    [alpha] = table_statistics(table, "alpha", "ordinal", order=["low", "mid", "high"])
    assert alpha.value is not None


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("unit,a,b\n1,x,y\n2,x,y,z\n", 3, 4, "no coder"),
        ("a,,b\n1,2,3\n", 1, 2, "no coder name"),
        ("a,a\n1,2\n", 1, 2, "names two columns"),
        ("a,b\n", 2, None, "no units"),
        ("just-one\n1\n", 1, 1, "only one column"),
        # Separators alone: no coder name anywhere.
        (",,\n", 1, None, "fewer than two coder columns"),
        (",,\n,,\n", 1, None, "fewer than two coder columns"),
        # A quotation mark never closed would swallow the rows below it into one cell.
        ('unit,a,b\n1,"x\n2,y,z\n', 2, 2, "quotation mark"),
        ('unit,a,b\n1,x,y\n2,y,"two\nlines"\n3,x,x\n', 3, 3, "runs over 2 lines"),
    ],
)
def test_malformed_tables_are_refused_with_row_and_column(
    tmp_path: Path, text: str, line: int, column: int | None, words: str
) -> None:
    with pytest.raises(AgreementError) as error:
        read_reliability_table(write(tmp_path, text))
    assert error.value.line == line
    assert error.value.column == column
    assert words in error.value.message


def test_a_label_in_an_interval_table_is_named_by_row_and_coder(tmp_path: Path) -> None:
    table = read_reliability_table(write(tmp_path, "unit,a,b\n1,2,3\n2,4,high\n"))
    with pytest.raises(AgreementError) as error:
        table_statistics(table, "all", "interval")
    assert (error.value.line, error.value.column) == (3, 3)
    assert "`high` is not a number" in error.value.message


def test_kappa_is_for_two_coders_and_nominal_data(tmp_path: Path) -> None:
    table = read_reliability_table(write(tmp_path, "a,b,c\n1,1,2\n2,2,2\n"))
    with pytest.raises(AgreementError, match="exactly two coders"):
        table_statistics(table, "kappa")
    with pytest.raises(AgreementError, match="no interval form"):
        table_statistics(table, "fleiss", "interval")


def test_a_file_that_is_not_utf8_says_how_to_save_it(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("a,b\nø,å\n".encode("latin-1"))
    with pytest.raises(AgreementError, match="not UTF-8"):
        read_reliability_table(path)


def test_a_negative_number_in_a_ratio_table_is_named_by_row_and_column(tmp_path: Path) -> None:
    table = read_reliability_table(write(tmp_path, "unit,a,b\n1,2,3\n2,-1,4\n3,5,5\n"))
    with pytest.raises(AgreementError) as error:
        table_statistics(table, "alpha", "ratio")
    assert (error.value.line, error.value.column) == (3, 2)
    assert "`-1` is below zero" in error.value.message
    assert "--level interval" in error.value.hint
    [interval] = table_statistics(table, "alpha", "interval")
    assert interval.value is not None
