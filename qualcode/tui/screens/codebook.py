"""The codebook screen: the tree of codes beside the highlighted code's full definition.

Shows a code's description, the coder's own memo on it, inclusion and exclusion criteria,
examples and keywords, and how often each coder has used it (with the codes below it).
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tree

from qualcode.errors import QualcodeError
from qualcode.store.progress import rolled_up, usage_by_coder
from qualcode.study.codebook import Code
from qualcode.tui.guard import report
from qualcode.tui.memos import edit_code_memo
from qualcode.tui.screens.following import FollowsCodings
from qualcode.tui.widgets.code_tree import CodeTree


class UsageRead(Message):
    """Codings per code and coder, read in a worker."""

    def __init__(self, usage: dict[str, Counter[str]]) -> None:
        super().__init__()
        self.usage = usage


class CodebookScreen(FollowsCodings, Screen[None]):
    """Browse the codebook and see how each code is used."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "memo", "Memo on code", tooltip="Write your memo on the code"),
        Binding("escape,q", "back", "Back", tooltip="Back to where you came from"),
    ]

    def __init__(self, code_id: str | None = None) -> None:
        super().__init__()
        self.start_code = code_id
        self.usage: dict[str, Counter[str]] = {}

    @property
    def session(self):  # -> qualcode.tui.session.Session
        return self.app.session  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        study = self.session.study
        yield Header()
        with Horizontal(id="codebook-body"):
            yield CodeTree(study.codebook, study.config.language, show_here=False,
                           id="codebook-tree")
            with VerticalScroll(id="code-details"):
                yield Static("", id="code-definition")
        yield Footer()

    def on_mount(self) -> None:
        study = self.session.study
        self.title = study.config.name
        self.sub_title = f"codebook: {study.codebook.title}"
        tree = self.query_one(CodeTree)
        tree.focus()
        if self.start_code:
            tree.select_code(self.start_code)
        self._show(tree.code_id or (study.codebook.roots[0].id if study.codebook.roots else None))

    def codings_changed(self, origin: str) -> None:
        """Count again (when shown, after undo or redo, or a change in another window)."""
        self._read_usage()

    @work(thread=True, exclusive=True, group="usage", exit_on_error=False)
    def _read_usage(self) -> None:
        study = self.session.study
        try:
            coders = study.coders()
            usage = usage_by_coder(study, coders)
        except QualcodeError as error:
            self.app.call_from_thread(report, self, error)
            return
        self.post_message(UsageRead(usage))

    @on(UsageRead)
    def _usage_ready(self, message: UsageRead) -> None:
        self.usage = message.usage
        mine = message.usage.get(self.session.coder, Counter())
        self.query_one(CodeTree).set_counts({}, rolled_up(self.session.study.codebook, mine))
        self._show(self.query_one(CodeTree).code_id)

    @on(Tree.NodeHighlighted, "#codebook-tree")
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._show(event.node.data)

    def _show(self, code_id: str | None) -> None:
        codebook = self.session.study.codebook
        code = codebook.get(code_id) if code_id else None
        if code is None:
            return
        self.query_one("#code-definition", Static).update(self._definition(code))

    def _definition(self, code: Code) -> Group:
        codebook = self.session.study.codebook
        language = self.session.study.config.language
        parts: list = []
        title = Text()
        title.append("● ", style=code.colour)
        title.append(codebook.path_label(code.id, language), style="bold")
        title.append(f"   {code.id}", style="dim")
        parts.append(title)
        others = [label for lang, label in code.labels.items() if lang and lang != language]
        if others:
            parts.append(Text("also: " + " · ".join(others), style="dim"))
        if code.description:
            parts.append(Text("\nDescription", style="bold underline"))
            parts.append(Text(code.description))
        memo = self.session.store.memo("code", code.id)
        parts.append(Text("\nYour memo", style="bold underline"))
        parts.append(Text(memo or "none yet (m to write one)", style="" if memo else "dim"))
        for heading, body in (
            ("Use it when", code.inclusion),
            ("Do not use it when", code.exclusion),
        ):
            if body:
                parts.append(Text(f"\n{heading}", style="bold underline"))
                parts.append(Text(body))
        if code.examples:
            parts.append(Text("\nExamples", style="bold underline"))
            parts.extend(Text(f"«{example}»", style="italic") for example in code.examples)
        if code.keywords or code.negative_keywords:
            parts.append(Text("\nKeywords", style="bold underline"))
            words = ", ".join(
                k.term + (f" ×{k.weight:g}" if k.weight != 1 else "") for k in code.keywords
            )
            parts.append(Text(words or "–"))
            if code.negative_keywords:
                parts.append(Text("Against: " + ", ".join(k.term for k in code.negative_keywords),
                                  style="dim"))
        parts.append(Text("\nUsed", style="bold underline"))
        parts.append(self._usage_table(code))
        return Group(*parts)

    def _usage_table(self, code: Code) -> Table | Text:
        if not self.usage:
            return Text("counting…", style="dim")
        codebook = self.session.study.codebook
        table = Table(box=None, padding=(0, 2), show_header=True, header_style="bold")
        table.add_column("Coder")
        table.add_column("This code", justify="right")
        if code.children:
            table.add_column("With codes below", justify="right")
        for coder, counts in sorted(self.usage.items()):
            name = f"{coder} (you)" if coder == self.session.coder else coder
            row = [Text(name), Text(str(counts.get(code.id, 0)))]
            if code.children:
                row.append(Text(str(rolled_up(codebook, counts)[code.id])))
            table.add_row(*row)
        return table

    def action_memo(self) -> None:
        code_id = self.query_one(CodeTree).code_id
        if code_id:
            edit_code_memo(self, code_id, lambda: self._show(code_id))

    def action_back(self) -> None:
        self.app.pop_screen()
