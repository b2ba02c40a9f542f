"""The help screen: every key of every screen, read from the bindings themselves.

Because the table is built from the classes' `BINDINGS`, a key added anywhere shows up here
without anyone having to remember to document it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

MOUSE = [
    ("click", "place the cursor"),
    ("drag, shift+click", "select a passage"),
    ("double click", "select a word"),
    ("click a code in the tree", "code the selection with it"),
    ("wheel", "scroll"),
]

HelpSection = tuple[str, list[type]]
"""A heading and the classes whose bindings it lists."""


class HelpScreen(Screen[None]):
    """Lists every key binding, grouped by where it works."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,f1", "back", "Back")]

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

    def _rows(self, classes: list[type]) -> list[tuple[str, str]]:
        """(keys, what they do) for every binding; numbered ones (1–9) share one row."""
        rows: dict[str, list[str]] = {}
        for cls in classes:
            for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
                if binding.system:
                    continue
                text = binding.tooltip or binding.description or binding.action
                text = re.sub(r"\b\d\b", "n", text)
                keys = rows.setdefault(text, [])
                shown = self.app.get_key_display(replace(binding, key_display=None))
                if shown not in keys:
                    keys.append(shown)
        out = []
        for text, keys in rows.items():
            joined = f"{keys[0]} … {keys[-1]}" if len(keys) > 3 else " / ".join(keys)
            out.append((joined, text))
        return out

    def _content(self) -> Group:
        parts: list = [
            Text("Every change is saved the moment you make it; z undoes it, even after a "
                 "restart.\n", style="italic")
        ]
        for heading, classes in self.sections:
            table = Table(box=None, show_header=False, padding=(0, 2), expand=False)
            table.add_column("Key", style="bold", min_width=22)
            table.add_column("Action")
            for keys, description in self._rows(classes):
                table.add_row(keys, description)
            parts.append(Text(heading, style="bold underline"))
            parts.append(table)
            parts.append(Text(""))
        mouse = Table(box=None, show_header=False, padding=(0, 2))
        mouse.add_column("Mouse", style="bold", min_width=22)
        mouse.add_column("Action")
        for gesture, action in MOUSE:
            mouse.add_row(gesture, action)
        parts.extend([Text("Mouse", style="bold underline"), mouse])
        return Group(*parts)

    def action_back(self) -> None:
        self.app.pop_screen()
