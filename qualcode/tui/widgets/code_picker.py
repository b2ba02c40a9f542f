"""Choosing a code by typing a few letters of its id or label.

The picker lists the recently used codes first; typing ranks every code with
`qualcode.study.code_search.rank_codes` (fuzzy, forgiving typos). Choices beside the codes
("show all codes again") stay listed while what is typed begins one of their words. Enter
picks the highlighted code, Escape cancels. Dismisses with the code id or None.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.study.code_search import rank_codes
from qualcode.study.codebook import Codebook


class CodePicker(ModalScreen[str | None]):
    """A modal list of codes with a fuzzy search field."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close the list without choosing"),
        Binding("down", "move(1)", "Next code in the list", show=False),
        Binding("up", "move(-1)", "Previous code in the list", show=False),
        Binding("pagedown", "move(8)", "A page down the list", show=False),
        Binding("pageup", "move(-8)", "A page up the list", show=False),
    ]

    def __init__(
        self,
        codebook: Codebook,
        language: str | None,
        title: str = "Code the selection",
        recent: list[str] | None = None,
        extra: list[tuple[str, str]] | None = None,
        context: str = "",
    ) -> None:
        """
        Args:
            codebook: the study's codebook.
            language: the language of the labels shown.
            title: what choosing a code will do.
            recent: code ids to list first when nothing is typed.
            extra: (value, text) choices shown above the codes, e.g. "show every code".
            context: what is being coded, e.g. the selected passage.
        """
        super().__init__()
        self.codebook = codebook
        self.language = language
        self.title_text = title
        self.recent = recent or []
        self.extra = extra or []
        self.context = context

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(self.title_text, id="picker-title", markup=False)
            if self.context:
                yield Static(self.context, id="picker-context", markup=False)
            yield Input(placeholder="Type part of a code's name or id…", id="picker-query")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        items: list[Option] = [
            Option(Text(text, style="italic"), id=f"extra:{value}")
            for value, text in self.extra if words_begin(text, query)
        ]
        for match in rank_codes(self.codebook, query, self.language, limit=60, first=self.recent):
            code = match.code
            label = Text()
            label.append("● ", style=code.colour)
            label.append(self.codebook.path_label(code.id, self.language))
            label.append(f"  {code.id}", style="dim")
            items.append(Option(label, id=f"code:{code.id}"))
        options.add_options(items)
        if items:
            options.highlighted = 0

    @on(Input.Changed, "#picker-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-query")
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id is None:
            return
        self.dismiss(option_id.split(":", 1)[1])

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count == 0:
            return
        current = options.highlighted if options.highlighted is not None else 0
        options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)


def words_begin(text: str, query: str) -> bool:
    """Whether every word typed begins a word of `text` (always, when nothing is typed)."""
    words = [w.strip("(),.") for w in text.lower().split()]
    return all(any(w.startswith(typed) for w in words) for typed in query.lower().split())
