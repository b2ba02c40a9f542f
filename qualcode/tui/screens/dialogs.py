"""Small modal dialogs: the coder's name, a memo, a choice from a list, a problem to report."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from qualcode.errors import QualcodeError
from qualcode.study.study import check_coder_name


class CoderDialog(ModalScreen[str | None]):
    """Asks who is coding (the first time a study is opened on this computer)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Quit")]

    def __init__(self, study_name: str, known: list[str]) -> None:
        super().__init__()
        self.study_name = study_name
        self.known = known

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="coder-dialog"):
            yield Static(f"Who is coding in «{self.study_name}»?", classes="dialog-title", markup=False)
            yield Static(
                "Your codings are kept in a file of your own under codings/. "
                "qualcode remembers the name for this study.",
                classes="dialog-help",
            )
            if self.known:
                yield Static("Coders so far: " + ", ".join(self.known), classes="dialog-help")
            yield Input(placeholder="your name, e.g. ingrid", id="coder-name")
            yield Static("", id="coder-problem", classes="dialog-problem")

    @on(Input.Submitted, "#coder-name")
    def _submit(self, event: Input.Submitted) -> None:
        try:
            name = check_coder_name(event.value)
        except QualcodeError as error:
            self.query_one("#coder-problem", Static).update(f"{error.message} {error.hint or ''}")
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MemoDialog(ModalScreen[str | None]):
    """Writes a memo. Ctrl+S saves (an empty memo deletes it), Escape leaves it unchanged."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save memo"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, context: str, text: str, read_only: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.context_text = context
        self.text = text
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="memo-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            if self.context_text:
                yield Static(self.context_text, classes="dialog-help", markup=False)
            yield TextArea(self.text, id="memo-text", soft_wrap=True, read_only=self.read_only)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="memo-save", variant="primary",
                             disabled=self.read_only)
                yield Button("Cancel (esc)", id="memo-cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @on(Button.Pressed, "#memo-save")
    def action_save(self) -> None:
        if not self.read_only:
            self.dismiss(self.query_one(TextArea).text)

    @on(Button.Pressed, "#memo-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen[str | None]):
    """Picks one of a few labelled values."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="choice-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(*[Option(text, id=value) for value, text in self.choices])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ProblemScreen(Screen[None]):
    """Shown instead of the workbench when the study cannot be opened."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,escape", "app.quit", "Quit")]

    def __init__(self, error: QualcodeError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="problem"):
            yield Static(self.error.title, classes="dialog-title", markup=False)
            if self.error.location:
                yield Static(self.error.location, classes="dialog-help", markup=False)
            yield Static(self.error.message, markup=False)
            if self.error.hint:
                yield Static("What to do: " + self.error.hint, classes="dialog-help", markup=False)
            yield Static("Press q to quit.", classes="dialog-help")
