"""The coding workbench: a Textual app over one study and one coder.

`make_app` is the one way to build it, shared by `qualcode open` and the tests:

    app = make_app(Path("my-study"), coder="ingrid", transcript="nb-01-industri-utkant")
    app.run()

The app opens the study in a worker thread, asks the coder's name the first time, takes the
coder's lock, and then shows the study screen (or the requested transcript). It owns the
session; screens read and write through it. Undo and redo live here because they apply to the
coder's whole file, whatever screen is showing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import Notify, SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from qualcode.errors import QualcodeError
from qualcode.study.codebook import Codebook
from qualcode.study.study import Study
from qualcode.tui import keys
from qualcode.tui.guard import as_qualcode_error, guarded, report
from qualcode.tui.messages import CodingsChanged, StudyFailed, StudyOpened
from qualcode.tui.registry import OPENING_KEYS, SCREENS
from qualcode.tui.screens.dialogs import CoderDialog, ProblemScreen
from qualcode.tui.session import Session
from qualcode.tui.settings import Settings


class QualcodeApp(App[int]):
    """The coding workbench."""

    CSS_PATH = "qualcode.tcss"
    TITLE = "qualcode"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", id="help", tooltip="Every key, by screen"),
        Binding("f2", "codebook", "Codebook", id="codebook", show=False,
                tooltip="The codebook with every code's definition and use"),
        Binding("ctrl+e", "export", "Export quotes", id="export", show=False,
                tooltip="Export quotes (of the code in the tree, when it has the focus)"),
        Binding("ctrl+z,z", "undo", "Undo", id="undo", tooltip="Undo the last change"),
        Binding("ctrl+y,Z", "redo", "Redo", id="redo", show=False, tooltip="Redo what was undone"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, show=False,
                tooltip="Quit (everything is already saved)"),
        Binding("tab", "focus_next", "Next part", show=False,
                tooltip="Move to the next part of the screen (on the coding screen: from the "
                "transcript to the code tree and back)"),
        Binding("shift+tab", "focus_previous", "Previous part", show=False,
                tooltip="Move to the previous part of the screen"),
    ]

    def __init__(
        self,
        root: Path,
        coder: str | None = None,
        transcript: str | None = None,
        settings: Settings | None = None,
        poll_interval: float = 1.0,
    ) -> None:
        """
        Args:
            root: the study folder.
            coder: who codes; None to use the name remembered for this study, or to ask.
            transcript: a transcript to open straight away.
            settings: where remembered names are kept (default: the user's settings file).
            poll_interval: seconds between checks for changes made by another window.
        """
        super().__init__()
        self.root = Path(root)
        self.coder = coder
        self.start_transcript = transcript
        self.settings = settings or Settings()
        self.poll_interval = poll_interval
        self.study: Study | None = None
        self.session: Session | None = None
        self._preloaded = None

    def compose(self) -> ComposeResult:
        yield Static(f"Opening the study in {self.root}…", id="opening", markup=False)

    def on_mount(self) -> None:
        self._open_study()

    # -- opening -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open_study(self) -> None:
        transcript = None
        try:
            study = Study.open(self.root)
        except QualcodeError as error:
            self.post_message(StudyFailed(error))
            return
        if self.start_transcript:
            try:
                transcript = study.transcript(self.start_transcript)
            except QualcodeError as error:  # the study is fine: show it, and say why
                self.call_from_thread(report, self, error)
        self.post_message(StudyOpened(study, transcript))

    @on(StudyFailed)
    def _study_failed(self, message: StudyFailed) -> None:
        self.push_screen(ProblemScreen(message.error))

    @on(StudyOpened)
    def _study_opened(self, message: StudyOpened) -> None:
        self.study = message.study
        self._preloaded = message.transcript
        coder = self.coder or self.settings.coder_for(self.root)
        if coder:
            self._start(coder)
        else:
            dialog = CoderDialog(self.study.config.name, self.study.coders())
            self.push_screen(dialog, self._coder_chosen)

    def _coder_chosen(self, coder: str | None) -> None:
        if coder is None:
            self.exit(0)
        else:
            self._start(coder)

    def _start(self, coder: str) -> None:
        assert self.study is not None
        try:
            self.session = Session.open(
                self.study, coder, self.settings.quick_keys_for(self.root, coder.strip()))
        except QualcodeError as error:
            self.push_screen(ProblemScreen(error))
            return
        self.coder = self.session.coder
        self.session.keep_quick_keys = self._keep_quick_keys
        if not self.settings.remember_coder(self.root, self.session.coder):
            self.notify(f"Could not save your name in {self.settings.path}; qualcode will ask "
                        "again next time.", severity="warning")
        if self.session.read_only:
            assert self.session.holder is not None
            self.notify(self.session.read_only_message() + " Close it to code here. If no "
                        f"other window is open, delete {self.session.holder.path}.",
                        severity="warning", timeout=12)
        if self._preloaded is not None:
            # Straight to the transcript; the study screen is built when the coder goes back.
            self.show("coding", transcript_id=self._preloaded.id, transcript=self._preloaded)
        else:
            self.show("study")
        self.set_interval(self.poll_interval, self._poll)

    def _keep_quick_keys(self, slots: list[str | None]) -> None:
        """Remember the code on each quick key, so the numbers stay the same next time."""
        assert self.session is not None
        if not self.settings.remember_quick_keys(self.root, self.session.coder, slots):
            self.notify(f"Could not save your quick keys in {self.settings.path}; they may be "
                        "numbered differently next time.", severity="warning", timeout=6)

    def show(self, name: str, **arguments: object) -> Screen:
        """Open a registered screen by name.

        A screen of that kind already open further down is gone back to, not opened again, so
        going round the screens never piles them up. Another transcript replaces the one open.
        """
        factory = SCREENS[name].factory
        if name == "study":
            return self.back_to_study()
        existing = self._open_screen(factory)
        if existing is not None and arguments.get("transcript_id", None) in (
            None, getattr(existing, "transcript_id", None)
        ):
            self._back_to(existing)
            return existing
        screen = factory(**arguments)
        if existing is not None:
            self._back_to(existing)
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        return screen

    def _open_screen(self, factory: object) -> Screen | None:
        """The open screen made by `factory` (exactly that class), if there is one."""
        for screen in reversed(self.screen_stack):
            if type(screen) is factory:
                return screen
        return None

    def _back_to(self, screen: Screen) -> None:
        """Close the screens above `screen`."""
        while self.screen is not screen:
            self.pop_screen()

    def open_transcript(self, transcript_id: str) -> None:
        self.show("coding", transcript_id=transcript_id)

    def back_to_study(self) -> Screen:
        """Leave a screen for the study screen (building it if the app started elsewhere)."""
        factory = SCREENS["study"].factory
        existing = self._open_screen(factory)
        if existing is not None:
            self._back_to(existing)
            return existing
        screen = factory()
        if len(self.screen_stack) < 2:  # only the opening screen so far
            self.push_screen(screen)
            return screen
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(screen)
        return screen

    # -- following other windows ---------------------------------------------------------------

    @guarded
    def _poll(self) -> None:
        session = self.session
        if session is None:
            return
        if session.read_only and session.try_take_over():
            self.notify("The other window has closed: you can code here now.", timeout=6)
            for screen in self.screen_stack:
                refresh_title = getattr(screen, "refresh_title", None)
                if refresh_title is not None:
                    refresh_title()
            self.screen.refresh_bindings()
        if session.store.changed_elsewhere():
            session.changed()
            self.screen.post_message(CodingsChanged("elsewhere"))

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """A background task that failed is explained, never silently lost."""
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return
        error = event.worker.error
        explained = as_qualcode_error(error) if isinstance(error, Exception) else None
        if explained is None:
            explained = QualcodeError(
                f"Something went wrong while {event.worker.name or 'working'}: {error!r}.",
                hint="Your codings are saved. Please report this problem with the steps that "
                "led to it.",
            )
        report(self, explained)

    # -- actions for every screen --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("undo", "redo", "codebook", "help", "export", "review"):
            # Not before a coder is at work, nor behind a dialog (its screen would miss the change).
            return self.session is not None and not isinstance(self.screen, ModalScreen)
        return True

    def action_help(self) -> None:
        if not isinstance(self.screen, SCREENS["help"].factory):
            sections = [("Everywhere", [("", type(self))])]
            sections += [(entry.title, entry.keys) for entry in SCREENS.values() if entry.keys]
            sections.append(("Opening a study", OPENING_KEYS))
            self.show("help", sections=sections)

    def action_codebook(self) -> None:
        if not isinstance(self.screen, SCREENS["codebook"].factory):
            tree_code = getattr(getattr(self.screen, "code_tree", None), "code_id", None)
            self.show("codebook", code_id=tree_code)

    def action_export(self) -> None:
        code_id = getattr(self.screen.focused, "code_id", None)  # a code tree with the focus
        self.show("export", code_id=code_id if isinstance(code_id, str) else None)

    def action_review(self) -> None:
        if not isinstance(self.screen, SCREENS["review"].factory):
            self.show("review")

    @guarded
    def action_undo(self) -> None:
        if self.session is None:
            return
        done = self.session.writable().undo()
        self._after_history("undo", f"Undone: {self._in_labels(done)}." if done
                            else "Nothing to undo.")

    @guarded
    def action_redo(self) -> None:
        if self.session is None:
            return
        done = self.session.writable().redo()
        self._after_history("redo", f"Redone: {self._in_labels(done)}." if done
                            else "Nothing to redo.")

    def _after_history(self, origin: str, text: str) -> None:
        self.notify(text, timeout=3)
        self.screen.post_message(CodingsChanged(origin))

    def _in_labels(self, step: str) -> str:
        """A step of the history as the coder knows it: code ids replaced by the codes' labels."""
        assert self.session is not None
        return with_labels(step, self.session.study.codebook, self.session.study.config.language)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.session is None:
            return
        for name, entry in SCREENS.items():
            if entry.in_palette:
                yield SystemCommand(f"Show {entry.title.lower()}", entry.description,
                                    lambda name=name: self.show(name))
        for command in keys.commands(screen):
            yield SystemCommand(command.title, f"Key: {command.key}",
                                lambda run=command.run: self.call_next(run))
        for transcript_id in self.session.study.transcript_ids:
            yield SystemCommand(f"Open {transcript_id}", "Code this transcript",
                                lambda tid=transcript_id: self.open_transcript(tid))

    # -- notifications -------------------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a notification, always as plain text.

        Notifications quote coders' words and transcripts, where brackets such as `[navn]` are
        common: read as markup they would vanish, or stop the app. `markup` is ignored.
        """
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_notify(self, event: Notify) -> None:
        """A notification replaces the same one still showing, so a repeated key shows it once."""
        new = event.notification
        for shown in list(self._notifications):
            if (shown.message, shown.title, shown.severity) == (new.message, new.title,
                                                                 new.severity):
                self._unnotify(shown, refresh=False)

    # -- closing -------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit; a dialog holding unsaved words (a memo) asks first what to do with them."""
        ask = getattr(self.screen, "ask_before_quitting", None)
        if ask is not None and ask(self.exit):
            return
        self.exit()

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


def with_labels(step: str, codebook: Codebook, language: str | None) -> str:
    """`Resize distance.cognitive coding` as `Resize Kognitiv distanse coding`."""
    words = []
    for word in step.split(" "):
        code = codebook.get(word.rstrip(":,."))
        if code is not None:
            word = code.label(language) + word[len(word.rstrip(":,.")):]
        words.append(word)
    return " ".join(words)


def make_app(
    root: Path,
    coder: str | None = None,
    transcript: str | None = None,
    settings: Settings | None = None,
    poll_interval: float = 1.0,
) -> QualcodeApp:
    """Build the workbench for a study folder (the CLI, the tests and the benchmark use this)."""
    return QualcodeApp(Path(root), coder, transcript, settings, poll_interval)
