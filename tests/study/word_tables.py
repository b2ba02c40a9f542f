"""Word documents holding a table, as transcribers and researchers lay them out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import docx


def word_table(path: Path, rows: Iterable[Sequence[str]], heading: str | None = None) -> Path:
    """Save a .docx at `path`: a paragraph `heading` (if given), then a table of `rows`, one
    cell for each of a row's values."""
    rows = list(rows)
    document = docx.Document()
    if heading is not None:
        document.add_paragraph(heading)
    table = document.add_table(rows=0, cols=len(rows[0]))
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    document.save(path)
    return path
