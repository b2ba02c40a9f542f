"""The help screen: every key of every screen, read from the bindings themselves.

Because the table is built from the classes' `BINDINGS`, a key added anywhere shows up here
without anyone having to remember to document it.
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from qualcode.tui.keys import key_of, own_bindings, what_it_does

MOUSE = [
    ("click", "place the cursor"),
    ("drag, shift+click", "select a passage"),
    ("double click", "select a word"),
    ("click a code in the tree", "code the selection with it"),
    ("wheel", "scroll"),
]

HelpPart = tuple[str, type]
"""A subheading ('' for none) and the class whose bindings are listed under it."""

HelpSection = tuple[str, list[HelpPart]]
"""A heading and its parts."""


class HelpScreen(Screen[None]):
    """Lists every key binding, grouped by where it works."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1", "back", "Back", tooltip="Close the list of keys"),
    ]

    def __init__(self, sections: list[HelpSection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-body"):
            yield Static(self._content(), id="help-text")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "qualcode — keys"
        self.sub_title = "ctrl+p: every action by name"
        self.query_one("#help-body").focus()

    def rows(self, cls: type) -> list[tuple[str, str]]:
        """(keys, what they do) for every binding; numbered ones (1–9) share one row."""
        rows: dict[str, list[str]] = {}
        for binding in own_bindings(cls):
            text = re.sub(r"\b\d\b", "n", what_it_does(binding))
            keys = rows.setdefault(text, [])
            shown = key_of(self.app, binding)
            if shown not in keys:
                keys.append(shown)
        out = []
        for text, keys in rows.items():
            joined = f"{keys[0]} … {keys[-1]}" if len(keys) > 3 else " / ".join(keys)
            out.append((joined, text))
        return out

    def _table(self, rows: list[tuple[str, str]]) -> Table:
        table = Table(box=None, show_header=False, padding=(0, 2), expand=False)
        table.add_column("Key", style="bold", min_width=22)
        table.add_column("Action")
        for keys, description in rows:
            table.add_row(Text(keys), Text(description))
        return table

    def _content(self) -> Group:
        parts: list = [
            Text("Every change is saved the moment you make it; z undoes it, even after a "
                 "restart. Tab moves between the parts of a screen (on the coding screen: "
                 "from the transcript to the code tree and back).\n", style="italic")
        ]
        for heading, classes in self.sections:
            parts.append(Text(heading, style="bold underline"))
            for subheading, cls in classes:
                rows = self.rows(cls)
                if not rows:
                    continue
                if subheading:
                    parts.append(Text(f"  {subheading}", style="bold"))
                parts.append(self._table(rows))
            parts.append(Text(""))
        parts.extend([Text("Mouse", style="bold underline"), self._table(MOUSE)])
        return Group(*parts)

    def action_back(self) -> None:
        self.app.pop_screen()
