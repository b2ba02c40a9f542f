"""Suggested codes on the coding screen: what is suggested where, and the panel that shows it.

`SuggestionBook` holds the open transcript's suggestions and what the coder did with them
(plain Python, no widgets): the coding screen fills it from its workers and the store, and the
panel and the transcript view show it. `SuggestionsPanel` is a side panel listing the codes
suggested for the passage under the cursor, or for the selection, best first:

```
Suggested codes
▸ ● Geografisk distanse     0.88
    avstand, reisevei
  ● Rekruttering            0.51
    folk
a accept · d reject · ' next
```
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from qualcode.store.coder_store import Coding
from qualcode.tui.widgets.memo_panel import PassageContext
from qualcode.tui.widgets.transcript_paint import SuggestionLayer

if TYPE_CHECKING:  # importing qualcode.suggest loads numpy and scipy: the workers do that
    from qualcode.suggest import Suggestion

Span = tuple[int, int]

LEARNING, READING, READY, FAILED = "learning", "reading", "ready", "failed"


def already_coded(suggestion: Suggestion, codings: Sequence[Coding]) -> bool:
    """Whether a coding of the suggested code covers the passage.

    As when learning: a coding covering at least half of the passage, or lying at least half
    in it, counts. `codings` are the coder's codings of the suggested code.
    """
    length = suggestion.end - suggestion.start
    for coding in codings:
        overlap = min(coding.end, suggestion.end) - max(coding.start, suggestion.start)
        if overlap > 0 and (2 * overlap >= length or 2 * overlap >= coding.end - coding.start):
            return True
    return False


def trigger_words(suggestion: Suggestion) -> list[str]:
    """The words that triggered a suggestion, in text order, each once."""
    seen: dict[str, str] = {}
    for trigger in suggestion.triggers:
        seen.setdefault(trigger.word.lower(), trigger.word)
    return list(seen.values())


@dataclass(frozen=True)
class Here:
    """The suggestions where the coder is."""

    where: str | None
    """`passage`, `selection`, or None (the cursor is in no suggested passage)."""
    span: Span | None
    suggestions: list[Suggestion] | None
    """Best first; None while the selection's suggestions are still being worked out."""
    hidden: int = 0
    """Suggestions here that are not shown (rejected, or coded already)."""


class SuggestionBook:
    """The open transcript's suggestions, what the coder did with them, and where the coder is.

    Suggestions the coder rejected, or whose code already covers the passage, are not shown.
    `version` changes whenever anything shown changes; `marks_version` only when what the
    transcript view marks may have changed (not when the coder moves).
    """

    def __init__(self) -> None:
        self.transcript: str | None = None
        self.state = LEARNING
        """`learning` or `reading` (nothing to show yet), `ready` or `failed`."""
        self.busy = False
        """A worker is making suggestions (for the first time, or after learning again)."""
        self.problem = ""
        self.marks = True
        """Whether the transcript view marks the suggestions (for the panel's hint)."""
        self.version = 0
        self.marks_version = 0
        self._passages: dict[Span, list[Suggestion]] = {}
        self._starts: list[int] = []
        self._spans: list[Span] = []
        self._rejected: set[tuple[int, int, str]] = set()
        self.basis = ""
        """What the suggestions rest on, e.g. `from the codebook's keywords (too little coded
        to learn from yet)`; shown under the panel's title."""
        self._codings: Sequence[Coding] = ()
        self._coded: dict[str, list[Coding]] = {}
        self._cursor = 0
        self._selection: Span | None = None
        self._for_selection: list[Suggestion] | None = None
        self._highlight: tuple[tuple[str, Span] | None, int] = (None, 0)
        self._layer: tuple[int, SuggestionLayer] | None = None

    def _changed(self, marks: bool = False) -> None:
        self.version += 1
        if marks:
            self.marks_version += 1

    # -- filling -------------------------------------------------------------------------------

    def start(self, transcript: str, rejected: set[tuple[int, int, str]], learning: bool) -> None:
        """A transcript opened: no suggestions yet; `rejected` are (start, end, code) to hide.

        `learning`: the suggester has yet to be made, or to learn again, before it suggests.
        """
        self.transcript = transcript
        self.state = LEARNING if learning else READING
        self.busy = True
        self._rejected = set(rejected)
        self._fill([])

    def fill(self, suggestions: Sequence[Suggestion], basis: str = "") -> None:
        """The transcript's suggestions, in text order, and what they rest on."""
        self.state, self.busy = READY, False
        self.basis = basis
        self._fill(suggestions)

    def _fill(self, suggestions: Sequence[Suggestion]) -> None:
        passages: dict[Span, list[Suggestion]] = {}
        for suggestion in suggestions:
            passages.setdefault((suggestion.start, suggestion.end), []).append(suggestion)
        for found in passages.values():
            found.sort(key=lambda s: -s.score)
        self._passages = passages
        self._spans = sorted(passages)
        self._starts = [start for start, _ in self._spans]
        self._changed(marks=True)

    def fill_selection(self, span: Span, suggestions: Sequence[Suggestion]) -> None:
        """Suggestions for a selected span (ignored if the selection has moved on)."""
        if span == self._selection:
            self._for_selection = sorted(suggestions, key=lambda s: -s.score)
            self._changed()

    def relearning(self) -> None:
        self.busy = True
        self._changed()

    def fail(self, problem: str) -> bool:
        """Suggestions cannot be made; True the first time (to report it once)."""
        first = self.state != FAILED
        self.state, self.busy, self.problem = FAILED, False, problem
        self._changed()
        return first

    def set_codings(self, codings: Sequence[Coding]) -> None:
        """The coder's codings of the transcript (suggestions they already cover are hidden)."""
        if codings is self._codings:
            return
        self._codings = codings
        self._coded = {}
        for coding in codings:
            self._coded.setdefault(coding.code, []).append(coding)
        self._changed(marks=True)

    def set_rejected(self, rejected: set[tuple[int, int, str]]) -> None:
        """The (start, end, code) the coder has rejected, read again after an undo or redo."""
        if rejected != self._rejected:
            self._rejected = set(rejected)
            self._changed(marks=True)

    def reject(self, suggestion: Suggestion) -> None:
        self._rejected.add((suggestion.start, suggestion.end, suggestion.code))
        self._changed(marks=True)

    def set_marks(self, shown: bool) -> None:
        if shown != self.marks:
            self.marks = shown
            self._changed()

    # -- where the coder is --------------------------------------------------------------------

    def place(self, cursor: int, selection: Span | None) -> bool:
        """Note the cursor and the (trimmed) selection; True when the selection is new."""
        before = self._key()
        self._cursor = cursor
        new_selection = selection != self._selection
        if new_selection:
            self._selection = selection
            self._for_selection = None
        if new_selection or self._key() != before:
            self._changed()
        return new_selection and selection is not None

    def passage_at(self, offset: int) -> Span | None:
        """The suggested passage containing `offset` (its end included)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset <= self._spans[i][1]:
            return self._spans[i]
        return None

    def _key(self) -> tuple[str, Span] | None:
        if self._selection is not None:
            return ("selection", self._selection)
        span = self.passage_at(self._cursor)
        return ("passage", span) if span is not None else None

    def visible(self, suggestion: Suggestion) -> bool:
        """Not rejected, and not already coded with its code."""
        if (suggestion.start, suggestion.end, suggestion.code) in self._rejected:
            return False
        return not already_coded(suggestion, self._coded.get(suggestion.code, ()))

    def here(self) -> Here:
        key = self._key()
        if key is None:
            return Here(None, None, [])
        where, span = key
        found = self._for_selection if where == "selection" else self._passages.get(span, [])
        if found is None:
            return Here(where, span, None)
        shown = [s for s in found if self.visible(s)]
        return Here(where, span, shown, len(found) - len(shown))

    def highlighted(self) -> Suggestion | None:
        """The suggestion the accept and reject keys act on (the best, unless moved)."""
        here = self.here()
        if not here.suggestions:
            return None
        key, index = self._highlight
        index = index if key == self._key() else 0
        return here.suggestions[min(index, len(here.suggestions) - 1)]

    def cycle(self) -> None:
        """Highlight the next suggestion here (back to the best after the last)."""
        here = self.here()
        if here.suggestions and len(here.suggestions) > 1:
            current = self.highlighted()
            index = here.suggestions.index(current) if current in here.suggestions else 0
            self._highlight = (self._key(), (index + 1) % len(here.suggestions))
            self._changed()

    def next_passage(self, offset: int, forward: bool) -> int | None:
        """The start of the next (or previous) passage with a suggestion shown."""
        spans = [span for span in self._spans if any(map(self.visible, self._passages[span]))]
        if forward:
            after = [start for start, _ in spans if start > offset]
            return after[0] if after else None
        before = [start for start, _ in spans if start < offset]
        return before[-1] if before else None

    def layer(self) -> SuggestionLayer:
        """The passages with a suggestion shown and their triggering words, for the view."""
        if self._layer is None or self._layer[0] != self.marks_version:
            passages: list[Span] = []
            triggers: dict[Span, None] = {}
            for span in self._spans:
                shown = [s for s in self._passages[span] if self.visible(s)]
                if shown:
                    passages.append(span)
                    for suggestion in shown:
                        triggers.update(((t.start, t.end), None) for t in suggestion.triggers)
            layer = SuggestionLayer(tuple(passages), tuple(sorted(triggers)))
            self._layer = (self.marks_version, layer)
        return self._layer[1]


class SuggestionsPanel(Static):
    """Lists the codes suggested where the coder is, with their scores and triggering words."""

    DEFAULT_CSS = """
    SuggestionsPanel { height: auto; max-height: 60%; }
    """

    def __init__(self) -> None:
        super().__init__("", id="suggestions")
        self.book: SuggestionBook | None = None
        self._where: PassageContext | None = None
        self._drawn: tuple | None = None

    def show_suggestions(self, book: SuggestionBook) -> None:
        """The suggestions to show (the screen calls this when they change)."""
        self.book = book
        self._refresh_content()

    def show_context(self, context: PassageContext) -> None:
        self._where = context
        self._refresh_content()

    def _refresh_content(self) -> None:
        book, context = self.book, self._where
        if book is None or context is None:
            return
        turn = context.transcript.turn_at(context.cursor)
        interviewer = turn is not None and turn.is_interviewer
        shown = (id(book), book.version, interviewer, context.language)
        if shown == self._drawn:
            return  # nothing new: spare the screen a layout pass
        self._drawn = shown
        self.update(self._content(book, context, interviewer))

    def _content(self, book: SuggestionBook, context: PassageContext, interviewer: bool
                 ) -> RenderableType:
        here = book.here()
        title = Text("Suggested for the selection" if here.where == "selection"
                     else "Suggested codes", style="bold")
        if book.busy and book.state == READY:
            title.append(" · learning…", style="dim")
        if book.basis and book.state == READY:
            title = Text.assemble(title, "\n", Text(book.basis, style="dim italic"))
        if book.state == FAILED:
            return Group(title, Text(f"Not available: {book.problem}", style="italic"))
        if book.state == LEARNING:
            return Group(title, Text("learning…", style="dim"))
        if book.state == READING:
            return Group(title, Text("reading the transcript…", style="dim"))
        if here.suggestions is None:
            return Group(title, Text("reading the selection…", style="dim"))
        if not here.suggestions:
            if here.hidden:
                note = "Nothing more to suggest here."
            elif here.where == "selection":
                note = "None."
            elif interviewer:
                note = "None for the interviewer's questions."
            else:
                note = "None for this passage."
            return Group(title, Text(note, style="dim"), self._hints(book, 0))
        highlighted = book.highlighted()
        rows: list[RenderableType] = [title]
        for suggestion in here.suggestions:
            code = context.codebook.get(suggestion.code)
            label = code.label(context.language) if code else suggestion.code
            marker = Text("▸ " if suggestion is highlighted else "  ", style="bold")
            marker.append("●", style=code.colour if code else "")
            line = Table.grid(padding=(0, 1), expand=True)
            line.add_column(width=3, no_wrap=True)
            line.add_column(ratio=1)
            line.add_column(justify="right", no_wrap=True)
            chosen = "bold" if suggestion is highlighted else ""
            line.add_row(marker, Text(label, style=chosen, no_wrap=True, overflow="ellipsis"),
                         Text(f"{suggestion.score:.2f}"))
            rows.append(line)
            words = trigger_words(suggestion)
            if words:
                rows.append(Padding(Text(", ".join(words), style="italic"), (0, 0, 0, 4)))
        rows.append(self._hints(book, len(here.suggestions)))
        return Group(*rows)

    def _hints(self, book: SuggestionBook, count: int) -> Text:
        hints = []
        if count:
            hints.append("a accept · d reject" + (" · ' next" if count > 1 else ""))
        hints.append("g next passage · h " + ("hide" if book.marks else "show") + " marks")
        return Text("\n".join(hints), style="dim")
