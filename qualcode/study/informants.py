"""The informant table: attributes per speaker of each transcript, as CSV or Excel.

One row per speaker in a transcript. `transcript` and `speaker` are required columns; every
other column is an attribute (role, organisation_type, municipality_type, region, ...).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import ImportFileError, InformantError
from qualcode.study.cleaning import decode_bytes
from qualcode.study.problems import Problem
from qualcode.wording import joined, plural_form

TABLE_NAMES = ("informants.csv", "informants.xlsx")
REQUIRED = ("transcript", "speaker")


@dataclass(frozen=True)
class InformantRow:
    transcript: str
    speaker: str
    attributes: dict[str, str]
    line: int
    """Row number in the file as a spreadsheet shows it (header is row 1)."""


def find_table(root: Path, configured: str | None) -> Path | None:
    """The study's informant table, if it has one."""
    if configured:
        return root / configured
    for name in TABLE_NAMES:
        if (root / name).exists():
            return root / name
    return None


def read_table(path: Path) -> tuple[list[InformantRow], list[Problem]]:
    """Read an informant table, collecting problems with their row numbers."""
    if not path.exists():
        return [], [
            Problem(
                "error",
                "informant-table",
                "The informant table named in qualcode.yaml does not exist.",
                path,
                hint="Create it, or remove `informant_table` from qualcode.yaml.",
            )
        ]
    try:
        rows = _read_xlsx(path) if path.suffix.lower() == ".xlsx" else _read_csv(path)
    except InformantError as exc:
        return [], [Problem.from_error(exc, kind="informant-table")]
    if not rows:
        return [], [
            Problem(
                "warning",
                "informant-table",
                "The informant table is empty.",
                path,
                hint="Add a header row `transcript,speaker,role,...` and one row per speaker.",
            )
        ]
    header = [h.strip() for h in rows[0]]
    problems: list[Problem] = _duplicate_columns(header, path)
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return [], [
            Problem(
                "error",
                "informant-table",
                f"The informant table lacks the {plural_form(len(missing), 'column', 'columns')} "
                + joined(f"`{name}`" for name in missing)
                + ".",
                path,
                1,
                hint="The first row must name the columns; `transcript` and `speaker` are "
                "required, e.g. `transcript,speaker,role,region`.",
            )
        ]
    out: list[InformantRow] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(
                Problem(
                    "error",
                    "informant-table",
                    f"Row {number} has {len(row)} cells but the header has {len(header)}.",
                    path,
                    number,
                    hint="Remove the extra cells or add a column name; values with commas "
                    "need quotes.",
                )
            )
            continue
        values = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        transcript, speaker = values.pop("transcript"), values.pop("speaker")
        if not transcript or not speaker:
            problems.append(
                Problem(
                    "error",
                    "informant-table",
                    f"Row {number} has no transcript or no speaker.",
                    path,
                    number,
                    hint="Fill in both: the transcript's file name without extension and the "
                    "speaker label used in it.",
                )
            )
            continue
        key = (transcript, speaker)
        if key in seen:
            problems.append(
                Problem(
                    "error",
                    "informant-table",
                    f"Speaker `{speaker}` of `{transcript}` appears twice "
                    f"(rows {seen[key]} and {number}).",
                    path,
                    number,
                    hint="Keep one row per speaker per transcript.",
                )
            )
            continue
        seen[key] = number
        attributes = {k: v for k, v in values.items() if k and v}
        out.append(InformantRow(transcript, speaker, attributes, number))
    return out, problems


def _duplicate_columns(header: list[str], path: Path) -> list[Problem]:
    """An error for each column name the header row has more than once."""
    problems = []
    for name in dict.fromkeys(h for h in header if h):
        columns = [i + 1 for i, h in enumerate(header) if h == name]
        if len(columns) > 1:
            problems.append(
                Problem(
                    "error",
                    "informant-table",
                    f"The column `{name}` appears more than once in the header (columns "
                    f"{joined(str(c) for c in columns)}); only the last one's values are used.",
                    path,
                    1,
                    columns[1],
                    hint="Give each column its own name, or remove the extra column.",
                )
            )
    return problems


def _read_csv(path: Path) -> list[list[str]]:
    """The rows of a CSV table, in whatever encoding and with whichever separator it has.

    The encoding is found as for transcripts (UTF-8 with or without a byte-order mark, UTF-16,
    Windows-1252 ...). The separator is the one the header row uses: a comma, or the semicolon
    a Norwegian Excel writes, or a tab.
    """
    try:
        text, _encoding = decode_bytes(path.read_bytes(), path)
    except ImportFileError as exc:
        raise InformantError(
            exc.message,
            path=path,
            line=exc.line,
            hint="Save the table from your spreadsheet as CSV (UTF-8), or as .xlsx.",
        ) from None
    text = text.removeprefix("\ufeff")
    header = next((line for line in text.splitlines() if line.strip()), "")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=_separator(header)))


def _separator(header: str) -> str:
    """The separator a header row uses: the most frequent of `,`, `;` and tab (`,` if none)."""
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise InformantError(
            f"The Excel file cannot be read ({type(exc).__name__}).",
            path=path,
            hint="Open it in Excel and save it again as .xlsx, or save the table as CSV.",
        ) from None
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows
