"""What the disagreement review keeps in the consensus layer besides the decisions themselves.

* a memo on why, written before the decision it goes with (it waits there for the decision);
* which disagreements were settled by coding the passage by hand in the consensus layer.

Both live in the consensus layer's file (`codings/consensus.db`, its `meta` table), so they
survive leaving the review and quitting, and go wherever the study folder goes.

`DecisionHistory` holds the decisions a window has made, so that undo and redo on the review
screen take back decisions (not the coder's own codings). Plain Python, without Textual.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from qualcode.agreement.disagreements import Settlement
from qualcode.study.study import CONSENSUS, Study

PENDING_MEMOS = "review_pending_memos"
"""Disagreement key -> memo written before a decision."""
BY_HAND = "review_by_hand"
"""Keys of the disagreements settled by coding the passage by hand."""


def _read(study: Study, name: str, empty: dict | list) -> dict | list:
    if not study.coder_path(CONSENSUS).exists():
        return empty
    with study.store(CONSENSUS) as store:
        value = store.meta(name)
    try:
        found = json.loads(value) if value else empty
    except ValueError:  # written by hand and broken: start again rather than stop the review
        return empty
    return found if isinstance(found, type(empty)) else empty


def _write(study: Study, name: str, value: dict | list) -> None:
    with study.store(CONSENSUS, create=True) as store:
        store.set_meta(name, json.dumps(value, ensure_ascii=False, sort_keys=True))


def pending_memos(study: Study) -> dict[str, str]:
    """Memos written on disagreements that have no decision yet, by disagreement key."""
    found = _read(study, PENDING_MEMOS, {})
    return {str(k): str(v) for k, v in found.items()}  # type: ignore[union-attr]


def keep_pending_memo(study: Study, key: str, memo: str) -> None:
    """Keep a memo for the decision still to come on disagreement `key` (empty: forget it)."""
    memos = pending_memos(study)
    if memo.strip():
        memos[key] = memo.strip()
    elif key not in memos:
        return
    else:
        del memos[key]
    _write(study, PENDING_MEMOS, memos)


def drop_pending_memo(study: Study, key: str) -> None:
    """Forget the memo waiting for a decision on `key` (it now goes with the decision)."""
    keep_pending_memo(study, key, "")


def settled_by_hand(study: Study) -> set[str]:
    """Keys of the disagreements settled by coding the passage by hand."""
    return {str(k) for k in _read(study, BY_HAND, [])}


def note_by_hand(study: Study, key: str, by_hand: bool) -> None:
    """Note whether disagreement `key` was settled by coding its passage by hand."""
    keys = settled_by_hand(study)
    if (key in keys) == by_hand:
        return
    keys = keys | {key} if by_hand else keys - {key}
    _write(study, BY_HAND, sorted(keys))


def layer_codings(study: Study, transcript: str, start: int, end: int
                  ) -> tuple[tuple[int, int, str], ...]:
    """The consensus layer's codings (start, end, code) that overlap a passage."""
    if not study.coder_path(CONSENSUS).exists():
        return ()
    with study.store(CONSENSUS) as store:
        found = store.codings(transcript=transcript)
    return tuple(sorted((c.start, c.end, c.code) for c in found if c.start < end and c.end > start))


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
    by_hand_before: bool = False
    by_hand_after: bool = False


@dataclass
class DecisionHistory:
    """The decisions made in this window, newest last, and those undone (to redo)."""

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
