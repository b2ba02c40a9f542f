"""A table of rows to choose from (transcripts, disagreements): Home and End go to the first
and the last row, as a coder expects in a list."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class RowTable(DataTable):
    """A DataTable whose Home and End move the cursor to the first and the last row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home,ctrl+home", "first_row", "First row", show=False,
                tooltip="Go to the first row of the list"),
        Binding("end,ctrl+end", "last_row", "Last row", show=False,
                tooltip="Go to the last row of the list"),
    ]

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0, scroll=True)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, scroll=True)
