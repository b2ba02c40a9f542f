"""The disagreement review: passages where coders differ, side by side, settled with one key.

The screen compares two or more coders: by default those the consensus layer was made from,
else every coder of the study (`C` chooses others). It lists every disagreement the library
finds (`qualcode.agreement.disagreements.find_passages`), shows the current one with each
coder's codings on the same text, and settles it through `qualcode.agreement.consensus.settle`:

* `a` / `b` (`c` with three coders) take that coder's codings, `2` takes both, `0` neither;
* `e` opens the passage on the coding screen as the `consensus` coder, to code it by hand;
  coming back settles it as coded by hand;
* `m` writes why, kept with the decision; `r` reopens a settled one; `z` / `Z` undo and redo
  decisions (see `ReviewDecisions`).

Reading refreshes the consensus layer first, as `qualcode consensus` does, so that it holds
every passage the coders coded alike. Reading and settling run in worker threads that post
messages back; the screen only draws. On a narrow terminal the coders' columns are stacked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Header, SelectionList, Static
from textual.widgets.selection_list import Selection

from qualcode.agreement.consensus import build_consensus, consensus_coders
from qualcode.agreement.disagreements import Disagreement, find_passages
from qualcode.agreement.review_notes import layer_codings
from qualcode.errors import QualcodeError
from qualcode.study.navigation import Navigator, turn_role
from qualcode.study.study import Study
from qualcode.study.transcript import Transcript
from qualcode.tui.guard import report
from qualcode.tui.screens.following import FollowsCodings
from qualcode.tui.screens.review_decisions import ReviewDecisions, WhyInput
from qualcode.tui.widgets.disagreement import (
    LETTERS,
    PassageLook,
    decision_text,
    letter,
    passage_view,
    short_decision,
    shorten,
)
from qualcode.tui.widgets.row_table import RowTable
from qualcode.tui.widgets.transcript_paint import CODE_TINT

WIDE = 120
"""Terminal width from which the list of disagreements goes beside the passage (else above)."""
LIST_WIDTH = 55
"""The list's width beside the passage (as in the style sheet)."""

SHORT_KINDS = {
    "one-coder-only": "one coder only",
    "not-every-coder": "not all coders",
    "different-code": "different code",
    "boundaries-differ": "boundaries",
}


def default_coders(study: Study) -> tuple[str, ...]:
    """Those the consensus layer was made from (while they all still exist), else every coder
    who has coded something (a lead who opened the study to review has an empty file)."""
    known = study.coders()
    made_from = consensus_coders(study)
    if made_from and all(c in known for c in made_from):
        return made_from
    return tuple(c for c in known if has_codings(study, c))


def has_codings(study: Study, coder: str) -> bool:
    with study.store(coder, read_only=True) as store:
        return store.count() > 0


# ---------------------------------------------------------------------------------------------
# Messages from the workers


@dataclass
class DisagreementsRead(Message):
    """The disagreements between the compared coders, read in a worker."""

    coders: tuple[str, ...]
    disagreements: list[Disagreement]
    transcripts: dict[str, Transcript]
    compared: int
    """How many transcripts every compared coder has coded."""
    notes: list[str]
    pending: dict[str, str] = field(default_factory=dict)
    """Memos on why waiting for their decision, by disagreement key."""
    by_hand: dict[str, tuple[tuple[int, int, str], ...]] = field(default_factory=dict)
    """Disagreements settled by coding by hand -> the consensus layer's codings there."""


# ---------------------------------------------------------------------------------------------
# Screens


class CodersDialog(ModalScreen[tuple[str, ...] | None]):
    """Chooses the coders to compare (two or more)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "compare", "Compare", priority=True,
                tooltip="Compare the ticked coders (space ticks one)"),
        Binding("escape", "cancel", "Cancel", tooltip="Keep comparing the same coders"),
    ]

    def __init__(self, known: list[str], chosen: tuple[str, ...]) -> None:
        super().__init__()
        self.known = known
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="coders-dialog"):
            yield Static("Compare which coders?", classes="dialog-title")
            yield Static("Space ticks a coder, Enter compares. a, b and c take the coders' "
                         "codings in this order.", classes="dialog-help")
            yield SelectionList[str](
                *[Selection(Text(name), name, name in self.chosen) for name in self.known],
                id="coders-list",
            )
            yield Static("", id="coders-problem", classes="dialog-problem")

    def action_compare(self) -> None:
        chosen = self.query_one(SelectionList).selected
        if len(chosen) < 2:
            self.query_one("#coders-problem", Static).update(Text("Tick at least two coders."))
            return
        self.dismiss(tuple(c for c in self.known if c in chosen))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewScreen(FollowsCodings, ReviewDecisions):
    """Walks through the disagreements between coders and settles each one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "take('a')", "Take A", id="review.take-a",
                tooltip="Take the first coder's codings"),
        Binding("b", "take('b')", "Take B", id="review.take-b",
                tooltip="Take the second coder's codings"),
        Binding("c", "take('c')", "Take C", id="review.take-c",
                tooltip="Take the third coder's codings"),
        Binding("2", "take('both')", "Both", id="review.both",
                tooltip="Take every coder's codings"),
        Binding("0", "take('neither')", "Neither", id="review.neither",
                tooltip="Take none: the passage stays uncoded"),
        Binding("e", "edit", "Edit", id="review.edit",
                tooltip="Code the passage by hand on the coding screen, as coder consensus "
                "(coming back settles it as coded by hand)"),
        Binding("m", "memo", "Why", id="review.memo",
                tooltip="Write why (kept with the decision)"),
        Binding("n,right_square_bracket", "step(1)", "Next", id="review.next",
                tooltip="Next disagreement"),
        Binding("p,left_square_bracket", "step(-1)", "Previous", id="review.previous",
                show=False, tooltip="Previous disagreement"),
        Binding("u", "next_open", "Next open", id="review.next-open",
                tooltip="Next disagreement not settled yet"),
        Binding("r", "reopen", "Reopen", id="review.reopen",
                tooltip="Forget the decision on this disagreement"),
        Binding("C", "coders", "Coders", id="review.coders", show=False,
                tooltip="Choose the coders to compare (the line above the list says so)"),
        Binding("ctrl+z,z", "undo_decision", "Undo decision", id="review.undo",
                tooltip="Undo the last decision made here: the consensus layer, not your own "
                "codings"),
        Binding("ctrl+y,Z", "redo_decision", "Redo decision", id="review.redo", show=False,
                tooltip="Redo the decision undone last"),
        Binding("escape", "back", "Back", tooltip="Back to where you came from"),
    ]

    REREAD_ON_RESUME = True  # it compares several coders' files, which other windows change

    def __init__(self, coders: list[str] | tuple[str, ...] | None = None) -> None:
        """
        Args:
            coders: the coders to compare, in order (`a` is the first); None for the default.
        """
        super().__init__()
        self.coders: tuple[str, ...] = tuple(coders or ())
        self.transcripts: dict[str, Transcript] = {}
        self.compared = 0
        self.read = False
        """True once the disagreements have been read."""
        self._navigators: dict[str, Navigator] = {}
        self._shown_key: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the coders' codings…", id="review-coders")
        with Horizontal(id="review-body"):
            yield RowTable(id="review-list", cursor_type="row", zebra_stripes=True)
            with Vertical(id="review-detail"):
                yield Static("", id="review-progress")
                with VerticalScroll(id="review-scroll"):
                    yield Static("", id="review-passage")
                yield Static("", id="review-decision")
                yield WhyInput(placeholder="Why this decision? (Enter keeps it, Esc closes)",
                               id="review-memo")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.study.config.name
        self.sub_title = "disagreements"
        table = self.query_one(DataTable)
        table.add_column(Text("#", justify="right"), key="number", width=3)
        table.add_column("Transcript", key="transcript", width=18)
        table.add_column("Kind", key="kind", width=14)
        table.add_column("Decision", key="decision", width=10)
        self.query_one(WhyInput).display = False
        table.focus()

    def _passage_width(self) -> int:
        """Cells the passage has: the screen's width, less the list beside it when wide, the
        padding and the scroll bar (worked out from the size, which the layout may not have
        caught up with yet)."""
        beside = 0 if self.size.width < WIDE else LIST_WIDTH + 1
        return max(1, self.size.width - beside - 3)

    def on_resize(self) -> None:
        self.set_class(self.size.width < WIDE, "-narrow")
        if self.read:
            self._show()

    def codings_changed(self, origin: str) -> None:
        """Compare again (when shown, after undo or redo, or a change in another window).

        Back from coding a passage by hand, that passage is settled first.
        """
        if not self.after_editing():
            self._read()

    # -- reading -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="review-read", exit_on_error=False)
    def _read(self) -> None:
        study = self.study
        try:
            coders = self.coders or default_coders(study)
            if len(coders) < 2:
                self.app.call_from_thread(self._too_few, coders)
                return
            with self._writing:
                made_from = consensus_coders(study)
                if made_from and set(made_from) == set(coders):
                    # As `qualcode consensus` does: every passage coded alike is in the layer.
                    build_consensus(study, coders)
                passages = find_passages(study, coders)
                pending = {d.key: d.pending.memo for d in passages.disagreements if d.pending}
                by_hand = {d.key: layer_codings(study, d.transcript, d.start, d.end)
                           for d in passages.disagreements
                           if d.settlement is not None and d.settlement.by_hand}
            transcripts = {tid: study.transcript(tid)
                           for tid in dict.fromkeys(d.transcript for d in passages.disagreements)}
        except QualcodeError as error:
            self.app.call_from_thread(report, self, error)
            return
        self.post_message(DisagreementsRead(passages.coders, passages.disagreements, transcripts,
                                            len(passages.transcripts), passages.notes, pending,
                                            by_hand))

    def _too_few(self, coders: tuple[str, ...]) -> None:
        if coders:
            text = (f"Only {coders[0]} has coded this study. The review compares two or more "
                    "coders: let a second coder code the same transcripts in their own window "
                    "(qualcode open STUDY --coder NAME), then open the review again.")
        else:
            text = ("Nobody has coded this study yet. The review compares two or more coders "
                    "who coded the same transcripts.")
        self.app.notify(text, title="Nothing to review yet", severity="warning", timeout=12)
        self.query_one("#review-coders", Static).update(Text(text, "dim"))

    @on(DisagreementsRead)
    def _disagreements_read(self, message: DisagreementsRead) -> None:
        same = (message.coders == self.coders
                and [(d.key, d.settlement) for d in message.disagreements]
                == [(d.key, d.settlement) for d in self.disagreements]
                and (message.pending, message.by_hand) == (self.pending, self.by_hand))
        self.coders = message.coders
        self.pending = message.pending
        self.by_hand = message.by_hand
        self.transcripts = message.transcripts
        self.compared = message.compared
        first_time = not self.read
        self.read = True
        if same and not first_time:
            return  # nothing changed: keep the list (and its cursor) as it is
        self.disagreements = message.disagreements
        names = " · ".join(f"{letter(i)} = {c}" for i, c in enumerate(self.coders))
        where = f"{self.compared} transcript{'s' if self.compared != 1 else ''} coded by all"
        self.query_one("#review-coders", Static).update(
            Text.assemble(("Comparing ", "dim"), (names, "bold"), (f"  ·  {where}", "dim"),
                          ("  ·  C chooses other coders", "dim")))
        keep = self._shown_key
        self._fill()
        if keep is None:
            keep = next((d.key for d in self.disagreements if not d.settled), None)
        self._go_to_key(keep)
        if not self.disagreements:
            self._show()
            if message.notes:
                self.app.notify("\n".join(message.notes[:3]), title="Left out", timeout=8)
        self.refresh_bindings()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for d in self.disagreements:
            table.add_row(Text(str(d.number), justify="right"), Text(shorten(d.transcript, 18)),
                          Text(SHORT_KINDS.get(d.kind, d.kind)),
                          short_decision(d.settlement, d.key in self.by_hand), key=d.key)

    def _go_to_key(self, key: str | None) -> None:
        index = self._index_of(key)
        if index is not None:
            self.query_one(DataTable).move_cursor(row=index, scroll=True)
        self._show()

    # -- showing -------------------------------------------------------------------------------

    @property
    def current(self) -> Disagreement | None:
        table = self.query_one(DataTable)
        if self.disagreements and 0 <= table.cursor_row < len(self.disagreements):
            return self.disagreements[table.cursor_row]
        return None

    @on(DataTable.RowHighlighted, "#review-list")
    def _highlighted(self) -> None:
        self._show()

    def _look(self) -> PassageLook:
        background = self.query_one("#review-passage").background_colors[1]
        tints: dict[str, Style] = {}

        def tint(colour: str) -> Style:
            if colour not in tints:
                mixed = background.blend(Color.parse(colour), CODE_TINT)
                tints[colour] = Style(bgcolor=mixed.rich_color,
                                      color=mixed.get_contrast_text(0.95).rich_color)
            return tints[colour]

        return PassageLook(self.study.codebook, self.study.config.language, tint)

    def _navigator(self, transcript: Transcript) -> Navigator:
        if transcript.id not in self._navigators:
            self._navigators[transcript.id] = Navigator(transcript)
        return self._navigators[transcript.id]

    def _show(self) -> None:
        d = self.current
        settled = sum(1 for x in self.disagreements if x.settled)
        total = len(self.disagreements)
        progress = self.query_one("#review-progress", Static)
        passage = self.query_one("#review-passage", Static)
        decision = self.query_one("#review-decision", Static)
        if d is None:
            self._shown_key = None
            if self.read and self.coders:
                progress.update(Text("No disagreements: the coders coded every compared "
                                     "transcript alike." if self.compared else
                                     "No transcript has been coded by every compared coder "
                                     "yet, so there is nothing to compare.", "bold"))
            passage.update("")
            decision.update("")
            return
        if d.key != self._shown_key:
            self._close_memo()
            self.query_one("#review-scroll").scroll_home(animate=False)
        self._shown_key = d.key
        transcript = self.transcripts[d.transcript]
        look = self._look()
        line = Text()
        line.append(f"{settled} of {total} settled", "bold")
        line.append(f"  {bar(settled, total)}\n", "green")
        line.append(f"#{d.number} · {d.transcript}, line {d.line}", "bold")
        turn = transcript.turn_at(d.start)
        if turn is not None and turn.speaker:
            line.append(f" · {turn.speaker} {turn_role(transcript, turn)}".rstrip())
        line.append(f" · {d.kind_label}", "italic")
        progress.update(line)
        passage.update(passage_view(d, transcript, self._navigator(transcript), look,
                                    self._passage_width()))
        decision.update(decision_text(d, self.pending.get(d.key), look, transcript.text,
                                      self.by_hand.get(d.key)))

    # -- deciding ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("take", "edit", "memo", "step", "next_open", "reopen"):
            if not self.disagreements:
                return False
            if action == "take" and parameters and parameters[0] in LETTERS:
                return LETTERS.index(str(parameters[0])) < len(self.coders)
        return True

    # -- moving --------------------------------------------------------------------------------

    def action_step(self, by: int) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row + by
        if 0 <= row < len(self.disagreements):
            table.move_cursor(row=row, scroll=True)
        else:
            self.notify("This is the last disagreement." if by > 0 else
                        "This is the first disagreement.", timeout=2)

    def action_next_open(self) -> None:
        self._move_to_open()

    def _move_to_open(self, quiet: bool = False) -> bool:
        """Go to the next disagreement without a decision (wrapping around)."""
        total = len(self.disagreements)
        here = self.query_one(DataTable).cursor_row
        for step in range(1, total + 1):
            index = (here + step) % total
            if not self.disagreements[index].settled:
                self.query_one(DataTable).move_cursor(row=index, scroll=True)
                return True
        if not quiet:
            self.notify("Every disagreement is settled.", timeout=3)
        return False

    # -- elsewhere -----------------------------------------------------------------------------

    def action_coders(self) -> None:
        known = self.study.coders()
        if len(known) < 2:
            self._too_few(tuple(known))
            return
        self.app.push_screen(CodersDialog(known, self.coders), self._coders_chosen)

    def _coders_chosen(self, coders: tuple[str, ...] | None) -> None:
        if coders and coders != self.coders:
            self.coders = coders
            self.disagreements = []
            self._shown_key = None
            self.read = False
            self._fill()
            self.query_one("#review-coders", Static).update(Text("Reading the coders' codings…"))
            self._show()
            self._read()

    def action_back(self) -> None:
        self.app.pop_screen()


def bar(done: int, total: int, width: int = 12) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)
