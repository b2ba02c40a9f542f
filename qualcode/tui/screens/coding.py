"""The coding screen: codebook tree | transcript | side panels (memo, suggested codes).

The screen turns the coder's keys into store actions on the open transcript and keeps the
view, the tree and the panels in step. Each action is written to the coder's file at once
(one undoable step). Reading and moving (search, jumps, filters) live in `CodingNavigation`,
suggested codes in `CodingSuggestions`.

On a narrow terminal the side panels go below the transcript; on a very small one the tree and
the panels are hidden and F4 / F5 show one of them in place of the transcript.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Static, Tree

from qualcode.errors import QualcodeError, StoreError
from qualcode.store.coder_store import Coding
from qualcode.store.progress import rolled_up
from qualcode.study.navigation import codings_at, first_difference
from qualcode.study.transcript import Transcript
from qualcode.tui.guard import guarded, report
from qualcode.tui.memos import edit_code_memo, edit_memo
from qualcode.tui.screens.coding_suggestions import CodingSuggestions
from qualcode.tui.screens.following import FollowsCodings
from qualcode.tui.widgets.code_picker import CodePicker
from qualcode.tui.widgets.code_tree import CodeTree
from qualcode.tui.widgets.memo_panel import MemoPanel, PassageContext
from qualcode.tui.widgets.suggestions_panel import SuggestionsPanel
from qualcode.tui.widgets.transcript_view import TranscriptView


class TranscriptReady(Message):
    """A transcript finished loading in a worker."""

    def __init__(self, transcript: Transcript) -> None:
        super().__init__()
        self.transcript = transcript


WIDE, NARROW = 120, 60
"""Terminal widths from which the side panels go beside the transcript, and below it."""
LOW = 20
"""Terminal heights below which the tree and the panels are hidden to leave room for the text."""


def arrangement(width: int, height: int, tree: bool | None, panels: bool | None) -> set[str]:
    """The CSS classes that lay the coding screen out for a terminal size.

    Args:
        width, height: the terminal's size.
        tree, panels: the coder's choice to show the code tree or the side panels (F4, F5);
            None for what suits the size.

    Wide: tree | transcript | panels. Narrow: tree | transcript over the panels. Small: the
    transcript alone, or the tree or the panels in its place when the coder asks for them.
    """
    if width >= NARROW and height >= LOW:
        classes = set() if width >= WIDE else {"-narrow"}
        if tree is False:
            classes.add("-no-tree")
        if panels is False:
            classes.add("-no-panels")
        return classes
    if tree:
        return {"-small", "-tree-only"}
    if panels:
        return {"-small", "-panels-only"}
    return {"-small"}


def tree_shown(classes: set[str]) -> bool:
    """Whether the code tree is on screen in an `arrangement`."""
    if "-small" in classes:
        return "-tree-only" in classes
    return "-no-tree" not in classes


LAYOUT_CLASSES = ("-narrow", "-small", "-no-tree", "-no-panels", "-tree-only", "-panels-only")


class CodingScreen(FollowsCodings, CodingSuggestions):
    """Coding one transcript."""

    SIDE_PANELS: ClassVar[list[Callable[[], Widget]]] = [MemoPanel, SuggestionsPanel]
    """Widgets stacked in the side panel. Each may define `show_context(PassageContext)`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,c", "code", "Code", tooltip="Code the selection: choose a code by name"),
        *[
            Binding(str(n), f"quick({n})", f"Code the selection with the code on quick key {n}",
                    show=False)
            for n in range(1, 10)
        ],
        Binding("x,delete", "remove", "Remove", tooltip="Remove the coding at the cursor"),
        Binding("b", "boundaries", "Resize", tooltip="Move the boundaries of the coding here"),
        Binding("v", "reselect", "Select the passage of the coding here", show=False),
        Binding("m", "memo", "Memo", tooltip="Memo on the coding here (on a code in the tree)"),
        Binding("M", "transcript_memo", "Memo on the transcript", show=False),
        Binding("C", "code_memo", "Memo on a code (the one in the tree, or choose it)",
                show=False),
        Binding("right_square_bracket", "jump(True)", "Next", tooltip="Next coding"),
        Binding("left_square_bracket", "jump(False)", "Previous coding", show=False),
        Binding("semicolon", "cycle", "Next of the codings at the cursor", show=False),
        Binding("u", "uncoded", "Uncoded", tooltip="Next informant turn without a coding"),
        Binding("slash", "search", "Search", tooltip="Search the transcript"),
        Binding("n", "match(True)", "Next match of the search", show=False),
        Binding("N", "match(False)", "Previous match of the search", show=False),
        Binding("f", "filter_code", "Show one code only (or the code in the tree)", show=False),
        Binding("r", "filter_role", "Show one role's turns only", show=False),
        Binding("a", "accept_suggestion", "Accept",
                tooltip="Accept the highlighted suggested code: code its passage with it"),
        Binding("d", "reject_suggestion", "Reject",
                tooltip="Reject the highlighted suggested code (not suggested there again)"),
        Binding("apostrophe", "next_suggestion", "Highlight the next code suggested here",
                show=False),
        Binding("g", "suggested(True)", "Next passage with a suggested code", show=False),
        Binding("G", "suggested(False)", "Previous passage with a suggested code", show=False),
        Binding("h", "toggle_suggestions", "Show or hide the suggestions in the text",
                show=False),
        Binding("f4", "toggle_tree", "Tree", show=False,
                tooltip="Show or hide the code tree (on a small screen: in place of the text)"),
        Binding("f5", "toggle_panels", "Panels", show=False,
                tooltip="Show or hide the memo and suggestion panels"),
        Binding("escape", "back", "Back",
                tooltip="Back to the transcripts (with a filter on: show everything again)"),
    ]

    def __init__(self, transcript_id: str, transcript: Transcript | None = None) -> None:
        """
        Args:
            transcript_id: the transcript to code.
            transcript: the transcript itself, when it has already been read.
        """
        super().__init__()
        self.transcript_id = transcript_id
        self._preloaded = transcript
        self.transcript: Transcript | None = None
        self.adjusting: str | None = None
        """Id of the coding whose boundaries are being moved."""
        self._key_state: tuple = ()
        self._elsewhere: Counter[str] = Counter()
        """Codings per code in the coder's other transcripts (for the tree's totals)."""
        self.tree_wanted: bool | None = None
        """The coder's choice to show the code tree (F4); None: what suits the screen's size."""
        self.panels_wanted: bool | None = None
        """The coder's choice to show the side panels (F5); None: what suits the size."""

    # -- building ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        study = self.session.study
        yield Header()
        with Horizontal(id="coding-body"):
            yield CodeTree(study.codebook, study.config.language, id="code-tree")
            with Horizontal(id="text-and-panels"):
                with Vertical(id="transcript-column"):
                    yield TranscriptView(id="transcript")
                    yield Input(placeholder="Search the transcript (Enter: find, Esc: close)",
                                id="search")
                with Vertical(id="side-panels"):
                    for make_panel in self.SIDE_PANELS:
                        yield make_panel()
        yield Static("", id="recent-codes")
        yield Static("Loading the transcript…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_title()
        self.query_one("#search").display = False
        if self._preloaded is not None:
            self._ready(TranscriptReady(self._preloaded))
        else:
            self._load()

    def refresh_title(self) -> None:
        self.title = self.session.study.config.name
        self.sub_title = f"{self.transcript_id} · {self.session.coder}" + (
            " · read-only" if self.session.read_only else ""
        )
        self._update_status()

    def on_resize(self) -> None:
        self._arrange()

    def _arrange(self) -> None:
        wanted = arrangement(self.size.width, self.size.height, self.tree_wanted,
                             self.panels_wanted)
        for name in LAYOUT_CLASSES:
            self.set_class(name in wanted, name)
        if "-tree-only" in wanted:
            self.code_tree.focus()
        elif self.focused is self.code_tree and not tree_shown(wanted):
            self.view.focus()

    def action_toggle_tree(self) -> None:
        self.tree_wanted = not self.code_tree.display
        if self.tree_wanted and self.has_class("-small"):
            self.panels_wanted = None  # one of them at a time in place of the text
        self._arrange()

    def action_toggle_panels(self) -> None:
        self.panels_wanted = not self.query_one("#side-panels").display
        if self.panels_wanted and self.has_class("-small"):
            self.tree_wanted = None
        self._arrange()

    def action_back(self) -> None:
        if not self._back_to_the_text():
            super().action_back()

    def _back_to_the_text(self) -> bool:
        """On a small screen showing the tree or the panels: show the transcript again."""
        if not (self.has_class("-tree-only") or self.has_class("-panels-only")):
            return False
        self.tree_wanted = self.panels_wanted = None
        self._arrange()
        self.view.focus()
        return True

    @work(thread=True, exclusive=True, group="transcript", exit_on_error=False)
    def _load(self) -> None:
        try:
            transcript = self.session.study.transcript(self.transcript_id)
        except QualcodeError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.post_message(TranscriptReady(transcript))

    def _failed(self, error: QualcodeError) -> None:
        report(self, error)
        self.dismiss()

    @on(TranscriptReady)
    @guarded
    def _ready(self, event: TranscriptReady) -> None:
        self.transcript = event.transcript
        codings = self.session.codings(self.transcript.id)
        view = self.view
        view.show(self.transcript, codings, self.session.study.codebook,
                  self.session.study.config.language)
        view.focus()
        self._key_state = self._keys_now()
        self.call_after_refresh(self._count_elsewhere)  # the text first, the counts after
        self.start_suggesting()

    @guarded
    def _count_elsewhere(self) -> None:
        """Count the coder's codings in other transcripts, for the tree's totals."""
        if self.transcript is not None:
            tid = self.transcript.id
            self._elsewhere = Counter(
                c.code for c in self.session.store.codings() if c.transcript != tid
            )
        self._after_change()

    # -- keeping things in step ----------------------------------------------------------------

    def _reload(self) -> None:
        """Read this transcript's codings again and show them.

        The transcript is redrawn first; the tree's counts and the side panels follow just after
        the screen has shown the change.
        """
        if self.transcript is None:
            return
        self.caught_up()
        self.view.set_codings(self.session.codings(self.transcript.id))
        if self.code_filter is not None:
            self._apply_filters()
        self.call_after_refresh(self._after_change)

    def _after_change(self) -> None:
        codings = self.view.codings
        here = Counter(c.code for c in codings)
        self.code_tree.set_counts(self._rolled(here), self._rolled(here + self._elsewhere))
        self.query_one("#recent-codes", Static).update(self._quick_key_line(), layout=False)
        self._update_context()
        self._refresh_keys()

    def _quick_key_line(self) -> Text:
        """`1 ● Geografisk distanse  2 ● …`: the code on each quick key."""
        line = Text()
        for number, code_id in self.session.quick_keys.numbered():
            code = self.session.study.codebook.get(code_id)
            if code is None:
                continue
            if line:
                line.append("  ")
            line.append(str(number), style="bold")
            line.append(" ●", style=code.colour)
            line.append(f" {code.label(self.language)}")
        return line or Text("Quick keys 1–9 appear here for the codes you use.", style="dim")

    def _rolled(self, counts: Counter[str]) -> dict[str, int]:
        return rolled_up(self.session.study.codebook, counts)

    def current_coding(self) -> Coding | None:
        """The coding the coder works on: the one jumped to, else the innermost at the cursor."""
        view = self.view
        here = codings_at(view.shown_codings, view.cursor)
        if view.current is not None:
            for coding in view.shown_codings:
                if coding.id == view.current and (coding in here or coding.start == view.cursor
                                                  or coding.end == view.cursor):
                    return coding
        return here[0] if here else None  # type: ignore[return-value]

    @on(TranscriptView.Moved)
    def _moved(self) -> None:
        if self.adjusting is not None and self.view.selection is None:
            self.adjusting = None
            self.notify("The boundaries were left as they were.", timeout=3)
        current = self.current_coding()
        self.view.set_current(current.id if current else None)
        self._update_context()
        self._refresh_keys()

    def _keys_now(self) -> tuple:
        """What decides which keys the footer shows."""
        return (self.view.selection is not None, self.view.mark is not None,
                self.current_coding() is not None, self.adjusting)

    def _refresh_keys(self) -> None:
        """Update the footer when what the keys can do has changed (not on every move)."""
        state = self._keys_now()
        if state != self._key_state:
            self._key_state = state
            self.refresh_bindings()

    @guarded
    def _update_context(self) -> None:
        if self.transcript is None:
            return
        self.sync_suggestions()
        view = self.view
        current = self.current_coding()
        store = self.session.store
        memos = {("transcript", self.transcript.id): store.memo("transcript", self.transcript.id)}
        if current is not None:
            memos[("coding", current.id)] = store.memo("coding", current.id)
        context = PassageContext(
            transcript=self.transcript,
            codebook=self.session.study.codebook,
            language=self.language,
            cursor=view.cursor,
            selection=view.selection,
            current=current,
            here=codings_at(view.shown_codings, view.cursor),  # type: ignore[arg-type]
            memos=memos,
            read_only=self.session.read_only,
        )
        for panel in self.query_one("#side-panels").children:
            show = getattr(panel, "show_context", None)
            if show is not None:
                show(context)
        self._update_status()

    @guarded
    def codings_changed(self, origin: str) -> None:
        """The coder's file changed (undo, redo, another window) while here or away."""
        if self.transcript is None:
            return
        before = self.view.codings
        self._reload()
        self.call_after_refresh(self._count_elsewhere)
        changed = first_difference(before, self.view.codings)
        if changed is not None and origin in ("undo", "redo"):
            self.view.select(None, changed[0], center=True)
        elif self.view.current is not None and self.current_coding() is None:
            self.view.set_current(None)  # the coding worked on is gone
        if origin in ("undo", "redo"):
            self.decisions_changed()

    # -- coding --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.transcript is None:
            return action == "back"
        if action in ("remove", "boundaries", "reselect") and self.current_coding() is None:
            return False  # no coding under the cursor: these keys do not apply here
        return super().check_action(action, parameters)

    @guarded
    def action_code(self) -> None:
        if self.adjusting is not None:
            self._save_boundaries()
            return
        if self.view.selection is None:
            self.notify("Select a passage first: w, s or t extend by word, sentence or turn; "
                        "shift+arrows or dragging with the mouse work too.", timeout=4)
            return
        self.session.check_writable()
        codebook = self.session.study.codebook
        excerpt = "«" + self.transcript.excerpt(*self.view.selection, limit=160) + "»"
        picker = CodePicker(codebook, self.language, recent=self.session.recent, context=excerpt)
        self.app.push_screen(picker, self._picked)

    def _picked(self, code_id: str | None) -> None:
        if code_id:
            self.apply_code(code_id)

    @on(Tree.NodeSelected, "#code-tree")
    def _tree_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data and self.view.selection is not None:
            self.apply_code(event.node.data)
            self._back_to_the_text()
            self.view.focus()
        elif event.node.data:
            self.notify("Select a passage in the transcript first, then choose the code here.",
                        timeout=4)

    def key_title(self, binding: Binding) -> str | None:
        """The command palette's title for a quick key names the code on it."""
        if not binding.action.startswith("quick("):
            return None
        number = int(binding.action[len("quick("):-1])
        code_id = self.session.quick_keys.code_on(number)
        code = self.session.study.codebook.get(code_id) if code_id else None
        if code is None:
            return f"Quick key {number}: no code on it yet (code with Enter first)"
        return f"Code the selection with {code.label(self.language)} (quick key {number})"

    @guarded
    def action_quick(self, number: int) -> None:
        code_id = self.session.quick_keys.code_on(number)
        if code_id is None:
            self.notify(f"No code on quick key {number} yet: code with Enter first, and the "
                        "code gets the next free number.", timeout=3)
            return
        if self.view.selection is None:
            self.notify("Select a passage first, then press the number of a recent code.",
                        timeout=3)
            return
        self.apply_code(code_id)

    @guarded
    def apply_code(self, code_id: str) -> Coding | None:
        """Code the selection with `code_id` (one undoable step, written at once)."""
        selection = self.view.selection
        if selection is None or self.transcript is None or self.view.navigator is None:
            return None
        start, end = self.view.navigator.trim(*selection)
        if start >= end:
            raise StoreError("The selection holds no spoken words, only spaces or a speaker's "
                             "name.", hint="Select some of what was said first.")
        coding = self.session.writable().add_coding(self.transcript, start, end, code_id)
        self.session.used(code_id)
        self.view.mark = None
        self.view.cursor = end
        self.view.current = coding.id
        self._reload()
        self.view.scroll_to_cursor()
        return coding

    @guarded
    def action_remove(self) -> None:
        coding = self.current_coding()
        if coding is None or self.transcript is None:
            return
        self.session.writable().remove_coding(coding.id)
        code = self.session.study.codebook.get(coding.code)
        label = code.label(self.language) if code else coding.code
        self.notify(f"Removed the {label} coding. Undo with z.", timeout=3)
        self.view.current = None
        self._reload()

    @guarded
    def action_boundaries(self) -> None:
        coding = self.current_coding()
        if coding is None:
            return
        self.session.check_writable()
        self.adjusting = coding.id
        self.view.select(coding.start, coding.end)
        self.notify("Move the end with shift+arrows, w, s or t; o moves the other end. "
                    "Enter keeps the new boundaries, Esc leaves them.", timeout=6)
        self._update_status()

    def _save_boundaries(self) -> None:
        coding_id, self.adjusting = self.adjusting, None
        selection = self.view.selection
        if coding_id is None or selection is None or self.transcript is None:
            return
        start, end = self.view.navigator.trim(*selection)  # type: ignore[union-attr]
        self.session.writable().change_coding(coding_id, self.transcript, start, end)
        self.view.mark = None
        self.view.current = coding_id
        self._reload()

    def action_reselect(self) -> None:
        coding = self.current_coding()
        if coding is not None:
            self.view.select(coding.start, coding.end)

    # -- memos ---------------------------------------------------------------------------------

    @guarded
    def action_memo(self) -> None:
        if self.focused is self.code_tree and self.code_tree.code_id:
            self.action_code_memo()
            return
        coding = self.current_coding()
        if coding is None or self.transcript is None:
            self.notify("Put the cursor on a coding to write its memo (M: memo on the transcript).",
                        timeout=4)
            return
        code = self.session.study.codebook.get(coding.code)
        title = f"Memo on a coding: {code.label(self.language) if code else coding.code}"
        excerpt = "«" + self.transcript.excerpt(coding.start, coding.end, 200) + "»"
        edit_memo(self, "coding", coding.id, title, excerpt, self._update_context)

    def action_code_memo(self) -> None:
        if self.focused is self.code_tree and self.code_tree.code_id:
            edit_code_memo(self, self.code_tree.code_id, self._update_context)
            return
        picker = CodePicker(self.session.study.codebook, self.language,
                            title="Write a memo on the code…", recent=self.session.recent)
        self.app.push_screen(picker, self._memo_code_chosen)

    def _memo_code_chosen(self, code_id: str | None) -> None:
        if code_id:
            edit_code_memo(self, code_id, self._update_context)

    def action_transcript_memo(self) -> None:
        if self.transcript is not None:
            edit_memo(self, "transcript", self.transcript.id,
                      f"Memo on the transcript {self.transcript.id}", self.transcript.title,
                      self._update_context)
