"""Where codings fall on the laid-out transcript: per-line codings and stripe lanes.

Recomputed whenever the codings, the filter or the layout change (cheap: proportional to the
number of lines the codings cover), so drawing a line only looks up what is already sorted out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from qualcode.store.coder_store import Coding
from qualcode.tui.widgets.layout import TextLayout

MAX_LANES = 4
"""Stripes drawn side by side in the margin; more overlapping codings share the last lane."""


@dataclass
class Decorations:
    """Codings arranged for drawing."""

    codings: list[Coding] = field(default_factory=list)
    by_row: dict[int, list[Coding]] = field(default_factory=dict)
    """Codings overlapping each visual line, by line index."""
    lanes: dict[str, int] = field(default_factory=dict)
    """Stripe lane of each coding (by id), 0 nearest the text."""
    lane_count: int = 0

    def on_row(self, row: int) -> list[Coding]:
        return self.by_row.get(row, [])


def assign_lanes(codings: Sequence[Coding]) -> dict[str, int]:
    """Give overlapping codings different lanes, reusing a lane once its coding has ended."""
    lanes: dict[str, int] = {}
    lane_ends: list[int] = []
    for coding in sorted(codings, key=lambda c: (c.start, -c.end, c.code)):
        for lane, end in enumerate(lane_ends):
            if end <= coding.start:
                lane_ends[lane] = coding.end
                lanes[coding.id] = lane
                break
        else:
            lanes[coding.id] = len(lane_ends)
            lane_ends.append(coding.end)
    return lanes


def decorate(layout: TextLayout, codings: Sequence[Coding]) -> Decorations:
    """Arrange `codings` (already filtered to what should show) on `layout`'s lines."""
    shown = sorted(codings, key=lambda c: (c.start, c.end, c.code))
    by_row: dict[int, list[Coding]] = {}
    rows = layout.text_rows
    for coding in shown:
        for i in layout.rows_between(coding.start, coding.end):
            row = rows[i]
            line = layout.lines[row]
            if line.start < coding.end and coding.start < max(line.end, line.start + 1):
                by_row.setdefault(row, []).append(coding)
    lanes = assign_lanes(shown)
    count = max(lanes.values(), default=-1) + 1
    return Decorations(shown, by_row, lanes, count)
