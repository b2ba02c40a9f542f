"""Selecting text in the transcript with the mouse: click, drag, shift+click, double click.

A mixin for `TranscriptView`, kept apart so the view's drawing code stays short. It relies on
the view's `text_layout`, `cursor`, `mark`, `navigator` and cursor methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from qualcode.tui.widgets.transcript_view import TranscriptView as _View
else:
    _View = object


class MouseSelection(_View):
    """Mouse handlers that move the cursor and the selection of a transcript view."""

    _dragging = False

    def _offset_at(self, x: int, y: int) -> int | None:
        """The text offset under a point of the widget (None before the text is laid out).

        The layout is made again first if needed: taking the focus changes the view's style,
        which drops its painter, and the click that gave the focus must still count.
        """
        layout = self._ensure_layout()
        if layout is None or self._geometry is None:
            return None
        geometry = self._geometry[1]
        row = y + int(self.scroll_offset.y)
        column = max(0, min(x - geometry.gutter, geometry.text))
        return layout.offset_at(row, column)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        offset = self._offset_at(event.x, event.y)
        if offset is None:
            return
        self.focus()
        self._dragging = True
        self.capture_mouse()
        self._place(offset, extend=event.shift)
        if not event.shift:
            self.mark = offset

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            offset = self._offset_at(event.x, event.y)
            if offset is not None and offset != self.cursor:
                self.cursor = offset
                self.scroll_to_cursor()
                self.refresh()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()
            if self.mark == self.cursor:
                self.mark = None
            self.refresh()
            self._moved()

    def on_click(self, event: events.Click) -> None:
        if event.chain == 2 and self.navigator is not None:
            span = self.navigator.span_at(self.cursor, "word")
            if span is not None:
                self.select(span.start, span.end)
