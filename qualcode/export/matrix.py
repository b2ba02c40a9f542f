"""The code-by-attribute table: where each theme comes from.

Rows are codes (optionally rolled up to a depth of the codebook tree), columns the values of one
attribute (role, region, organisation type, transcript ...). A cell counts the quoted
passages, the distinct informants quoted, or the words of the passages. A passage spanning the
turns of two informants counts in the column of each. Totals count each passage once per row
(a passage under two codes counts twice, as it appears twice in a quote sheet) and each person
once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from qualcode.export.checks import sort_key
from qualcode.export.quotes import Quote
from qualcode.study.codebook import Codebook

COUNTS = ("quotes", "informants", "words")


@dataclass
class Matrix:
    """Counts of quotes by code (rows) and attribute value (columns)."""

    key: str
    count: str
    rows: list[str]
    """Code ids in codebook order."""
    row_labels: dict[str, str]
    row_paths: dict[str, str]
    row_levels: dict[str, int]
    """1 for a top row, 2 for a row whose parent is also a row, ..."""
    columns: list[str]
    """Attribute values ('' for quotes whose informant has none)."""
    _cells: dict[tuple[str, str], set] = field(default_factory=dict, repr=False)
    """(row, column) -> members: ("q", row, transcript, start, end, words) for a passage and
    ("i", transcript, label) for a person."""

    def _value(self, members: set) -> int:
        if self.count == "words":
            return sum(m[-1] for m in members if m[0] == "q")
        kind = "q" if self.count == "quotes" else "i"
        return sum(1 for m in members if m[0] == kind)

    def _union(self, keys: Iterable[tuple[str, str]]) -> set:
        members: set = set()
        for key in keys:
            members |= self._cells.get(key, set())
        return members

    def cell(self, row: str, column: str) -> int:
        return self._value(self._cells.get((row, column), set()))

    def quotes(self, row: str, column: str) -> int:
        return sum(1 for m in self._cells.get((row, column), set()) if m[0] == "q")

    def informants(self, row: str, column: str) -> int:
        return sum(1 for m in self._cells.get((row, column), set()) if m[0] == "i")

    def _total(self, keys: list[tuple[str, str]]) -> int:
        return self._value(self._union(keys))

    def row_total(self, row: str) -> int:
        return self._total([(row, c) for c in self.columns])

    def column_total(self, column: str) -> int:
        return self._total([(r, column) for r in self.rows])

    @property
    def total(self) -> int:
        return self._total(list(self._cells))

    def to_dict(self) -> dict[str, object]:
        return {
            "rows": "code",
            "columns": self.key,
            "count": self.count,
            "column_values": self.columns,
            "table": [
                {
                    "code": row,
                    "label": self.row_labels[row],
                    "path": self.row_paths[row],
                    "cells": {c: self.cell(row, c) for c in self.columns},
                    "total": self.row_total(row),
                }
                for row in self.rows
            ],
            "column_totals": {c: self.column_total(c) for c in self.columns},
            "total": self.total,
        }

    def to_csv(self, missing_label: str = "(none)") -> str:
        """The table as CSV text: code id, code path, one column per value, total."""
        buffer = io.StringIO()
        out = csv.writer(buffer, lineterminator="\r\n")
        out.writerow(["code_id", "code_path", *[c or missing_label for c in self.columns], "total"])
        for row in self.rows:
            cells = [self.cell(row, c) for c in self.columns]
            out.writerow([row, self.row_paths[row], *cells, self.row_total(row)])
        totals = [self.column_total(c) for c in self.columns]
        out.writerow(["total", "", *totals, self.total])
        return buffer.getvalue()


def build_matrix(
    codebook: Codebook,
    quotes: Iterable[Quote],
    key: str,
    count: str = "quotes",
    depth: int | None = None,
    codes: Iterable[str] | None = None,
    language: str | None = None,
    only_used: bool = False,
    columns: Iterable[str] = (),
) -> Matrix:
    """Count `quotes` by code and by their value of `key`.

    `depth` rolls codes up to their ancestor at that depth (rows deeper than it are dropped);
    `codes` limits the rows (default: the whole codebook); `only_used` drops empty rows
    (but keeps the parents of used ones);
    `columns` adds values to show even where nothing was quoted.
    """
    if count not in COUNTS:
        raise ValueError(f"count must be one of {', '.join(COUNTS)}")
    quotes = list(quotes)
    scope = list(codes) if codes is not None else codebook.ids
    if depth is not None:
        scope = [c for c in scope if codebook.depth(c) <= depth]
    cells: dict[tuple[str, str], set] = {}
    values: set[str] = set()
    for quote in quotes:
        row = codebook.at_depth(quote.code, depth)
        passage = ("q", row, quote.transcript, quote.start, quote.end, quote.words)
        for column, people in quote.informants_by(key).items():
            values.add(column)
            members = cells.setdefault((row, column), set())
            members.add(passage)
            members.update(("i", *person) for person in people)
    rows = scope
    if only_used:
        used = {row for row, _ in cells}
        for row in list(used):  # keep the parents of used rows, so the tree still reads
            used.update(a.id for a in codebook.ancestors(row))
        rows = [c for c in scope if c in used]
    row_set = set(rows)
    levels: dict[str, int] = {}
    for row in rows:
        levels[row] = 1 + sum(1 for a in codebook.ancestors(row) if a.id in row_set)
    columns = sorted(values | (set(columns) - {""}), key=lambda v: (v == "", sort_key(v)))
    matrix = Matrix(
        key=key,
        count=count,
        rows=rows,
        row_labels={r: codebook[r].label(language) for r in rows},
        row_paths={r: codebook.path_label(r, language) for r in rows},
        row_levels=levels,
        columns=columns,
    )
    matrix._cells = {k: v for k, v in cells.items() if k[0] in row_set}
    return matrix
