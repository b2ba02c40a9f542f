"""Small modal dialogs: the coder's name, a memo, a choice from a list, a problem to report.

Whatever a coder typed or a study holds is shown as plain text, never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
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

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Quit", tooltip="Quit without coding"),
    ]

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
                yield Static("Coders so far: " + ", ".join(self.known), classes="dialog-help",
                             markup=False)
            yield Input(placeholder="your name, e.g. ingrid", id="coder-name")
            yield Static("", id="coder-problem", classes="dialog-problem")

    @on(Input.Submitted, "#coder-name")
    def _submit(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#coder-problem", Static).update(Text(
                "Type a name first, e.g. ingrid: letters, digits, `.`, `-` or `_`, no spaces."))
            return
        try:
            name = check_coder_name(event.value)
        except QualcodeError as error:
            problem = f"{error.message} {error.hint or ''}".strip()
            self.query_one("#coder-problem", Static).update(Text(problem))
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MemoDialog(ModalScreen[None]):
    """Writes a memo. Ctrl+S saves (an empty memo deletes it); Esc closes, asking first what to
    do with the words when the memo has changed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save memo", tooltip="Save the memo (an empty memo deletes it)"),
        Binding("escape", "close", "Close",
                tooltip="Close the memo (asks first whether to save what you changed)"),
    ]

    def __init__(self, title: str, context: str, text: str,
                 save: Callable[[str], bool] | None) -> None:
        """
        Args:
            title: what the memo is on.
            context: the passage or description it is about.
            text: the memo as it is now.
            save: writes the memo and says whether that worked (None: a read-only window).
        """
        super().__init__()
        self.title_text = title
        self.context_text = context
        self.text = text
        self.save = save

    def compose(self) -> ComposeResult:
        read_only = self.save is None
        with Vertical(classes="dialog", id="memo-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            if self.context_text:
                yield Static(self.context_text, classes="dialog-help", markup=False)
            yield TextArea(self.text, id="memo-text", soft_wrap=True, read_only=read_only)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="memo-save", variant="primary",
                             disabled=read_only)
                yield Button("Close (esc)", id="memo-cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def written(self) -> str:
        return self.query_one(TextArea).text

    def has_changes(self) -> bool:
        """Whether the coder changed the memo since the dialog opened."""
        return self.save is not None and self.written != self.text

    @on(Button.Pressed, "#memo-save")
    def action_save(self) -> None:
        if self.save is not None and self.save(self.written):
            self.dismiss(None)

    @on(Button.Pressed, "#memo-cancel")
    def action_close(self) -> None:
        if self.has_changes():
            self._ask()
        else:
            self.dismiss(None)

    def ask_before_quitting(self, quit_app: Callable[[], None]) -> bool:
        """When the memo has changed, ask what to do with it before `quit_app` (True: asked)."""
        if not self.has_changes():
            return False
        self._ask(quit_app)
        return True

    def _ask(self, then: Callable[[], None] | None = None) -> None:
        question = ChoiceDialog("The memo has changed. Save it?", [
            ("save", "Save the memo"),
            ("discard", "Throw the changes away"),
            ("keep", "Keep writing"),
        ])

        def answered(choice: str | None) -> None:
            if choice == "save":
                assert self.save is not None
                if not self.save(self.written):
                    return  # the problem is shown; the words stay in the dialog
            elif choice != "discard":
                self.query_one(TextArea).focus()
                return
            self.dismiss(None)
            if then is not None:
                then()

        self.app.push_screen(question, answered)


class ChoiceDialog(ModalScreen[str | None]):
    """Picks one of a few labelled values."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close the list without choosing"),
    ]

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="choice-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(*[Option(Text(text), id=value) for value, text in self.choices])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ProblemScreen(Screen[None]):
    """Shown instead of the workbench when the study cannot be opened."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape", "app.quit", "Quit", tooltip="Quit, to put the problem right"),
    ]

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
