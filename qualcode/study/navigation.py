"""Moving through a transcript: text units, selections, codings, uncoded turns, search.

These are the rules a coding workbench follows when a coder extends a selection by a word, a
sentence or a turn, jumps to the next coding or to the next turn nobody has coded yet, filters
the view to one code or one role, or searches the text. They work on plain offsets into
`Transcript.text` and on `Coding`-like objects (anything with `id`, `start`, `end` and `code`),
so the command line and tests can use them as well as the TUI.

    nav = Navigator(transcript)
    anchor, cursor = nav.extend(anchor=120, cursor=120, unit="sentence")
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from qualcode.study.transcript import Transcript, Turn

UNITS = ("char", "word", "sentence", "paragraph", "turn")
INTERVIEWER_ROLE = "Interviewer"
"""The role name the workbench gives interviewer turns when filtering by role."""
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


class SpanLike(Protocol):
    """What navigation needs to know about a coding."""

    @property
    def id(self) -> str: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def code(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


class Navigator:
    """Text units of one transcript, indexed for quick lookups by offset.

    Word, sentence and paragraph spans come only from the spoken text of turns (speaker labels
    are never part of a unit). Units are computed the first time they are needed.
    """

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self._spans: dict[str, tuple[list[int], list[int]]] = {}

    # -- units ---------------------------------------------------------------------------------

    def spans(self, unit: str) -> tuple[list[int], list[int]]:
        """Sorted starts and ends of every `unit` (word, sentence, paragraph or turn)."""
        if unit not in self._spans:
            if unit == "word":
                pairs = [
                    (m.start(), m.end())
                    for turn in self.transcript.turns
                    for m in _WORD.finditer(self.transcript.text, turn.start, turn.end)
                ]
            elif unit in ("sentence", "paragraph", "turn"):
                pairs = [(s.start, s.end) for s in self.transcript.segments(unit)]
            else:
                raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
            self._spans[unit] = ([a for a, _ in pairs], [b for _, b in pairs])
        return self._spans[unit]

    def span_at(self, offset: int, unit: str) -> Span | None:
        """The unit containing `offset`, else the next one after it, else the last one."""
        starts, ends = self.spans(unit)
        if not starts:
            return None
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and offset < ends[i]:
            return Span(starts[i], ends[i])
        if i + 1 < len(starts):
            return Span(starts[i + 1], ends[i + 1])
        return Span(starts[-1], ends[-1])

    def next_start(self, offset: int, unit: str) -> int | None:
        """Start of the first unit beginning after `offset`."""
        starts, _ = self.spans(unit)
        i = bisect.bisect_right(starts, offset)
        return starts[i] if i < len(starts) else None

    def previous_start(self, offset: int, unit: str) -> int | None:
        """Start of the last unit beginning before `offset`."""
        starts, _ = self.spans(unit)
        i = bisect.bisect_left(starts, offset) - 1
        return starts[i] if i >= 0 else None

    def next_end(self, offset: int, unit: str) -> int | None:
        """End of the first unit ending after `offset`."""
        _, ends = self.spans(unit)
        i = bisect.bisect_right(ends, offset)
        return ends[i] if i < len(ends) else None

    def previous_end(self, offset: int, unit: str) -> int | None:
        """End of the last unit ending before `offset`."""
        _, ends = self.spans(unit)
        i = bisect.bisect_left(ends, offset) - 1
        return ends[i] if i >= 0 else None

    # -- selections ----------------------------------------------------------------------------

    def extend(self, anchor: int, cursor: int, unit: str, forward: bool = True) -> tuple[int, int]:
        """Grow or shrink a selection by one unit; returns the new (anchor, cursor).

        With nothing selected (anchor == cursor) the unit under the cursor is selected. Otherwise
        the moving end (the cursor) moves by one unit: away from the anchor it grows the
        selection to the end of the next unit (or the start of the previous one); towards the
        anchor it shrinks it to the end of the unit before (or the start of the unit after), so
        that shrinking undoes growing and the selection always ends on spoken text, never on
        the next speaker's label. Shrinking past the anchor leaves nothing selected.
        """
        if unit == "char":
            step = 1 if forward else -1
            return anchor, max(0, min(len(self.transcript.text), cursor + step))
        if anchor == cursor:
            span = self.span_at(cursor, unit)
            if span is None:
                return anchor, cursor
            return (span.start, span.end) if forward else (span.end, span.start)
        growing = (cursor > anchor) == forward
        if growing:
            target = self.next_end(cursor, unit) if forward else self.previous_start(cursor, unit)
            return anchor, cursor if target is None else target
        if forward:
            target = self.next_start(cursor, unit)
            return anchor, anchor if target is None or target >= anchor else target
        target = self.previous_end(cursor, unit)
        return anchor, anchor if target is None or target <= anchor else target

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """A selection cut to spoken text: no speaker label and no whitespace at either end.

        Codings start and end on what someone said: an end that reaches into the next turn's
        label goes back to the end of the turn before it, a start in a label goes forward to
        the words after it. A selection holding nothing else comes back empty (start == end).
        The same rule as `Transcript.speech_span`, by which `qualcode check --fix` trims older
        codings, for a selection made in either direction.
        """
        return self.transcript.speech_span(min(start, end), max(start, end))


# -- codings ------------------------------------------------------------------------------------


def _order(coding: SpanLike) -> tuple[int, int, str, str]:
    return (coding.start, coding.end, coding.code, coding.id)


def codings_at(codings: Iterable[SpanLike], offset: int) -> list[SpanLike]:
    """Codings covering `offset`, the shortest (innermost) first."""
    found = [c for c in codings if c.start <= offset < c.end]
    return sorted(found, key=lambda c: (c.end - c.start, c.start, c.code))


def next_coding(
    codings: Sequence[SpanLike], offset: int, current: str | None = None, forward: bool = True
) -> SpanLike | None:
    """The coding after (or before) the current one, or after (before) `offset`.

    Codings are ordered by start, end and code, so codings sharing a start are visited one by one.
    """
    ordered = sorted(codings, key=_order)
    if not ordered:
        return None
    keys = [_order(c) for c in ordered]
    now = next((c for c in ordered if c.id == current), None) if current else None
    if now is not None:
        i = keys.index(_order(now))
        j = i + 1 if forward else i - 1
        return ordered[j] if 0 <= j < len(ordered) else None
    if forward:
        after = [c for c in ordered if c.start > offset]
        return after[0] if after else None
    before = [c for c in ordered if c.start < offset]
    return before[-1] if before else None


def next_uncoded_turn(
    transcript: Transcript,
    codings: Iterable[SpanLike],
    offset: int,
    wrap: bool = True,
    among: set[int] | None = None,
) -> Turn | None:
    """The next informant turn after `offset` that no coding touches (interviewer turns skipped).

    With `wrap`, the search goes on from the top of the transcript; `among` limits the search to
    some turns (e.g. those a filter shows).
    """
    spans = sorted((c.start, c.end) for c in codings)
    starts = [a for a, _ in spans]

    def coded(turn: Turn) -> bool:
        i = bisect.bisect_left(starts, turn.end)
        return any(b > turn.start for _a, b in spans[:i])

    candidates = [
        t
        for t in transcript.turns
        if not t.is_interviewer and t.end > t.start and (among is None or t.index in among)
    ]
    current = transcript.turn_at(offset)
    after = [t for t in candidates if current is None or t.index > current.index]
    order = after + ([t for t in candidates if t not in after] if wrap else [])
    return next((t for t in order if not coded(t)), None)


def first_difference(old: Iterable[SpanLike], new: Iterable[SpanLike]) -> tuple[int, int] | None:
    """Where two versions of a transcript's codings differ first (to show what undo changed)."""
    before = {(c.id, c.start, c.end, c.code) for c in old}
    after = {(c.id, c.start, c.end, c.code) for c in new}
    changed = sorted((start, end) for _id, start, end, _code in before ^ after)
    return changed[0] if changed else None


# -- filters ------------------------------------------------------------------------------------


def turn_role(transcript: Transcript, turn: Turn) -> str:
    """The role of whoever speaks in `turn` (`Interviewer` for the interviewer, else '')."""
    if turn.is_interviewer:
        return INTERVIEWER_ROLE
    informant = transcript.informant_at(turn.start)
    return informant.role if informant is not None else ""


def roles(transcript: Transcript) -> list[str]:
    """The roles speaking in a transcript, in order of first appearance."""
    found: dict[str, None] = {}
    for turn in transcript.turns:
        role = turn_role(transcript, turn)
        if role:
            found.setdefault(role, None)
    return list(found)


def turns_of_role(transcript: Transcript, role: str) -> set[int]:
    """Indices of the turns spoken by someone with `role`."""
    return {t.index for t in transcript.turns if turn_role(transcript, t) == role}


def turns_with_codings(transcript: Transcript, codings: Iterable[SpanLike]) -> set[int]:
    """Indices of the turns that any of `codings` touches."""
    found: set[int] = set()
    turns = transcript.turns
    for coding in codings:
        first = transcript.turn_at(coding.start)
        index = first.index if first is not None else 0
        while index < len(turns) and turns[index].label_start < coding.end:
            found.add(index)
            index += 1
    return found


# -- search -------------------------------------------------------------------------------------


def search(text: str, query: str) -> list[tuple[int, int]]:
    """Every place `query` occurs, ignoring case; any run of spaces matches any whitespace."""
    words = query.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]
