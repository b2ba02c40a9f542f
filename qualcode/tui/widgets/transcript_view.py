"""The transcript, drawn line by line: only what is on screen is ever rendered.

A `ScrollView` using Textual's Line API. The transcript is wrapped once per width into visual
lines (`layout.TextLayout`), codings are arranged per line (`decorations.decorate`), and
`render_line` paints a line on demand into a Strip kept in an LRU cache, keyed by everything
the line's look depends on. Moving the cursor or applying a code repaints only the lines that
change. A 20,000-word transcript costs the same to show as a short one. Suggestions, when
shown, are an extra layer (`set_suggestions`): changing it repaints only the lines it marks.

The view owns the cursor and the selection (text offsets) and tells its screen when they
move; it never talks to the store.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qualcode.store.coder_store import Coding
from qualcode.study.codebook import Codebook
from qualcode.study.navigation import Navigator
from qualcode.study.transcript import Transcript
from qualcode.tui.widgets.decorations import Decorations, decorate
from qualcode.tui.widgets.layout import TextLayout
from qualcode.tui.widgets.transcript_mouse import MouseSelection
from qualcode.tui.widgets.transcript_paint import (
    Geometry,
    Painter,
    Palette,
    SuggestionLayer,
    SuggestionMarks,
)


class TranscriptView(MouseSelection, ScrollView, can_focus=True):
    """A transcript with its codings, a cursor and a selection."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "transcript-view--label",
        "transcript-view--interviewer-label",
        "transcript-view--interviewer",
        "transcript-view--role",
        "transcript-view--turn-bar",
        "transcript-view--selection",
        "transcript-view--cursor",
        "transcript-view--match",
        "transcript-view--hidden",
        "transcript-view--suggestion",
        "transcript-view--trigger",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move('char', False)", "Cursor a character left", show=False),
        Binding("right", "move('char', True)", "Cursor a character right", show=False),
        Binding("up", "line(-1)", "Cursor a line up", show=False),
        Binding("down", "line(1)", "Cursor a line down", show=False),
        Binding("ctrl+left", "move('word', False)", "Previous word", show=False),
        Binding("ctrl+right", "move('word', True)", "Next word", show=False),
        Binding("left_parenthesis", "move('sentence', False)", "Previous sentence", show=False),
        Binding("right_parenthesis", "move('sentence', True)", "Next sentence", show=False),
        Binding("left_curly_bracket", "move('turn', False)", "Previous turn", show=False),
        Binding("right_curly_bracket", "move('turn', True)", "Next turn", show=False),
        Binding("home", "line_edge(False)", "Cursor to the start of the line", show=False),
        Binding("end", "line_edge(True)", "Cursor to the end of the line", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("ctrl+home", "edge(False)", "Cursor to the start of the transcript", show=False),
        Binding("ctrl+end", "edge(True)", "Cursor to the end of the transcript", show=False),
        Binding("shift+left", "extend('char', False)", "Select a character back", show=False),
        Binding("shift+right", "extend('char', True)", "Select a character on", show=False),
        Binding("shift+up", "extend_line(-1)", "Select a line up", show=False),
        Binding("shift+down", "extend_line(1)", "Select a line down", show=False),
        Binding("w,ctrl+shift+right", "extend('word', True)", "Select", key_display="w s t",
                tooltip="Select the word (s: sentence, t: turn, p: paragraph); again: one more"),
        Binding("W,ctrl+shift+left", "extend('word', False)", "Select a word back", show=False),
        Binding("s", "extend('sentence', True)", "Select the sentence (again: one more)", show=False),
        Binding("S", "extend('sentence', False)", "Select a sentence back", show=False),
        Binding("p", "extend('paragraph', True)", "Select the paragraph (again: one more)", show=False),
        Binding("P", "extend('paragraph', False)", "Select a paragraph back", show=False),
        Binding("t", "extend('turn', True)", "Select the turn (again: one more)", show=False),
        Binding("T", "extend('turn', False)", "Select a turn back", show=False),
        Binding("o", "swap_ends", "Move the other end of the selection", show=False),
        Binding("escape", "clear_selection", "Unselect (the cursor stays)", show=False),
    ]

    class Moved(Message):
        """The cursor or the selection changed."""

        def __init__(self, view: TranscriptView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> TranscriptView:
            return self.view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.transcript: Transcript | None = None
        self.codebook: Codebook | None = None
        self.language: str | None = None
        self.navigator: Navigator | None = None
        self.codings: list[Coding] = []
        """Every coding of this transcript by the coder (filtered or not)."""
        self.code_filter: set[str] | None = None
        """Only codings of these codes are drawn (None: all)."""
        self.visible_turns: set[int] | None = None
        self.matches: list[tuple[int, int]] = []
        self.current: str | None = None
        """Id of the coding the coder is working on (drawn highlighted in the margin)."""
        self.cursor = 0
        """Text offset of the cursor."""
        self.mark: int | None = None
        """Where the selection started; the selection runs from here to the cursor."""
        self.text_layout: TextLayout | None = None
        self.suggestion_layer: SuggestionLayer | None = None
        """Suggested passages and their triggering words to mark (None: no marks)."""
        self._marks: dict[int, SuggestionMarks] = {}
        self._decorations = Decorations()
        self._painter: Painter | None = None
        self._geometry: tuple[int, Geometry] | None = None
        self._version = 0
        self._cache: LRUCache[tuple, Strip] = LRUCache(4096)
        self._column: int | None = None
        self._dragging = False
        self.painted_version = -1
        """The decoration version last drawn (lets tests and benchmarks wait for a paint)."""
        self.first_paint: float | None = None
        """`time.perf_counter()` when transcript text was first drawn."""

    # -- loading -------------------------------------------------------------------------------

    def show(self, transcript: Transcript, codings: Sequence[Coding], codebook: Codebook,
             language: str | None = None) -> None:
        """Show a transcript with the coder's codings of it."""
        self.transcript = transcript
        self.codebook = codebook
        self.language = language or transcript.language
        self.navigator = Navigator(transcript)
        self._geometry = None
        self.codings = list(codings)
        self.cursor = transcript.turns[0].start if transcript.turns else 0
        self.mark = None
        self._relayout()

    def set_codings(self, codings: Sequence[Coding]) -> None:
        self.codings = list(codings)
        self._redecorate()

    def set_filter(self, visible_turns: set[int] | None, code_filter: set[str] | None) -> None:
        """Show only some turns, and draw only codings of some codes."""
        self.visible_turns = visible_turns
        self.code_filter = code_filter
        self._relayout()
        if self.text_layout is not None:
            self.cursor = self.text_layout.clamp(self.cursor)
            if self.mark is not None and not self.text_layout.is_shown(self.mark):
                self.mark = None
        self.scroll_to_cursor(center=True)
        self._moved()

    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        self.matches = matches
        self._redecorate()

    def set_current(self, coding_id: str | None) -> None:
        if coding_id != self.current:
            self.current = coding_id
            self._redecorate()

    def set_suggestions(self, layer: SuggestionLayer | None) -> None:
        """Mark suggested passages and their triggering words (None: no marks).

        Only the lines whose marks change are repainted.
        """
        if layer == self.suggestion_layer:
            return
        self.suggestion_layer = layer
        before = self._marks
        self._place_marks()
        after = self._marks
        top = int(self.scroll_offset.y)
        bottom = top + self.scrollable_content_region.height
        for row in before.keys() | after.keys():
            if top <= row < bottom and before.get(row) != after.get(row):
                self.refresh_line(row)

    def _place_marks(self) -> None:
        layer, layout = self.suggestion_layer, self.text_layout
        self._marks = layer.by_row(layout) if layer is not None and layout is not None else {}

    @property
    def shown_codings(self) -> list[Coding]:
        if self.code_filter is None:
            return self.codings
        return [c for c in self.codings if c.code in self.code_filter]

    def _relayout(self) -> None:
        self.text_layout = None
        self._painter = None
        self._ensure_layout()
        self._redecorate()

    def _redecorate(self) -> None:
        if self.text_layout is not None:
            self._decorations = decorate(self.text_layout, self.shown_codings)
        self._version += 1
        self.refresh()

    def _ensure_layout(self) -> TextLayout | None:
        if self.transcript is None or self.codebook is None:
            return None
        total = self.scrollable_content_region.width
        if total <= 0:
            return None
        if self._geometry is None or self._geometry[0] != total:
            self._geometry = (total, Geometry.fit(total, self.transcript))
        geometry = self._geometry[1]
        if self.text_layout is None or self.text_layout.width != geometry.text:
            self.text_layout = TextLayout(self.transcript, geometry.text, self.visible_turns)
            self._decorations = decorate(self.text_layout, self.shown_codings)
            self._place_marks()
            self._painter = None
            self._version += 1
            self.virtual_size = Size(total, len(self.text_layout))
        if self._painter is None:
            self._painter = Painter(
                self.transcript, self.codebook, self.language, self._palette(), geometry
            )
            self._cache.clear()
        return self.text_layout

    def _palette(self) -> Palette:
        style = self.get_component_rich_style
        return Palette(
            base=self.rich_style,
            interviewer=style("transcript-view--interviewer"),
            label=style("transcript-view--label"),
            interviewer_label=style("transcript-view--interviewer-label"),
            role=style("transcript-view--role"),
            turn_bar=style("transcript-view--turn-bar"),
            selection=style("transcript-view--selection", partial=True),
            cursor=style("transcript-view--cursor", partial=True),
            match=style("transcript-view--match", partial=True),
            hidden=style("transcript-view--hidden"),
            background=self.background_colors[1],
            suggestion=self._faint("transcript-view--suggestion"),
            trigger=style("transcript-view--trigger", partial=True),
        )

    def _faint(self, component: str) -> Style:
        """A component's background, which may be translucent, laid over the view's own."""
        colour = self.get_component_styles(component).background
        return Style(bgcolor=(self.background_colors[1] + colour).rich_color)

    def on_resize(self, event: events.Resize) -> None:
        self._ensure_layout()
        self.scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._painter = None
        self._cache.clear()

    # -- drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        layout = self._ensure_layout()
        painter = self._painter
        width = self.scrollable_content_region.width
        if layout is None or painter is None:
            return Strip.blank(width, self.rich_style)
        row = y + int(self.scroll_offset.y)
        if row >= len(layout):
            return painter.blank()
        line = layout.lines[row]
        selection = cursor = None
        if line.kind == "text":
            sel = self.selection
            if sel and sel[0] < max(line.end, line.start + 1) and line.start < sel[1]:
                selection = (max(sel[0], line.start), min(sel[1], line.end))
            if layout.row_of(self.cursor) == row:
                cursor = self.cursor
        focused = self.has_focus
        here = self._decorations.on_row(row)
        lanes = self._decorations.lanes
        matches = [
            m for m in self.matches if line.kind == "text" and m[0] < line.end and line.start < m[1]
        ]
        current = self.current if any(c.id == self.current for c in here) else None
        marks = self._marks.get(row)
        # Everything the line's look depends on: unchanged lines come from the cache.
        key = (
            row,
            tuple((c.id, c.start, c.end, c.code, lanes.get(c.id)) for c in here),
            current,
            tuple(matches),
            selection,
            cursor if focused else None,
            marks,
        )
        strip = self._cache.get(key)
        if strip is None:
            strip = painter.paint(
                line, row, self._decorations, selection, cursor if focused else None, matches,
                current, marks,
            )
            self._cache[key] = strip
        if line.kind == "text" and self.first_paint is None:
            self.first_paint = time.perf_counter()
        self.painted_version = self._version
        return strip

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- cursor and selection ------------------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected span (start < end), or None."""
        if self.mark is None or self.mark == self.cursor:
            return None
        return min(self.mark, self.cursor), max(self.mark, self.cursor)

    def select(self, anchor: int | None, cursor: int, center: bool = False) -> None:
        """Set the selection (anchor None: just place the cursor)."""
        if self.text_layout is not None:
            cursor = self.text_layout.clamp(cursor)
        self.mark, self.cursor = anchor, cursor
        self._column = None
        self.scroll_to_cursor(center=center)
        self.refresh()
        self._moved()

    def _place(self, cursor: int, extend: bool) -> None:
        if extend:
            anchor = self.cursor if self.mark is None else self.mark
        else:
            anchor = None
        self.mark, self.cursor = anchor, cursor
        self.scroll_to_cursor()
        self.refresh()
        self._moved()

    def _moved(self) -> None:
        self.post_message(self.Moved(self))

    def scroll_to_cursor(self, center: bool = False) -> None:
        if self.text_layout is None:
            return
        row = self.text_layout.row_of(self.cursor)
        height = self.scrollable_content_region.height
        top = int(self.scroll_offset.y)
        if center and not top <= row < top + height - 1:
            self.scroll_to(y=max(0, row - height // 3), animate=False)
        elif row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("clear_selection", "swap_ends"):
            return self.mark is not None
        return True

    def action_move(self, unit: str, forward: bool) -> None:
        if self.text_layout is None or self.navigator is None:
            return
        self._column = None
        if unit == "char":
            target = self.text_layout.step(self.cursor, forward)
        elif forward:
            target = self.navigator.next_start(self.cursor, unit)
        else:
            target = self.navigator.previous_start(self.cursor, unit)
        if target is not None:
            self._place(self.text_layout.clamp(target), extend=False)

    def action_line(self, rows: int, extend: bool = False) -> None:
        if self.text_layout is None:
            return
        if self._column is None:
            self._column = self.text_layout.column(self.cursor)
        column = self._column
        target = self.text_layout.vertical(self.cursor, rows, column)
        self._place(target, extend=extend)
        self._column = column

    def action_page(self, direction: int) -> None:
        self.action_line(direction * max(1, self.scrollable_content_region.height - 2))

    def action_extend_line(self, rows: int) -> None:
        self.action_line(rows, extend=True)

    def action_line_edge(self, end: bool) -> None:
        if self.text_layout is not None:
            start, stop = self.text_layout.line_bounds(self.cursor)
            self._place(stop if end else start, extend=False)

    def action_edge(self, end: bool) -> None:
        if self.text_layout is not None:
            layout = self.text_layout
            self._place(layout.last_offset() if end else layout.first_offset(), extend=False)

    def action_extend(self, unit: str, forward: bool) -> None:
        if self.text_layout is None or self.navigator is None:
            return
        if unit == "char":
            self._place(self.text_layout.step(self.cursor, forward), extend=True)
            return
        anchor = self.cursor if self.mark is None else self.mark
        anchor, cursor = self.navigator.extend(anchor, self.cursor, unit, forward)
        self.select(anchor, cursor)

    def action_swap_ends(self) -> None:
        if self.mark is not None:
            self.select(self.cursor, self.mark)

    def action_clear_selection(self) -> None:
        self.select(None, self.cursor)
