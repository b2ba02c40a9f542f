"""The export dialog: a quote sheet (Word, CSV or Excel) written in a worker, with progress.

The form holds what `qualcode export quotes` takes: codes, coders, grouping, informant filters
(`role=Bedriftsleder`, one a line), transcripts, the format and the file. The export itself is
`qualcode.export.export_quotes`, run in a worker thread that reports its progress in messages;
a problem (an unknown code, a folder that does not exist) is shown with what to do about it, in
the dialog's words, and the dialog stays open to put it right.

A file that is already there is replaced only when the researcher says so; the name offered
is one not taken yet (`quotes-2026-12-04-2.docx`). The fields are remembered for the next
time (in the user's settings). On a small terminal the form scrolls, following the focus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    ProgressBar,
    RadioButton,
    RadioSet,
    Static,
    TextArea,
)

from qualcode.errors import ExportError, QualcodeError
from qualcode.export import ExportResult, QuoteOptions, export_quotes
from qualcode.export.checks import default_group_by, resolve_coders
from qualcode.tui.guard import guarded, report
from qualcode.tui.screens.dialogs import ChoiceDialog
from qualcode.tui.screens.export_wording import for_the_dialog
from qualcode.wording import plural

FORMATS = [".docx", ".csv", ".xlsx"]
EXPORTS = "exports"
"""The folder in the study that quote sheets go to unless another path is given."""

STAGES = {"select": "Reading codings", "write": "Writing quotes"}

DEFAULT_NAME = re.compile(r"^quotes-\d{4}-\d{2}-\d{2}(-\d+)?$")
"""The names the dialog offers (`quotes-2026-12-04`, `quotes-2026-12-04-2`)."""

TEXT_FIELDS = ("codes", "coders", "group", "transcripts", "min-words", "context", "path")
"""The dialog's one-line fields (`#export-…`), remembered for the next time."""


def free_name(folder: Path, stem: str, suffix: str) -> Path:
    """`folder/stem.suffix`, or `stem-2`, `stem-3`, … when that file is there already."""
    path = folder / f"{stem}{suffix}"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}{suffix}"
        number += 1
    return path


def split_list(value: str) -> list[str]:
    """`a, b,c` -> [a, b, c]."""
    return [part.strip() for part in value.split(",") if part.strip()]


def parse_filters(text: str) -> dict[str, list[str]]:
    """`role=Bedriftsleder` lines -> {role: [Bedriftsleder]}; a key given twice allows both."""
    where: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ExportError(
                f"The filter `{line.strip()}` is not KEY=VALUE.",
                hint="Write one filter a line, e.g. role=Bedriftsleder. Two lines with the same "
                "key allow either value; different keys must all match.",
            )
        where.setdefault(key.strip(), []).append(value.strip())
    return where


def whole_number(value: str, name: str) -> int:
    value = value.strip()
    if not value:
        return 0
    if not value.isdigit():
        raise ExportError(f"{name} must be a whole number (0 or more), not `{value}`.")
    return int(value)


@dataclass
class ExportProgress(Message):
    """How far the export has come (posted from the worker)."""

    stage: str
    done: int
    total: int


@dataclass
class ExportDone(Message):
    """The file is written."""

    result: ExportResult


@dataclass
class ExportFailed(Message):
    """The export stopped; nothing was written."""

    error: QualcodeError


class ExportDialog(ModalScreen[ExportResult | None]):
    """Writes a quote sheet."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "write", "Write the file", tooltip="Write the quote sheet"),
        Binding("escape", "cancel", "Close", tooltip="Close without writing"),
    ]

    def __init__(self, code_id: str | None = None, today: date | None = None) -> None:
        """
        Args:
            code_id: a code to export (with the codes below it); None for every code.
            today: the date in the default file name (today when None).
        """
        super().__init__()
        self.code_id = code_id
        self.today = today or date.today()
        self.running = False
        """True while the worker writes the file."""

    @property
    def session(self):  # -> qualcode.tui.session.Session
        return self.app.session  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="export-dialog"):
            yield Static("Export quotes", classes="dialog-title")
            yield Static("Every coded passage of the codes chosen, with who said it, sorted "
                         "into groups. Empty fields mean all.", classes="dialog-help")
            yield from self._row("Codes", Input(
                self.code_id or "", placeholder="all, or code ids: distance, motivation",
                id="export-codes", compact=True), tight=True)
            yield from self._row("Coders", Input(
                placeholder="whose codings, e.g. consensus or ingrid, jonas",
                id="export-coders", compact=True), tight=True)
            yield from self._row("Group by", Input(
                placeholder="code, role", id="export-group", compact=True))
            yield from self._row("Filters", TextArea(
                "", id="export-where", compact=True, soft_wrap=True,
                placeholder="one a line: role=Bedriftsleder"), tight=True)
            yield from self._row("Transcripts", Input(
                placeholder="all, or ids and patterns: nb-*", id="export-transcripts",
                compact=True))
            with Horizontal(classes="export-row"):
                yield Label("Quotes", classes="export-label")
                yield Input(placeholder="0", id="export-min-words", compact=True,
                            restrict=r"\d*", classes="export-number")
                yield Label("words at least, ", classes="export-after")
                yield Input(placeholder="0", id="export-context", compact=True,
                            restrict=r"\d*", classes="export-number")
                yield Label("sentences of context", classes="export-after")
            with Horizontal(classes="export-row"):
                yield Label("Memos", classes="export-label")
                yield Checkbox("the coder's memo with each quote", id="export-memos",
                               compact=True)
            with Horizontal(classes="export-row"):
                yield Label("Format", classes="export-label")
                with RadioSet(id="export-format", compact=True):
                    yield RadioButton("Word (.docx)", value=True, id="format-docx")
                    yield RadioButton("CSV (.csv)", id="format-csv")
                    yield RadioButton("Excel (.xlsx)", id="format-xlsx")
            yield from self._row("File", Input(id="export-path", compact=True), tight=True)
            yield Static("A path that does not start with / is in the study folder.",
                         classes="dialog-help export-note")
            yield ProgressBar(total=1, show_eta=False, id="export-progress")
            yield Static("", id="export-status")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Write (ctrl+s)", id="export-write", variant="primary")
                yield Button("Close (esc)", id="export-close")

    @staticmethod
    def _row(label: str, field, tight: bool = False) -> ComposeResult:
        with Horizontal(classes="export-row tight" if tight else "export-row"):
            yield Label(label, classes="export-label")
            yield field

    @guarded
    def on_mount(self) -> None:
        study = self.session.study
        try:
            coders = resolve_coders(study, [])
        except QualcodeError:  # several coders and no consensus: the coder at work
            coders = [self.session.coder]
        self.query_one("#export-coders", Input).value = ", ".join(coders)
        self.query_one("#export-group", Input).value = ", ".join(default_group_by(study))
        kept = self.app.settings.export_fields(study.root)  # type: ignore[attr-defined]
        self._restore(kept)
        if self.code_id is not None:
            self.query_one("#export-codes", Input).value = self.code_id
        # The format buttons take the restored format only once their messages are handled.
        self._offer_free_name(kept["format"] if kept.get("format") in FORMATS else None)
        self.query_one("#export-codes", Input).focus()

    # -- remembering the fields ----------------------------------------------------------------

    def fields(self) -> dict[str, Any]:
        """The form as it is, to fill it in the same way next time."""
        kept: dict[str, Any] = {name: self._value(name) for name in TEXT_FIELDS}
        kept["where"] = self.query_one("#export-where", TextArea).text
        kept["memos"] = self.query_one("#export-memos", Checkbox).value
        kept["format"] = self._format()
        return kept

    def _restore(self, kept: dict[str, Any]) -> None:
        for name in TEXT_FIELDS:
            if isinstance(kept.get(name), str):
                self.query_one(f"#export-{name}", Input).value = kept[name]
        if isinstance(kept.get("where"), str):
            self.query_one("#export-where", TextArea).text = kept["where"]
        if isinstance(kept.get("memos"), bool):
            self.query_one("#export-memos", Checkbox).value = kept["memos"]
        if kept.get("format") in FORMATS:
            self.query_one(f"#format-{kept['format'][1:]}", RadioButton).value = True

    def _remember(self) -> None:
        if not self.app.settings.remember_export_fields(  # type: ignore[attr-defined]
                self.session.study.root, self.fields()):
            self.notify("The export fields could not be saved for next time.", timeout=3)

    def _offer_free_name(self, suffix: str | None = None) -> None:
        """Offer today's name, not taken yet, unless a name of the researcher's own is there.

        Args:
            suffix: the format's extension (None: the format chosen in the form).
        """
        box = self.query_one("#export-path", Input)
        current = Path(box.value)
        if box.value and not DEFAULT_NAME.match(current.stem):
            return
        folder = current.parent if box.value else Path(EXPORTS)
        fresh = free_name(self.session.study.root / folder, f"quotes-{self.today}",
                          suffix or self._format())
        box.value = str(folder / fresh.name)

    # -- the form ------------------------------------------------------------------------------

    def _value(self, name: str) -> str:
        return self.query_one(f"#export-{name}", Input).value

    def options(self) -> QuoteOptions:
        """The form as export options (raises ExportError for a filter or number it cannot read)."""
        group = split_list(self._value("group"))
        return QuoteOptions(
            codes=split_list(self._value("codes")),
            coders=split_list(self._value("coders")),
            where=parse_filters(self.query_one("#export-where", TextArea).text),
            transcripts=split_list(self._value("transcripts")),
            group_by=group or None,
            min_words=whole_number(self._value("min-words"), "The shortest quote"),
            context=whole_number(self._value("context"), "The context"),
            memos=self.query_one("#export-memos", Checkbox).value,
        )

    def target(self) -> Path:
        """The file to write: relative paths are in the study folder; the format's extension
        is added when the name has none."""
        value = self._value("path").strip()
        if not value:
            raise ExportError("Name the file to write.",
                              hint=f"e.g. {EXPORTS}/quotes{self._format()}")
        path = Path(value).expanduser()
        if not path.is_absolute():
            path = self.session.study.root / path
        if not path.suffix:
            path = path.with_name(path.name + self._format())
        return path

    def _format(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return "." + (pressed.id or "format-docx").removeprefix("format-") if pressed else ".docx"

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self) -> None:
        box = self.query_one("#export-path", Input)
        path = Path(box.value)
        if box.value and path.suffix.lower() in FORMATS and path.suffix.lower() != self._format():
            box.value = str(path.with_suffix(self._format()))
            self._offer_free_name()

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        suffix = Path(event.value).suffix.lower()
        if suffix in FORMATS and suffix != self._format():
            self.query_one(f"#format-{suffix[1:]}", RadioButton).value = True

    # -- writing -------------------------------------------------------------------------------

    @on(Button.Pressed, "#export-write")
    def _write_pressed(self) -> None:
        self.action_write()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_write()

    @guarded
    def action_write(self, replace: bool = False) -> None:
        if self.running:
            return
        try:
            options = self.options()
        except QualcodeError as error:
            raise for_the_dialog(error) from None
        path = self.target()
        if path.exists() and not replace:
            self._ask_to_replace(path)
            return
        self.running = True
        self.query_one("#export-write", Button).disabled = True
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one("#export-status", Static).update("Reading codings…")
        self.query_one("#export-status").scroll_visible(animate=False)
        self._export(options, path)

    def _ask_to_replace(self, path: Path) -> None:
        other = free_name(path.parent, path.stem, path.suffix)
        question = ChoiceDialog(f"{path.name} is already there. Replace it?", [
            ("other", f"Keep it, and write {other.name} beside it"),
            ("replace", f"Replace {path.name} with the new quotes"),
            ("back", "Go back to the form"),
        ])

        def answered(choice: str | None) -> None:
            if choice == "replace":
                self.action_write(replace=True)
            elif choice == "other":
                box = self.query_one("#export-path", Input)
                box.value = str(Path(box.value).with_name(other.name))
                self.action_write()
            else:
                self.query_one("#export-path", Input).focus()

        self.app.push_screen(question, answered)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, options: QuoteOptions, path: Path) -> None:
        study = self.session.study
        shown = [-1]

        def progress(stage: str, done: int, total: int) -> None:
            percent = done * 100 // total if total else 0
            if percent != shown[0]:
                shown[0] = percent
                self.post_message(ExportProgress(stage, done, total))

        try:
            if path.parent == study.root / EXPORTS:
                path.parent.mkdir(exist_ok=True)  # the study's own exports folder, made on demand
            result = export_quotes(study, options, path, progress)
        except QualcodeError as error:
            self.post_message(ExportFailed(for_the_dialog(error)))
            return
        except OSError as error:
            self.post_message(ExportFailed(ExportError(
                f"The file could not be written: {error.strerror or error}.", path=path,
                hint="Check that the folder exists and that you may write in it.")))
            return
        self.post_message(ExportDone(result))

    @on(ExportProgress)
    def _progress(self, message: ExportProgress) -> None:
        self.query_one(ProgressBar).update(total=max(1, message.total), progress=message.done)
        self.query_one("#export-status", Static).update(
            f"{STAGES.get(message.stage, message.stage)}… {message.done} of {message.total}")

    @on(ExportDone)
    def _done(self, message: ExportDone) -> None:
        result = message.result
        self.running = False
        self.query_one(ProgressBar).update(total=1, progress=1)
        self.app.notify(
            f"Wrote {plural(result.quotes, 'quote')} to {result.path}",
            title="Export done", timeout=10, markup=False)
        for warning in result.warnings:
            self.app.notify(warning, title="Note", severity="warning", timeout=10, markup=False)
        self._remember()
        self.dismiss(result)

    @on(ExportFailed)
    def _failed(self, message: ExportFailed) -> None:
        self.running = False
        self.query_one("#export-write", Button).disabled = False
        self.query_one(ProgressBar).update(total=1, progress=0)
        self.query_one("#export-status", Static).update("Nothing was written.")
        self.query_one("#export-status").scroll_visible(animate=False)
        report(self, message.error)

    @on(Button.Pressed, "#export-close")
    def action_cancel(self) -> None:
        if self.running:
            self.notify("The file is being written; it takes a moment.", timeout=3)
            return
        self._remember()
        self.dismiss(None)
