"""Drawing one visual line of a transcript: speaker gutter, coloured text, coding stripes.

```
 A  ▎ Det er en time, halvannen time å kjøre for å komme…  ╻  Geografisk distanse
    ▎ til noen av dem. Og ute på øyene må du ta ferja.      ╹
```
The gutter names the speaker on a turn's first line and the role on its second; coded text is
tinted with its code's colour (the innermost coding wins; text coded more than once is
underlined); the margin shows one stripe per coding, labelled where the coding starts.
An optional suggestion layer puts a faint background under suggested passages (coded text
keeps its code's tint) and makes the words that triggered a suggestion stand out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip

from qualcode.store.coder_store import Coding
from qualcode.study.codebook import Codebook
from qualcode.study.transcript import Transcript
from qualcode.tui.widgets.decorations import MAX_LANES, Decorations
from qualcode.tui.widgets.layout import HIDDEN, TEXT, TextLayout, VisualLine

CODE_TINT = 0.45
"""How strongly a code's colour tints the text it covers."""


@dataclass
class Palette:
    """Styles for the parts of a line, taken from the widget's component classes."""

    base: Style
    interviewer: Style
    label: Style
    interviewer_label: Style
    role: Style
    turn_bar: Style
    selection: Style
    cursor: Style
    match: Style
    hidden: Style
    background: Color
    suggestion: Style = field(default_factory=Style)
    """Under a suggested passage (faint, so that real codings stand out)."""
    trigger: Style = field(default_factory=Style)
    """On a word that triggered a suggestion."""
    _codes: dict[str, tuple[Style, Style]] = field(default_factory=dict)

    def code(self, colour: str) -> tuple[Style, Style]:
        """(text tint, margin stripe) styles for a code colour."""
        if colour not in self._codes:
            tint = self.background.blend(Color.parse(colour), CODE_TINT)
            text = tint.get_contrast_text(0.95)
            self._codes[colour] = (
                Style(bgcolor=tint.rich_color, color=text.rich_color),
                Style(color=Color.parse(colour).rich_color, bold=True),
            )
        return self._codes[colour]


Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class SuggestionMarks:
    """The suggestion layer on one line: spans of text, clipped to the line."""

    passages: tuple[Span, ...] = ()
    triggers: tuple[Span, ...] = ()


@dataclass(frozen=True)
class SuggestionLayer:
    """Suggested passages and the words that triggered them, as transcript offsets."""

    passages: tuple[Span, ...] = ()
    triggers: tuple[Span, ...] = ()

    def by_row(self, layout: TextLayout) -> dict[int, SuggestionMarks]:
        """The marks of each visual line that has any (proportional to the lines marked)."""
        found: dict[int, tuple[list[Span], list[Span]]] = {}
        for kind, spans in ((0, self.passages), (1, self.triggers)):
            for start, end in spans:
                for i in layout.rows_between(start, end):
                    row = layout.text_rows[i]
                    line = layout.lines[row]
                    if line.start < end and start < line.end:
                        clipped = (max(start, line.start), min(end, line.end))
                        found.setdefault(row, ([], []))[kind].append(clipped)
        return {
            row: SuggestionMarks(tuple(passages), tuple(triggers))
            for row, (passages, triggers) in found.items()
        }


def _inside(point: int, spans: Sequence[Span]) -> bool:
    return any(a <= point < b for a, b in spans)


SMALL_VIEW = 50
"""View widths below which the gutter shrinks to leave the text more room."""

ROLE_WIDTH = (10, 22)
"""How much of a role the gutter shows on one line: at least, and when the text has room."""

ROOMY_TEXT = 52
"""Text widths that still leave room when the gutter widens to show roles in full."""


@dataclass
class Geometry:
    """Column widths of a line: gutter | text | margin."""

    gutter: int
    text: int
    margin: int

    @classmethod
    def fit(cls, total: int, transcript: Transcript) -> Geometry:
        """Widths for a view `total` cells wide: the gutter shows speakers' labels and, when
        the text keeps ROOMY_TEXT cells, their roles in full (else the roles wrap or are cut)."""
        room = 22 if total >= 110 else 16 if total >= 90 else 12 if total >= 64 else 0
        margin = MAX_LANES + 1 + room
        labels = [len(t.speaker or "") for t in transcript.turns]
        roles = [len(i.role) for i in transcript.informants.values()]
        least, most = ROLE_WIDTH
        gutter = max([4, *labels, *[min(r, most) for r in roles]]) + 3
        if total - gutter - margin - 1 < ROOMY_TEXT:
            gutter = min(14, max([4, *labels, *[min(r, least) for r in roles]])) + 3
        if total < SMALL_VIEW:
            gutter = min(gutter, 7)  # the speaker's label, shortened: the text comes first
        text = max(8, total - gutter - margin - 1)
        return cls(gutter, text, margin)


def role_lines(role: str, width: int) -> list[str]:
    """A role on the gutter's lines below the label: wrapped at spaces (`Nærmeste` / `leder`),
    a word longer than the gutter cut with `…`."""
    lines: list[str] = []
    for word in role.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word if len(word) <= width else word[: width - 1] + "…")
    return lines


class Painter:
    """Turns visual lines into Strips for one transcript, palette and geometry."""

    def __init__(
        self,
        transcript: Transcript,
        codebook: Codebook,
        language: str | None,
        palette: Palette,
        geometry: Geometry,
    ) -> None:
        self.transcript = transcript
        self.codebook = codebook
        self.language = language
        self.palette = palette
        self.geometry = geometry

    def blank(self) -> Strip:
        width = self.geometry.gutter + self.geometry.text + 1 + self.geometry.margin
        return Strip.blank(width, self.palette.base)

    def paint(
        self,
        line: VisualLine,
        row: int,
        deco: Decorations,
        selection: tuple[int, int] | None,
        cursor: int | None,
        matches: list[tuple[int, int]],
        current: str | None,
        marks: SuggestionMarks | None = None,
    ) -> Strip:
        """The Strip for one line (selection, cursor, matches and marks already clipped to it)."""
        if line.kind == HIDDEN:
            return self._hidden(line)
        if line.kind != TEXT:
            return self.blank()
        turn = self.transcript.turns[line.turn]
        parts = [
            self._gutter(line, turn.is_interviewer),
            self._text(line, deco.on_row(row), selection, cursor, matches, turn.is_interviewer,
                       marks),
            Strip([Segment(" ", self.palette.base)], 1),
            self._margin(line, deco, row, current),
        ]
        return Strip.join(parts)

    def _hidden(self, line: VisualLine) -> Strip:
        turns = "turn" if line.hidden == 1 else "turns"
        note = f"··· {line.hidden} {turns} hidden by the filter ···"
        width = self.geometry.gutter + self.geometry.text + 1 + self.geometry.margin
        pad = max(0, (self.geometry.text - len(note)) // 2) + self.geometry.gutter
        return Strip([Segment(" " * pad, self.palette.base), Segment(note, self.palette.hidden)]).crop_extend(
            0, width, self.palette.base
        )

    def _gutter(self, line: VisualLine, interviewer: bool) -> Strip:
        width = self.geometry.gutter
        turn = self.transcript.turns[line.turn]
        inner = width - 3
        if line.row_in_turn == 0 and turn.speaker:
            text, style = turn.speaker[:inner], (
                self.palette.interviewer_label if interviewer else self.palette.label
            )
        elif line.row_in_turn >= 1 and not interviewer:
            informant = self.transcript.informant_at(turn.start)
            pieces = role_lines(informant.role if informant else "", inner)
            text = pieces[line.row_in_turn - 1] if line.row_in_turn <= len(pieces) else ""
            style = self.palette.role
        else:
            text, style = "", self.palette.base
        bar = " " if interviewer else "▎"
        return Strip(
            [
                Segment(" " + text.ljust(inner), style),
                Segment(bar, self.palette.turn_bar),
                Segment(" ", self.palette.base),
            ],
            width,
        )

    def _text(
        self,
        line: VisualLine,
        codings: list[Coding],
        selection: tuple[int, int] | None,
        cursor: int | None,
        matches: list[tuple[int, int]],
        interviewer: bool,
        marks: SuggestionMarks | None = None,
    ) -> Strip:
        text = self.transcript.text
        start, end = line.start, line.end
        suggested, triggers = (marks.passages, marks.triggers) if marks else ((), ())
        cuts = {start, end}
        for coding in codings:
            cuts.update(p for p in (coding.start, coding.end) if start < p < end)
        for a, b in [*matches, *suggested, *triggers, *([selection] if selection else [])]:
            cuts.update(p for p in (a, b) if start < p < end)
        if cursor is not None and start <= cursor < end:
            cuts.update((cursor, cursor + 1))
        points = sorted(p for p in cuts if start <= p <= end)
        base = self.palette.interviewer if interviewer else self.palette.base
        segments: list[Segment] = []
        for a, b in pairwise(points):
            style = base
            if suggested and _inside(a, suggested):
                style = style + self.palette.suggestion
            covering = [c for c in codings if c.start <= a < c.end]
            if covering:
                inner = min(covering, key=lambda c: (c.end - c.start, c.code))
                code = self.codebook.get(inner.code)
                style = style + self.palette.code(code.colour if code else "#888888")[0]
                if len(covering) > 1:
                    style = style + Style(underline=True)
            if triggers and _inside(a, triggers):
                style = style + self.palette.trigger
            if any(m0 <= a < m1 for m0, m1 in matches):
                style = style + self.palette.match
            if selection and selection[0] <= a < selection[1]:
                style = style + self.palette.selection
            if cursor == a:
                style = style + self.palette.cursor
            segments.append(Segment(text[a:b].replace("\t", " "), style))
        if cursor is not None and cursor >= end:
            segments.append(Segment(" ", base + self.palette.cursor))
        return Strip(segments).crop_extend(0, self.geometry.text, self.palette.base)

    def _margin(self, line: VisualLine, deco: Decorations, row: int, current: str | None) -> Strip:
        width = self.geometry.margin
        lanes: list[Segment | None] = [None] * MAX_LANES
        starting: list[Coding] = []
        for coding in deco.on_row(row):
            code = self.codebook.get(coding.code)
            stripe = self.palette.code(code.colour if code else "#888888")[1]
            first = coding.start >= line.start
            last = coding.end <= line.end or (line.start == line.end and coding.end <= line.end + 1)
            char = "▪" if first and last else "╻" if first else "╹" if last else "┃"
            lane = min(deco.lanes.get(coding.id, 0), MAX_LANES - 1)
            if lane == MAX_LANES - 1 and lanes[lane] is not None:
                char = "+"
            if coding.id == current:
                stripe = stripe + Style(reverse=True)
            lanes[lane] = Segment(char, stripe)
            if first:
                starting.append(coding)
        segments = [seg or Segment(" ", self.palette.base) for seg in lanes]
        segments.append(Segment(" ", self.palette.base))
        room = width - MAX_LANES - 1
        if starting and room > 0:
            starting.sort(key=lambda c: (c.id != current, deco.lanes.get(c.id, 0)))
            first_coding = starting[0]
            code = self.codebook.get(first_coding.code)
            label = code.label(self.language) if code else first_coding.code
            more = f" +{len(starting) - 1}" if len(starting) > 1 else ""
            label = label[: max(1, room - len(more))]
            tint = self.palette.code(code.colour if code else "#888888")[0]
            if first_coding.id == current:
                tint = tint + Style(bold=True, underline=True)
            segments.append(Segment(label, tint))
            if more:
                segments.append(Segment(more, self.palette.role))
        return Strip(segments).crop_extend(0, width, self.palette.base)
