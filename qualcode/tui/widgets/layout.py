"""How a transcript is laid out on screen: turns wrapped into visual lines.

Pure Python (no Textual), so it can be tested and timed on its own. Each visual line knows the
span of transcript text it shows, so screen positions and text offsets convert both ways. The
speaker label of a turn is not part of the text column (the view draws it in a gutter), and
turns hidden by a filter collapse into one line saying how many are hidden.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from rich.cells import cell_len

from qualcode.study.transcript import Transcript

_TOKEN = re.compile(r"\S+[ \t]*|[ \t]+")

TEXT, GAP, HIDDEN = "text", "gap", "hidden"


@dataclass(slots=True)
class VisualLine:
    """One row of the transcript view."""

    kind: str
    """`text` (a piece of a turn), `gap` (between turns) or `hidden` (filtered-out turns)."""
    start: int
    """Offset of the first character shown (text lines)."""
    end: int
    """Offset after the last character shown (text lines)."""
    turn: int
    """Index of the turn (text lines), or of the first hidden turn."""
    row_in_turn: int = 0
    """0 for the turn's first line (where the label goes), 1 for the next, ..."""
    hidden: int = 0
    """How many turns a `hidden` line stands for."""


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def column_of(text: str, index: int) -> int:
    """Screen column of character `index` of a line's text."""
    return index if text.isascii() else cell_len(text[:index])


def index_at(text: str, column: int) -> int:
    """Character index of a line's text shown at screen `column` (may be len(text))."""
    if text.isascii():
        return max(0, min(column, len(text)))
    width = 0
    for i, char in enumerate(text):
        width += cell_len(char)
        if width > column:
            return i
    return len(text)


def _single_cells(text: str) -> bool:
    """Whether every character takes exactly one cell (true of Norwegian and English text)."""
    return text.isascii() or cell_len(text) == len(text)


def _wrap_simple(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """`wrap` for text whose characters are all one cell wide: searches for spaces directly."""
    spans: list[tuple[int, int]] = []
    pos = start
    while end - pos > width:
        limit = pos + width
        if text[limit] in " \t":
            cut = limit
        else:
            space = max(text.rfind(" ", pos, limit), text.rfind("\t", pos, limit))
            cut = space + 1 if space > pos else limit
        while cut < end and text[cut] in " \t":
            cut += 1
        if cut >= end:
            break
        spans.append((pos, cut))
        pos = cut
    spans.append((pos, end))
    return spans


def wrap(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Break text[start:end] (no newlines) into spans at most `width` cells wide.

    Lines break between words; spaces after a word stay on its line; a word wider than the
    line is cut. An empty stretch gives one empty line.
    """
    if start >= end:
        return [(start, start)]
    width = max(1, width)
    if end - start <= width and _width(text[start:end]) <= width:
        return [(start, end)]
    if _single_cells(text[start:end]):
        return _wrap_simple(text, start, end, width)
    spans: list[tuple[int, int]] = []
    line_start = start
    used = 0  # cells taken on the current line, spaces after words included
    for match in _TOKEN.finditer(text, start, end):
        pos = match.start()
        word_end = pos + len(match.group().rstrip(" \t"))
        need = _width(text[pos:word_end])
        if used and used + need > width:
            spans.append((line_start, pos))
            line_start, used = pos, 0
        while need > width:  # a word longer than a whole line: cut it
            cut = pos + max(1, index_at(text[pos:word_end], width))
            spans.append((line_start, cut))
            line_start = pos = cut
            need = _width(text[pos:word_end])
        used += _width(text[pos : match.end()])
    spans.append((line_start, end))
    return spans


class TextLayout:
    """The visual lines of a transcript at one width, with offset <-> position lookups.

    Args:
        transcript: the transcript to lay out.
        width: cells available for the text column.
        visible: indices of the turns to show (None: every turn).
    """

    def __init__(self, transcript: Transcript, width: int, visible: set[int] | None = None) -> None:
        self.transcript = transcript
        self.width = max(8, width)
        self.visible = visible
        self.lines: list[VisualLine] = []
        self._text_rows: list[int] = []
        self._starts: list[int] = []
        self._build()

    def _build(self) -> None:
        text = self.transcript.text
        hidden_run: VisualLine | None = None
        for turn in self.transcript.turns:
            if self.visible is not None and turn.index not in self.visible:
                if hidden_run is None:
                    if self.lines:
                        self.lines.append(VisualLine(GAP, -1, -1, turn.index))
                    hidden_run = VisualLine(HIDDEN, -1, -1, turn.index)
                    self.lines.append(hidden_run)
                hidden_run.hidden += 1
                continue
            hidden_run = None
            if self.lines:
                self.lines.append(VisualLine(GAP, -1, -1, turn.index))
            row = 0
            pos = turn.start
            while True:
                newline = text.find("\n", pos, turn.end)
                stop = turn.end if newline == -1 else newline
                for a, b in wrap(text, pos, stop, self.width):
                    self._text_rows.append(len(self.lines))
                    self._starts.append(a)
                    self.lines.append(VisualLine(TEXT, a, b, turn.index, row))
                    row += 1
                if newline == -1:
                    break
                pos = newline + 1

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def text_rows(self) -> list[int]:
        """Indices of the lines that show text."""
        return self._text_rows

    def is_shown(self, offset: int) -> bool:
        """Whether a cursor can sit at `offset` (inside a visible turn's text, or at its end)."""
        turn = self.transcript.turn_at(offset)
        if turn is None or (self.visible is not None and turn.index not in self.visible):
            return False
        return turn.start <= offset <= turn.end

    def clamp(self, offset: int) -> int:
        """The nearest offset a cursor can sit at, searching forward first."""
        if not self._starts:
            return 0
        if self.is_shown(offset):
            return offset
        i = bisect.bisect_right(self._starts, offset)
        if i < len(self._starts):
            return self._starts[i]
        last = self.lines[self._text_rows[-1]]
        return last.end

    def row_of(self, offset: int) -> int:
        """The line showing `offset` (the next shown position if it is not shown)."""
        if not self._starts:
            return 0
        offset = self.clamp(offset)
        i = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return self._text_rows[i]

    def column(self, offset: int, row: int | None = None) -> int:
        """Screen column of `offset` within its line."""
        row = self.row_of(offset) if row is None else row
        line = self.lines[row]
        segment = self.transcript.text[line.start : line.end]
        return column_of(segment, max(0, min(offset, line.end) - line.start))

    def offset_at(self, row: int, column: int) -> int | None:
        """The offset shown at a screen position (None on gaps and hidden lines)."""
        if not 0 <= row < len(self.lines):
            return None
        line = self.lines[row]
        if line.kind != TEXT:
            return None
        segment = self.transcript.text[line.start : line.end]
        index = index_at(segment, max(0, column))
        # The last column of a wrapped line belongs to the next line's first character.
        if index >= len(segment) and row + 1 < len(self.lines):
            following = self.lines[row + 1]
            if following.kind == TEXT and following.start == line.end and segment:
                index = len(segment.rstrip(" \t")) if segment.rstrip(" \t") else len(segment)
        return line.start + index

    def step(self, offset: int, forward: bool) -> int:
        """One character on, jumping from the end of a shown turn to the next one."""
        offset = self.clamp(offset)
        turn = self.transcript.turn_at(offset)
        if turn is None:
            return offset
        if forward:
            if offset < turn.end:
                return offset + 1
            i = bisect.bisect_right(self._starts, offset)
            return self._starts[i] if i < len(self._starts) else offset
        if offset > turn.start:
            return offset - 1
        i = bisect.bisect_left(self._starts, offset) - 1
        if i < 0:
            return offset
        return self.lines[self._text_rows[i]].end

    def vertical(self, offset: int, rows: int, column: int | None = None) -> int:
        """The offset `rows` text lines up (negative) or down, at `column` where possible."""
        row = self.row_of(offset)
        column = self.column(offset, row) if column is None else column
        i = max(0, bisect.bisect_left(self._text_rows, row))
        target = max(0, min(len(self._text_rows) - 1, i + rows))
        found = self.offset_at(self._text_rows[target], column)
        return offset if found is None else found

    def first_offset(self) -> int:
        return self._starts[0] if self._starts else 0

    def last_offset(self) -> int:
        return self.lines[self._text_rows[-1]].end if self._text_rows else 0

    def line_bounds(self, offset: int) -> tuple[int, int]:
        """Start and end offsets of the visual line showing `offset`."""
        line = self.lines[self.row_of(offset)]
        return line.start, line.end

    def rows_between(self, start: int, end: int) -> range:
        """Text line indices (into `text_rows`) that overlap [start, end)."""
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        last = max(first, bisect.bisect_left(self._starts, end) - 1)
        return range(first, min(last, len(self._starts) - 1) + 1)
