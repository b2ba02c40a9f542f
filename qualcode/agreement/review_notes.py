"""What the review of disagreements keeps besides the decisions themselves.

* **A memo written before the decision.** A lead may write why before deciding; the memo waits
  in the consensus layer's file (`codings/consensus.db`, its `meta` table) and goes with the
  decision when it is made (:func:`qualcode.agreement.consensus.settle` takes it). Like a
  decision, it keeps its passage's text, so it follows the passage when the transcript is
  edited (see :mod:`qualcode.agreement.decisions`).
* **Undo and redo of decisions** (`DecisionHistory`): the decisions made in one window, so that
  they can be taken back one by one, newest first, without touching any coder's own file.

`qualcode disagreements` shows a waiting memo with its disagreement, and `qualcode consensus`
lists them; the review screen writes and shows them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from qualcode.agreement.decisions import Marked, Settlement, marks_value, read_marks
from qualcode.store.anchoring import place_codings
from qualcode.store.coder_store import Coding
from qualcode.study.study import CONSENSUS, Study
from qualcode.study.transcript import Transcript

if TYPE_CHECKING:
    from qualcode.agreement.disagreements import Disagreement

__all__ = [
    "DecisionHistory",
    "DecisionStep",
    "PendingMemo",
    "drop_pending_memo",
    "in_passage",
    "keep_pending_memo",
    "layer_codings",
    "read_pending_memos",
]

PENDING_MEMOS = "review_pending_memos"
"""Meta key: disagreement key -> the memo waiting for its decision, with its passage."""


@dataclass(frozen=True)
class PendingMemo:
    """A memo on why, written on a disagreement that has no decision yet."""

    key: str
    """The key it is kept under: that of its disagreement when it was written."""
    memo: str
    transcript: str = ""
    start: int = 0
    end: int = 0
    quote: str = ""
    """The passage's text when it was written (empty for memos kept by older versions)."""
    text_hash: str = ""
    marks: tuple[Marked, ...] = ()

    def placed(self, start: int, end: int) -> PendingMemo:
        by = start - self.start
        return replace(self, start=start, end=end,
                       marks=tuple(m.shifted(by) for m in self.marks))

    @classmethod
    def from_value(cls, key: str, value: object) -> PendingMemo | None:
        """A memo as kept: its text alone (older versions) or with its passage."""
        if isinstance(value, str):
            return cls(key, value, transcript=key.rsplit(":", 2)[0]) if value.strip() else None
        if not isinstance(value, dict) or not str(value.get("memo", "")).strip():
            return None
        try:
            marks = read_marks(value.get("marks", []))
            return cls(key, str(value["memo"]), str(value.get("transcript", "")),
                       int(value.get("start", 0)), int(value.get("end", 0)),
                       str(value.get("quote", "")), str(value.get("text_hash", "")), marks)
        except (TypeError, ValueError):
            return cls(key, str(value["memo"]), transcript=key.rsplit(":", 2)[0])

    def to_value(self) -> dict:
        return {
            "memo": self.memo,
            "transcript": self.transcript,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "text_hash": self.text_hash,
            "marks": marks_value(self.marks),
        }


def _read_all(study: Study) -> dict:
    if not study.coder_path(CONSENSUS).exists():
        return {}
    with study.store(CONSENSUS) as store:
        value = store.meta(PENDING_MEMOS)
    try:
        found = json.loads(value) if value else {}
    except ValueError:  # written by hand and broken: start again rather than stop the review
        return {}
    return found if isinstance(found, dict) else {}


def _write_all(study: Study, memos: dict) -> None:
    with study.store(CONSENSUS, create=True) as store:
        store.set_meta(PENDING_MEMOS, json.dumps(memos, ensure_ascii=False, sort_keys=True))


def read_pending_memos(study: Study) -> list[PendingMemo]:
    """Every memo waiting for a decision, also those whose passage has changed since."""
    found = (PendingMemo.from_value(str(k), v) for k, v in _read_all(study).items())
    return [memo for memo in found if memo is not None]


def keep_pending_memo(study: Study, disagreement: Disagreement, memo: str) -> None:
    """Keep a memo for the decision still to come on `disagreement` (empty: forget it)."""
    memos = _read_all(study)
    before = dict(memos)
    for key in _keys(disagreement):
        memos.pop(key, None)
    if memo.strip():
        transcript = study.transcript(disagreement.transcript)
        memos[disagreement.key] = PendingMemo(
            disagreement.key, memo.strip(), disagreement.transcript, disagreement.start,
            disagreement.end, disagreement.text, transcript.hash, disagreement.marks,
        ).to_value()
    if memos != before:
        _write_all(study, memos)


def drop_pending_memo(study: Study, disagreement: Disagreement) -> None:
    """Forget the memo waiting for a decision on `disagreement` (it now goes with it)."""
    memos = _read_all(study)
    keys = [k for k in _keys(disagreement) if k in memos]
    if keys:
        for key in keys:
            del memos[key]
        _write_all(study, memos)


def _keys(disagreement: Disagreement) -> set[str]:
    """The keys a memo on `disagreement` may be kept under (its own, or where it followed from)."""
    keys = {disagreement.key}
    if disagreement.pending is not None:
        keys.add(disagreement.pending.key)
    return keys


def in_passage(codings: Iterable[Coding], transcript: Transcript, start: int, end: int
               ) -> list[Coding]:
    """The codings (of one transcript) that overlap `start`–`end` in its current text, where
    they are in that text."""
    placed = place_codings(codings, transcript).placed
    return [c for c in placed if c.overlaps(start, end)]


def layer_codings(study: Study, transcript: str, start: int, end: int
                  ) -> tuple[tuple[int, int, str], ...]:
    """The consensus layer's codings (start, end, code) that overlap a passage of the current
    text of a transcript."""
    if not study.coder_path(CONSENSUS).exists():
        return ()
    with study.store(CONSENSUS) as store:
        found = store.codings(transcript=transcript)
    inside = in_passage(found, study.transcript(transcript), start, end)
    return tuple(sorted((c.start, c.end, c.code) for c in inside))


# -- undo and redo of decisions ------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionStep:
    """One decision on a disagreement: what it was before and after."""

    key: str
    """The disagreement's key."""
    number: int
    """The disagreement's number, as the review lists it."""
    before: Settlement | None
    after: Settlement | None
    """None: open (no decision)."""


@dataclass
class DecisionHistory:
    """The decisions made in one window, newest last, and those undone (to redo)."""

    done: list[DecisionStep] = field(default_factory=list)
    undone: list[DecisionStep] = field(default_factory=list)

    def record(self, step: DecisionStep) -> None:
        """A new decision: it can be undone, and what was undone before can no longer be redone."""
        self.done.append(step)
        self.undone.clear()

    def take_undo(self) -> DecisionStep | None:
        """The decision to undo now (taken off the list until `undo_finished`)."""
        return self.done.pop() if self.done else None

    def take_redo(self) -> DecisionStep | None:
        """The decision to redo now (taken off the list until `redo_finished`)."""
        return self.undone.pop() if self.undone else None

    def undo_finished(self, step: DecisionStep) -> None:
        self.undone.append(step)

    def redo_finished(self, step: DecisionStep) -> None:
        self.done.append(step)

    def put_back(self, step: DecisionStep, undoing: bool) -> None:
        """An undo (or redo) that failed: the step stays where it was."""
        (self.done if undoing else self.undone).append(step)
