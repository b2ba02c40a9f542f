"""Agreement from a plain reliability table, so a lead can check figures from any source.

The table is a CSV file (comma, semicolon or tab separated, UTF-8) with one row per unit and one
column per coder. The first row names the coders. A first column headed `unit` (or `id`, or left
empty) names the units and is not a coder. An empty cell is a missing value: that coder did not
code that unit. Example::

    unit,ingrid,jonas,kari
    1,geographic,geographic,
    2,cognitive,structural,cognitive

Values are labels (nominal), ranked labels or numbers (ordinal), or numbers (interval, ratio).
Numbers may use a decimal comma in semicolon- or tab-separated files.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode.agreement.statistics import (
    Statistic,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    fleiss_table,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scotts_pi,
)
from qualcode.errors import AgreementError

__all__ = ["METRICS", "ReliabilityTable", "read_reliability_table", "table_statistics"]

METRICS = ("all", "percent", "kappa", "scott", "fleiss", "alpha", "ac1", "bp")
"""`kappa` is Cohen's kappa (two coders); `ac1` Gwet's AC1; `bp` Brennan-Prediger."""
MEASUREMENT_LEVELS = ("nominal", "ordinal", "interval", "ratio")
UNIT_HEADERS = ("", "unit", "units", "id", "enhet", "item")


@dataclass
class ReliabilityTable:
    """Coders × units values read from a file, with where each unit came from."""

    path: Path
    coders: list[str]
    units: list[str]
    values: list[list[Any]]
    """One row per coder, one column per unit; None where missing."""
    rows: list[int]
    """The file row of each unit (1-based, the header being row 1)."""
    first_column: int = 1
    """The file column (1-based) of the first coder: 2 when the first column names units."""
    delimiter: str = ","


def _error(
    path: Path,
    message: str,
    row: int | None = None,
    column: int | None = None,
    hint: str | None = None,
) -> AgreementError:
    return AgreementError(message, path=path, line=row, column=column, hint=hint)


def read_reliability_table(path: str | Path) -> ReliabilityTable:
    """Read a reliability table; raise AgreementError naming the row and column of a mistake."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _error(
            path,
            f"The file cannot be read: {exc.strerror}.",
            hint="Check the path to the reliability table.",
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _error(
            path,
            f"The file is not UTF-8 text (byte {exc.start} cannot be read).",
            hint="Save it as CSV UTF-8 (in Excel: Save as → CSV UTF-8).",
        ) from None
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise _error(
            path,
            "The file is empty.",
            hint="Put coder names in the first row and one row per unit below it.",
        )
    delimiter = max((",", ";", "\t"), key=lambda d: lines[0].count(d))
    if lines[0].count(delimiter) == 0:
        raise _error(
            path,
            "The first row names only one column; agreement needs two or more coders.",
            1,
            1,
            hint="Separate the columns with commas, semicolons or tabs, one coder each.",
        )
    records = _records(path, text, delimiter)
    while len(records) > 1 and not any(cell.strip() for cell in records[0][1]):
        records.pop(0)  # blank lines above the coder names
    header = [cell.strip() for cell in records[0][1]]
    has_unit_column = header[0].lower() in UNIT_HEADERS
    first = 1 if has_unit_column else 0
    coders = header[first:]
    while coders and not coders[-1]:
        coders.pop()
    for i, name in enumerate(coders):
        j = first + i + 1
        if not name:
            raise _error(
                path,
                f"Column {j} has no coder name in the first row.",
                1,
                j,
                hint="Name every coder column in the first row.",
            )
        if name in coders[:i]:
            raise _error(
                path,
                f"Coder `{name}` names two columns.",
                1,
                j,
                hint="Give every coder column its own name.",
            )
    if len(coders) < 2:
        raise _error(
            path,
            "The table has fewer than two coder columns.",
            1,
            hint="One column per coder; the first column may name the units (`unit`).",
        )

    values: list[list[Any]] = [[] for _ in coders]
    units: list[str] = []
    file_rows: list[int] = []
    for number, row in records[1:]:
        if not any(cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row[first:]]
        extra = [j for j, cell in enumerate(cells[len(coders) :], start=len(coders)) if cell]
        if extra:
            column = first + extra[0] + 1
            raise _error(
                path,
                f"Row {number} has a value in column {column}, which has no "
                "coder in the first row.",
                number,
                column,
                hint="Add the coder's name to the first row, or remove the value.",
            )
        cells += [""] * (len(coders) - len(cells))
        for k in range(len(coders)):
            values[k].append(cells[k] or None)
        units.append(row[0].strip() if has_unit_column and row else str(len(units) + 1))
        file_rows.append(number)
    if not units:
        raise _error(
            path,
            "The table has no units: only the row of coder names.",
            2,
            hint="Add one row per unit below the coder names.",
        )
    return ReliabilityTable(path, coders, units, values, file_rows, first + 1, delimiter)


def _records(path: Path, text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The file's rows as (file row where it starts, cells); a cell must stay on one line.

    A quotation mark that is never closed makes the CSV reader swallow every line below it into
    one cell, and the rows in it would silently go missing, so such a cell is refused.
    """
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    start = 1
    for row in reader:
        for j, cell in enumerate(row, start=1):
            if "\n" in cell or "\r" in cell:
                raise _broken_cell(path, start, j, reader.line_num)
        records.append((start, row))
        start = reader.line_num + 1
    return records


def _broken_cell(path: Path, row: int, column: int, last_line: int) -> AgreementError:
    return _error(
        path,
        f'Row {row}, column {column}: the cell starts with a quotation mark (") and runs over '
        f"{last_line - row + 1} lines, up to line {last_line}, so the rows in between would be "
        "read as one value.",
        row,
        column,
        hint="Close the quotation mark where the value ends, or remove it; each value of a "
        "reliability table stays on one line.",
    )


def _number(text: str, decimal_comma: bool) -> float | None:
    candidate = text.replace(" ", "").replace("\u00a0", "")
    if decimal_comma:
        candidate = candidate.replace(",", ".")
    try:
        value = float(candidate)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def prepared(table: ReliabilityTable, level: str, order: list[str] | None) -> list[list[Any]]:
    """The values ready for the statistics: numbers where the level needs (or allows) them."""
    decimal_comma = table.delimiter != ","
    cells = [
        (k, u, v) for k, row in enumerate(table.values) for u, v in enumerate(row) if v is not None
    ]
    numbers = {(k, u): _number(v, decimal_comma) for k, u, v in cells}
    all_numbers = all(n is not None for n in numbers.values())
    if level in ("interval", "ratio") or (level == "ordinal" and order is None):
        for k, u, v in cells:
            if numbers[(k, u)] is None:
                raise _error(
                    table.path,
                    f"Row {table.rows[u]}, coder `{table.coders[k]}`: `{v}` is not a number, but "
                    f"{level} alpha needs numbers.",
                    table.rows[u],
                    _column(table, k),
                    hint="Use --level nominal for labels"
                    + (
                        ", or give their order with --order low,...,high."
                        if level == "ordinal"
                        else "."
                    ),
                )
    if level == "ratio":
        for k, u, v in cells:
            if numbers[(k, u)] < 0:
                raise _error(
                    table.path,
                    f"Row {table.rows[u]}, coder `{table.coders[k]}`: `{v}` is below zero, but "
                    "ratio alpha needs numbers of zero or more (a ratio scale starts at a true "
                    "zero).",
                    table.rows[u],
                    _column(table, k),
                    hint="Use --level interval for scores that can be negative.",
                )
    if level == "ordinal" and order is not None:
        for k, u, v in cells:
            if v not in order:
                raise _error(
                    table.path,
                    f"Row {table.rows[u]}, coder `{table.coders[k]}`: `{v}` is not in --order.",
                    table.rows[u],
                    _column(table, k),
                    hint="List every value in --order, from lowest to highest.",
                )
        return [list(row) for row in table.values]
    if level != "nominal" or all_numbers:
        return [
            [None if v is None else numbers[(k, u)] for u, v in enumerate(row)]
            for k, row in enumerate(table.values)
        ]
    return [list(row) for row in table.values]


def _column(table: ReliabilityTable, coder: int) -> int:
    return table.first_column + coder


def table_statistics(
    table: ReliabilityTable,
    metric: str = "all",
    level: str = "nominal",
    order: list[str] | None = None,
) -> list[Statistic]:
    """The statistics asked for, on the table's values.

    With `metric` "all", every coefficient that applies: at the nominal level percent agreement,
    Cohen's kappa and Scott's pi (two coders), Fleiss' kappa, Krippendorff's alpha, Gwet's AC1 and
    Brennan-Prediger; at other levels Krippendorff's alpha at that level (the others treat values
    as unordered categories).
    """
    if metric not in METRICS:
        raise AgreementError(
            f"Unknown metric `{metric}`.", hint="Use one of: " + ", ".join(METRICS) + "."
        )
    if level not in MEASUREMENT_LEVELS:
        raise AgreementError(
            f"Unknown level of measurement `{level}` for a reliability table.",
            hint="Use nominal, ordinal, interval or ratio (the default is nominal).",
        )
    if level != "nominal" and metric not in ("all", "alpha"):
        raise AgreementError(
            f"`{metric}` treats values as unordered categories, so it has no {level} form.",
            hint="Use --metric alpha for ordinal, interval or ratio data, or --level nominal.",
        )
    data = prepared(table, level, order)
    two = len(table.coders) == 2
    if metric in ("kappa", "scott") and not two:
        what = "Cohen's kappa" if metric == "kappa" else "Scott's pi"
        raise AgreementError(
            f"{what} compares exactly two coders; the table has {len(table.coders)}.",
            hint="Use --metric fleiss or alpha for three or more coders.",
        )
    if level != "nominal":
        try:
            return [krippendorff_alpha(data, level, order=order)]  # type: ignore[arg-type]
        except ValueError as exc:
            raise AgreementError(str(exc), path=table.path) from None
    wanted = METRICS[1:] if metric == "all" else (metric,)
    out: list[Statistic] = []
    for name in wanted:
        if name == "percent":
            out.append(percent_agreement(data))
        elif name == "kappa" and two:
            out.append(cohen_kappa(data))
        elif name == "scott" and two:
            out.append(scotts_pi(data))
        elif name == "fleiss":
            out.append(fleiss_kappa(fleiss_table(data)[0]))
        elif name == "alpha":
            out.append(krippendorff_alpha(data, "nominal"))
        elif name == "ac1":
            out.append(gwet_ac1(data))
        elif name == "bp":
            out.append(brennan_prediger(data))
    return out
