"""Column widths for the closing table of a quote sheet, so that no word is broken in two.

Word breaks a word that is wider than its cell at any letter (`Arbeidslivscoa/ch`). The table
is therefore planned before it is written: each value column gets the width its longest word
and its widest number need, the code column what is left (within limits), on a portrait page
if it fits and a landscape page if not, in type shrunk a little if need be. When even that
fails, the columns are numbered and the names listed in a key under the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.shared import Cm

EMU_PER_POINT = 12700
HEADER_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0)
"""Type sizes tried for the column headers, largest first."""
PORTRAIT_SMALLEST = 7.0
"""Below this size a landscape page is tried first."""
TWIP = 635
"""Word keeps widths in twentieths of a point (635 EMU)."""
CELL_SIZE = 8.0
"""Type size of the numbers in the cells (the `Table Text` style)."""
CHAR_WIDTH = 0.7
"""A bold character's width as a share of the type size: generous, so that a word fits in
Calibri and also in the much wider DejaVu Sans that LibreOffice shows when Calibri is missing."""
CELL_PADDING = Cm(0.45)
"""Word's cell margins on both sides, with a little to spare."""
CODE_COLUMN = (Cm(3.0), Cm(6.0))
"""The narrowest and widest the code column may be."""
_BREAKS_AT = re.compile(r"(?<=-)|\s+")


@dataclass
class ColumnPlan:
    """How the table is laid out."""

    landscape: bool
    widths: list[int]
    """In EMU: the code column, then each value column, then the total."""
    header_size: float
    numbered: bool
    """True when the value columns are headed 1, 2, 3 ... with the names in a key."""
    headers: list[str]
    """The value columns' headers as laid out: the names, or the numbers and the last one."""


def longest_word(text: str) -> int:
    """Letters in the longest part Word may not break: between spaces, or after a hyphen."""
    return max((len(word) for word in _BREAKS_AT.split(text)), default=0)


def column_need(header: str, cells: list[str], header_size: float) -> int:
    """The width (EMU) a column needs for its header's longest word and its widest cell."""
    header_points = longest_word(header) * header_size * CHAR_WIDTH
    cell_points = max((len(c) for c in cells), default=0) * CELL_SIZE * CHAR_WIDTH
    need = int(max(header_points, cell_points) * EMU_PER_POINT) + CELL_PADDING
    return -(-need // TWIP) * TWIP  # whole twips, rounded up


def _fit(
    headers: list[str], columns: list[list[str]], width: int, sizes: tuple[float, ...]
) -> tuple[list[int], float] | None:
    least, most = CODE_COLUMN
    for size in sizes:
        needs = [column_need(h, cells, size) for h, cells in zip(headers, columns, strict=True)]
        spare = width - sum(needs)
        if spare >= least:
            first = min(most, spare)
            extra = (spare - first) // len(needs) // TWIP * TWIP if needs else 0
            return [first, *[need + extra for need in needs]], size
    return None


def plan_columns(
    headers: list[str], columns: list[list[str]], portrait: int, landscape: int
) -> ColumnPlan:
    """Lay out a table whose value columns (the total last) have `headers` and cell texts
    `columns`, on a page whose text is `portrait` or `landscape` EMU wide."""
    large = tuple(s for s in HEADER_SIZES if s >= PORTRAIT_SMALLEST)
    tries = ((False, portrait, large), (True, landscape, HEADER_SIZES))
    numbers = [str(i) for i in range(1, len(headers))] + headers[-1:]
    for numbered, names in ((False, headers), (True, numbers)):
        for is_landscape, width, sizes in tries:
            fitted = _fit(names, columns, width, sizes)
            if fitted is not None:
                widths, size = fitted
                return ColumnPlan(is_landscape, widths, size, numbered, names)
    first = CODE_COLUMN[0]
    rest = (landscape - first) // max(len(headers), 1)
    return ColumnPlan(True, [first, *[rest] * len(headers)], HEADER_SIZES[-1], True, numbers)
