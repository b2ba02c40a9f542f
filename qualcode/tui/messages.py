"""Messages the app sends its screens."""

from __future__ import annotations

from textual.message import Message

from qualcode.errors import QualcodeError


class StudyOpened(Message):
    """The study finished loading (posted from a worker thread)."""

    def __init__(self, study, transcript=None) -> None:  # Study, Transcript | None
        super().__init__()
        self.study = study
        self.transcript = transcript
        """The transcript asked for at start, already read."""


class StudyFailed(Message):
    """The study could not be opened (posted from a worker thread)."""

    def __init__(self, error: QualcodeError) -> None:
        super().__init__()
        self.error = error


class CodingsChanged(Message):
    """The coder's codings changed outside the current screen's own actions.

    `origin` is `undo`, `redo` or `elsewhere` (another window wrote to the file).
    """

    def __init__(self, origin: str) -> None:
        super().__init__()
        self.origin = origin


class SuggestionsReady(Message):
    """Code suggestions were worked out (posted from a worker thread).

    `span` is None for every passage of the transcript, else the selection they are for.
    """

    def __init__(self, transcript: str, suggestions: list, span: tuple[int, int] | None = None,
                 basis: str = "") -> None:  # list[Suggestion]
        super().__init__()
        self.transcript = transcript
        self.suggestions = suggestions
        self.span = span
        self.basis = basis
        """What the suggestions rest on, in a few words (keywords alone, or learned codes)."""
