"""The quote sheet as a table: CSV and Excel, one row per quote.

Columns: code id, code path, code label, quote, transcript, informant, attribution, every
informant attribute of the study, coder, start, end, memo (and the context before and after
when context was asked for). The CSV is UTF-8 with a byte-order mark so that Excel shows
Norwegian letters; the Excel sheet keeps its header row in view and has filters switched on.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from qualcode.export.quotes import Progress, Quote, QuoteSelection

FIXED_BEFORE = (
    "code_id",
    "code_path",
    "code_label",
    "quote",
    "transcript",
    "informant",
    "attribution",
)
FIXED_AFTER = ("coder", "start", "end", "memo")
CONTEXT = ("context_before", "context_after")
EXCEL_CELL_LIMIT = 32_767
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WIDTHS = {
    "code_id": 24,
    "code_path": 36,
    "code_label": 24,
    "quote": 80,
    "memo": 40,
    "attribution": 30,
    "transcript": 26,
    "context_before": 40,
    "context_after": 40,
}


def header(selection: QuoteSelection) -> list[str]:
    """The column names; an attribute named like a fixed column gets an `informant_` prefix."""
    fixed = set(FIXED_BEFORE) | set(FIXED_AFTER) | set(CONTEXT)
    attributes = [a if a not in fixed else f"informant_{a}" for a in selection.attributes]
    context = list(CONTEXT) if selection.options.context else []
    return [*FIXED_BEFORE, *attributes, *FIXED_AFTER, *context]


def rows(selection: QuoteSelection) -> Iterator[list[str | int]]:
    """One list of values per quote, in the order of `header`."""
    with_context = bool(selection.options.context)
    for quote in selection.quotes:
        yield _row(quote, selection.attributes, with_context)


def _row(quote: Quote, attributes: list[str], with_context: bool) -> list[str | int]:
    values: list[str | int] = [
        quote.code,
        quote.code_path,
        quote.code_label,
        quote.text,
        quote.transcript,
        quote.attributes.get("informant", ""),
        quote.attribution,
    ]
    values.extend(quote.attributes.get(a, "") for a in attributes)
    values.extend([quote.coder, quote.start, quote.end, quote.memo])
    if with_context:
        values.extend([quote.before, quote.after])
    return values


def write_csv(selection: QuoteSelection, path: Path, progress: Progress | None = None) -> None:
    """Write the quotes as CSV (UTF-8 with BOM, comma-separated, every field as written)."""
    total = len(selection.quotes)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(header(selection))
        for done, row in enumerate(rows(selection), 1):
            out.writerow(row)
            if progress and done % 1000 == 0:
                progress("write", done, total)
    if progress:
        progress("write", total, total)


def write_xlsx(selection: QuoteSelection, path: Path, progress: Progress | None = None) -> None:
    """Write the quotes as an Excel sheet with a fixed header row and filters on."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    names = header(selection)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="Quotes")
    for index, name in enumerate(names, 1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(name, 16)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    wrapped = {i for i, n in enumerate(names) if n in ("quote", "memo", *CONTEXT)}

    def styled(alignment: Alignment | None = None, font: Font | None = None):
        """A style worked out once and copied to each cell (much faster than setting it)."""
        template = WriteOnlyCell(sheet, "")
        if alignment is not None:
            template.alignment = alignment
        if font is not None:
            template.font = font
        return template._style

    def cell(value: str | int, style) -> WriteOnlyCell:
        if isinstance(value, str):
            value = _NOT_XML.sub("", value)[:EXCEL_CELL_LIMIT]
        item = WriteOnlyCell(sheet, value)
        if isinstance(value, str):
            item.data_type = "s"  # text starting with `=` stays text, never a formula
        item._style = style  # shared: cells are written out at once and never changed
        return item

    head = styled(top, bold)
    sheet.append([cell(n, head) for n in names])
    styles = [styled(wrap if i in wrapped else top) for i in range(len(names))]
    total = len(selection.quotes)
    for done, row in enumerate(rows(selection), 1):
        sheet.append([cell(v, styles[i]) for i, v in enumerate(row)])
        if progress and done % 500 == 0:
            progress("write", done, total)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(names))}{total + 1}"
    book.save(str(path))
    if progress:
        progress("write", total, total)
