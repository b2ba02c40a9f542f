"""CSV and Excel quote tables: one row per quote, and the workbook matches the CSV cell by cell."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import openpyxl

from qualcode.export import QuoteOptions, export_quotes, select_quotes
from qualcode.export.tables import write_xlsx


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def read_xlsx(path: Path) -> tuple[list[list[object]], object]:
    book = openpyxl.load_workbook(path)
    sheet = book.active
    return [list(row) for row in sheet.iter_rows(values_only=True)], sheet


def test_csv_has_one_row_per_quote_with_every_attribute(coded, tmp_path: Path) -> None:
    out = tmp_path / "sitater.csv"
    result = export_quotes(coded.study, QuoteOptions(memos=True), out)
    rows = read_csv(out)
    header = rows[0]
    assert header[:7] == [
        "code_id",
        "code_path",
        "code_label",
        "quote",
        "transcript",
        "informant",
        "attribution",
    ]
    assert header[-4:] == ["coder", "start", "end", "memo"]
    for attribute in ("role", "organisation_type", "municipality_type", "region", "age_band"):
        assert attribute in header
    assert len(rows) - 1 == result.quotes == len(coded.spans)
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    organisational = next(r for r in records if r["code_id"] == "distance.organisational")
    assert organisational["code_path"] == "Distanse › Organisatorisk distanse"
    assert organisational["role"] == "Bedriftsleder"
    assert organisational["attribution"] == "(Bedriftsleder A, utkantkommune)"
    assert organisational["memo"] == "Klassisk eksempel – bruk i kapittel 4."
    assert organisational["coder"] == "consensus"
    spans = {(r["transcript"], int(r["start"]), int(r["end"]), r["code_id"]) for r in records}
    assert spans == set(coded.spans)
    for record in records:
        text = coded.study.transcript(record["transcript"]).text
        assert record["quote"] == text[int(record["start"]) : int(record["end"])]


def test_csv_opens_in_excel_with_norwegian_letters(coded, tmp_path: Path) -> None:
    out = tmp_path / "sitater.csv"
    export_quotes(coded.study, QuoteOptions(), out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel looks for
    assert "halvåret".encode() in raw and "«nå må dere gi oss en pause»".encode() in raw


def test_xlsx_matches_the_csv_row_by_row(coded, tmp_path: Path) -> None:
    options = QuoteOptions(memos=True, context=1)
    export_quotes(coded.study, options, tmp_path / "q.csv")
    export_quotes(coded.study, options, tmp_path / "q.xlsx")
    from_csv = read_csv(tmp_path / "q.csv")
    from_xlsx, _ = read_xlsx(tmp_path / "q.xlsx")
    assert len(from_xlsx) == len(from_csv)
    assert "context_before" in from_csv[0]
    for csv_row, xlsx_row in zip(from_csv, from_xlsx, strict=True):
        assert ["" if v is None else str(v) for v in xlsx_row] == csv_row
    start = from_csv[0].index("start")
    assert isinstance(from_xlsx[1][start], int)


def test_xlsx_keeps_its_header_in_view_and_filters_on(coded, tmp_path: Path) -> None:
    out = tmp_path / "q.xlsx"
    export_quotes(coded.study, QuoteOptions(), out)
    rows, sheet = read_xlsx(out)
    assert sheet.freeze_panes == "A2"
    last_column = openpyxl.utils.get_column_letter(len(rows[0]))
    assert sheet.auto_filter.ref == f"A1:{last_column}{len(rows)}"
    assert sheet["A1"].font.bold
    quote_column = rows[0].index("quote") + 1
    assert sheet.cell(row=2, column=quote_column).alignment.wrap_text


def test_text_that_looks_like_a_formula_stays_text(coded, tmp_path: Path) -> None:
    selection = select_quotes(coded.study, QuoteOptions())
    odd = replace(selection.quotes[0], text="=SUM(A1:A3) sa [navn]\x07", memo="+47 og -1")
    selection.quotes = [odd, *selection.quotes[1:]]
    out = tmp_path / "odd.xlsx"
    write_xlsx(selection, out)
    rows, sheet = read_xlsx(out)
    quote_column = rows[0].index("quote")
    assert rows[1][quote_column] == "=SUM(A1:A3) sa [navn]"
    assert sheet.cell(row=2, column=quote_column + 1).data_type == "s"
    assert rows[1][rows[0].index("memo")] == "+47 og -1"


def test_the_interview_form_is_a_column_as_it_is_a_filter(coded, tmp_path: Path) -> None:
    out = tmp_path / "sitater.csv"
    export_quotes(coded.study, QuoteOptions(), out)
    rows = read_csv(out)
    assert "form" in rows[0]
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    for record in records:
        assert record["form"] == coded.study.transcript(record["transcript"]).form
    assert {r["form"] for r in records} >= {"individual interview", "focus group"}
    only = QuoteOptions(where={"form": ["focus group"]})
    assert {q.attributes["form"] for q in select_quotes(coded.study, only).quotes} == {
        "focus group"
    }
