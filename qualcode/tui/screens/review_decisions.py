"""Deciding on the review screen: the keys that settle, reopen, undo and redo, write why, and
code a passage by hand.

The base class of `ReviewScreen`, holding everything that writes to the consensus layer. Every
decision goes through `qualcode.agreement.consensus` (`settle`, `reopen`, and
`build_consensus` for a layer that does not exist yet, as `qualcode consensus` makes it), in a
worker thread that posts `Decided` back.

Undo and redo here act on the decisions (the consensus layer), never on the coder's own file:
the decisions made in this window are taken back one by one, newest first
(`qualcode.agreement.review_notes.DecisionHistory`). A memo written before its decision is kept
in the consensus layer (`qualcode.agreement.review_notes`), and a passage coded by hand is
settled as `hand`, so leaving the screen loses neither.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input

from qualcode.agreement.consensus import build_consensus, consensus_coders, reopen, settle
from qualcode.agreement.decisions import HAND
from qualcode.agreement.disagreements import Disagreement, Settlement
from qualcode.agreement.review_notes import (
    DecisionHistory,
    DecisionStep,
    keep_pending_memo,
    layer_codings,
)
from qualcode.errors import QualcodeError
from qualcode.study.study import Study
from qualcode.tui.guard import guarded, report
from qualcode.tui.screens.consensus_coding import ConsensusCodingScreen
from qualcode.tui.widgets.disagreement import describe, short_decision


@dataclass
class Decided(Message):
    """A decision was written to the consensus layer (`settlement` None: open again)."""

    key: str
    settlement: Settlement | None
    step: DecisionStep
    """What changed: `before` is what the disagreement had."""
    origin: str = "decision"
    """`decision`, `undo` or `redo`."""
    advance: bool = False
    """Move on to the next open disagreement."""
    kept: tuple[tuple[int, int, str], ...] = ()
    """The consensus layer's codings in the passage (what a passage coded by hand keeps)."""

    @property
    def by_hand(self) -> bool:
        return self.settlement is not None and self.settlement.by_hand


@dataclass
class MemoKept(Message):
    """A memo on why was saved, waiting for its disagreement's decision."""

    key: str
    memo: str


class WhyInput(Input):
    """The memo on why a disagreement was settled as it was (Esc closes it unchanged)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close the memo, leaving it as it was", show=False),
    ]

    class Closed(Message):
        pass

    def action_close(self) -> None:
        self.post_message(self.Closed())


class ReviewDecisions(Screen[None]):
    """Writing decisions to the consensus layer (the review screen fills in the rest)."""

    disagreements: list[Disagreement]
    pending: dict[str, str]
    """Memos on why written before a decision, by disagreement key (kept in the layer)."""
    by_hand: dict[str, tuple[tuple[int, int, str], ...]]
    """Disagreements settled by coding by hand -> the layer's codings in the passage."""

    def __init__(self) -> None:
        super().__init__()
        self.disagreements = []
        self.pending = {}
        self.by_hand = {}
        self._writing = threading.Lock()
        """One write to the consensus layer at a time, in the order given."""
        self._editing: tuple[str, tuple[tuple[int, int, str], ...]] | None = None
        """While coding a passage by hand: its disagreement's key, and the layer's codings
        there before."""

    @property
    def session(self):  # -> qualcode.tui.session.Session
        return self.app.session  # type: ignore[attr-defined]

    @property
    def study(self) -> Study:
        return self.session.study

    @property
    def history(self) -> DecisionHistory:
        return self.session.decisions

    @property
    def current(self) -> Disagreement | None:
        raise NotImplementedError

    def _index_of(self, key: str | None) -> int | None:
        for index, d in enumerate(self.disagreements):
            if d.key == key:
                return index
        return None

    def _show(self) -> None:
        """Show the current disagreement (the review screen fills this in)."""

    def _read(self) -> None:
        """Read the disagreements again (the review screen fills this in)."""

    def _move_to_open(self, quiet: bool = False) -> bool:
        raise NotImplementedError

    def _go_to_key(self, key: str | None) -> None:
        raise NotImplementedError

    def memo_for(self, d: Disagreement) -> str:
        """The memo that goes with a decision on `d`: the one waiting, else the one it has."""
        return self.pending.get(d.key, d.settlement.memo if d.settlement else "")

    # -- deciding ------------------------------------------------------------------------------

    def action_take(self, decision: str) -> None:
        d = self.current
        if d is not None:
            self._decide(d, decision, self.memo_for(d), advance=True)

    def action_reopen(self) -> None:
        d = self.current
        if d is None:
            return
        if not d.settled:
            self.notify(f"#{d.number} has no decision to reopen.", timeout=3)
            return
        self._decide(d, None, "")

    def _decide(self, d: Disagreement, decision: str | None, memo: str,
                advance: bool = False) -> None:
        step = DecisionStep(d.key, d.number, d.settlement, None)
        self._write(d, decision, memo, step, "decision", advance)

    @work(thread=True, group="review-settle", exit_on_error=False)
    def _write(self, d: Disagreement, decision: str | None, memo: str, step: DecisionStep,
               origin: str, advance: bool = False) -> None:
        study = self.study
        with self._writing:
            try:
                if decision is None:
                    reopen(d, study=study)
                    settlement = None
                else:
                    if consensus_coders(study) is None:  # the layer starts as the CLI makes it
                        build_consensus(study, d.coders)
                    settlement = settle(d, decision, memo, study=study)
                by_hand = settlement is not None and settlement.by_hand
                kept = layer_codings(study, d.transcript, d.start, d.end) if by_hand else ()
            except QualcodeError as error:
                self.app.call_from_thread(self._write_failed, error, step, origin)
                return
        self.post_message(Decided(d.key, settlement, step, origin, advance, kept))

    def _write_failed(self, error: QualcodeError, step: DecisionStep, origin: str) -> None:
        if origin != "decision":
            self.history.put_back(step, undoing=origin == "undo")
        report(self, error)
        self._read()  # the codings may have changed since the list was read

    @on(Decided)
    def _decided(self, message: Decided) -> None:
        step = message.step
        if message.origin == "decision":
            self.history.record(replace(step, after=message.settlement))
        elif message.origin == "undo":
            self.history.undo_finished(step)
        else:
            self.history.redo_finished(step)
        index = self._index_of(message.key)
        if index is None:
            return
        d = replace(self.disagreements[index], settlement=message.settlement)
        self.disagreements[index] = d
        self.pending.pop(d.key, None)
        if message.by_hand:
            self.by_hand[d.key] = message.kept
        else:
            self.by_hand.pop(d.key, None)
        self.query_one(DataTable).update_cell(
            d.key, "decision", short_decision(d.settlement, message.by_hand))
        self.notify(self._decided_text(d, message), timeout=4)
        if message.origin != "decision":
            self._go_to_key(d.key)  # show what undo or redo changed
        here = self.current is not None and self.current.key == d.key
        if message.advance and here and not self._move_to_open(quiet=True):
            self.notify(f"All {len(self.disagreements)} disagreements are settled; the "
                        "consensus layer is up to date.", timeout=6)
        self._show()
        self.refresh_bindings()

    def _decided_text(self, d: Disagreement, message: Decided) -> str:
        if message.settlement is None:
            now = "is open again; its codings left the consensus."
        elif message.by_hand:
            now = "is settled by hand: the consensus keeps what you coded there."
        else:
            now = "is settled: " + describe(message.settlement, d.coders)
        if message.origin == "undo":
            text = f"Undone: your last decision. #{d.number} {now}"
            if message.step.after is not None and message.step.after.by_hand:
                text += " What you coded by hand stays in the consensus layer (e shows it)."
            return text
        if message.origin == "redo":
            return f"Redone: #{d.number} {now}"
        return f"#{d.number} {now}"

    # -- undo and redo -------------------------------------------------------------------------

    def action_undo_decision(self) -> None:
        self._step_history(undoing=True)

    def action_redo_decision(self) -> None:
        self._step_history(undoing=False)

    def _step_history(self, undoing: bool) -> None:
        step = self.history.take_undo() if undoing else self.history.take_redo()
        if step is None:
            self.notify("Nothing to undo here: no decision has been made on this screen since "
                        "qualcode opened. r reopens a settled disagreement." if undoing else
                        "Nothing to redo.", timeout=5)
            return
        index = self._index_of(step.key)
        if index is None:
            self.notify(f"#{step.number} has changed since that decision: a coder changed its "
                        "codings, so it is a new disagreement now. Settle it again.", timeout=6)
            return
        d = self.disagreements[index]
        target = step.before if undoing else step.after
        decision = target.decision if target is not None else None
        memo = target.memo if target is not None else ""
        self._write(d, decision, memo, step, "undo" if undoing else "redo")

    # -- why -----------------------------------------------------------------------------------

    def action_memo(self) -> None:
        d = self.current
        if d is None:
            return
        box = self.query_one(WhyInput)
        box.value = self.memo_for(d)
        box.display = True
        box.focus()

    @on(Input.Submitted, "#review-memo")
    def _memo_written(self, event: Input.Submitted) -> None:
        d = self.current
        self._close_memo()
        if d is None:
            return
        memo = event.value.strip()
        if d.settlement is not None:
            self._decide(d, d.settlement.decision, memo)
        else:
            self._keep_memo(d, memo)

    @work(thread=True, group="review-settle", exit_on_error=False)
    def _keep_memo(self, d: Disagreement, memo: str) -> None:
        study = self.study
        with self._writing:
            try:
                if consensus_coders(study) is None:
                    build_consensus(study, d.coders)
                keep_pending_memo(study, d, memo)
            except QualcodeError as error:
                self.app.call_from_thread(report, self, error)
                return
        self.post_message(MemoKept(d.key, memo))

    @on(MemoKept)
    def _memo_kept(self, message: MemoKept) -> None:
        if message.memo:
            self.pending[message.key] = message.memo
        else:
            self.pending.pop(message.key, None)
        index = self._index_of(message.key)
        number = self.disagreements[index].number if index is not None else "?"
        self.notify(f"Memo saved: it goes with your decision on #{number}." if message.memo
                    else f"The memo on #{number} is gone.", timeout=3)
        self._show()

    @on(WhyInput.Closed)
    def _close_memo(self) -> None:
        box = self.query_one(WhyInput)
        if box.display:
            box.display = False
            self.query_one(DataTable).focus()

    # -- by hand -------------------------------------------------------------------------------

    @guarded
    def action_edit(self) -> None:
        d = self.current
        if d is not None:
            before = layer_codings(self.study, d.transcript, d.start, d.end)
            ConsensusCodingScreen.open(self.app, d)
            self._editing = (d.key, before)  # only once the coding screen is open

    def after_editing(self) -> bool:
        """Back from coding a passage by hand: settle it when something was coded there.

        Returns True when a decision is being written (the list is read again after it).
        """
        if self._editing is None:
            return False
        key, before = self._editing
        self._editing = None
        index = self._index_of(key)
        if index is None:
            return False
        d = self.disagreements[index]
        if layer_codings(self.study, d.transcript, d.start, d.end) == before:
            if not d.settled:
                self.notify(f"Nothing was coded by hand in #{d.number}, so it is still open.",
                            timeout=4)
            return False
        self._decide(d, HAND, self.memo_for(d))
        return True
