"""What a suggestion is: a code for a passage, its score, and the words that triggered it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, NamedTuple


class Trigger(NamedTuple):
    """A word or phrase in the text that speaks for the code: text[start:end] == word."""

    start: int
    end: int
    word: str


NEGATIVE = "negative keyword"
MIN_OVERLAP = 0.5
"""A coding counts for a passage when this share of the passage or of the coding overlaps."""


def covers(span: tuple[int, int], coding: tuple[int, int]) -> bool:
    """Whether a coding counts for a passage (half of either lies in the other)."""
    overlap = min(span[1], coding[1]) - max(span[0], coding[0])
    if overlap <= 0:
        return False
    shorter = min(span[1] - span[0], coding[1] - coding[0])
    return overlap >= MIN_OVERLAP * shorter


@dataclass(frozen=True)
class Reason:
    """Why a trigger counts (which keyword it matched and how, or that it was learned), or why
    a negative keyword of the code in the passage counts against it."""

    word: str
    keyword: str
    """The codebook keyword (or, for learned words, the lemma)."""
    how: str
    """`keyword`, `inflected form`, `in a compound`, `spelling close to`, `phrase`, `learned`,
    or `negative keyword`."""
    weight: float
    """What it adds to the code's score (logistic units); for a negative keyword, minus what
    its sentence would otherwise have added."""

    def describe(self) -> str:
        weight = f"{self.weight:+.1f}".replace("-", "−")
        if self.how == "learned":
            return f"{self.word} (learned, {weight})"
        if self.how == NEGATIVE:
            named = self.word if self.word.lower() == self.keyword.lower() else (
                f"{self.word} → {self.keyword}"
            )
            taken = f", {weight}" if abs(self.weight) >= 0.05 else ""
            return f"{named} ({NEGATIVE}: its sentence does not count{taken})"
        if self.how in ("keyword", "phrase") and self.word.lower() == self.keyword.lower():
            return f"{self.word} ({weight})"
        return f"{self.word} → {self.keyword} ({self.how}, {weight})"


Explanation = Callable[[int], tuple[list[Trigger], list[Reason]]]
"""Works out a suggestion's triggers and reasons when they are first asked for, given the
number the suggestion was made with (one explanation serves many suggestions)."""


class Suggestion:
    """A code suggested for transcript text [start, end).

    Read-only, compared and shown like a frozen dataclass of `code`, `start`, `end`, `score`,
    `triggers`, `reasons` and `transcript`. The suggester does not work out `triggers` and
    `reasons` while listing suggestions; each suggestion does so the first time either is read
    (and keeps the result), so listing thousands of suggestions does not pay for explanations
    nobody looks at.
    """

    __slots__ = (
        "_code",
        "_end",
        "_explain",
        "_key",
        "_reasons",
        "_score",
        "_start",
        "_transcript",
        "_triggers",
    )
    __match_args__ = ("code", "start", "end", "score", "triggers", "reasons", "transcript")

    code = property(attrgetter("_code"), doc="The id of the suggested code.")
    start = property(attrgetter("_start"), doc="Where the passage starts in the text.")
    end = property(attrgetter("_end"), doc="Where the passage ends in the text.")
    score = property(
        attrgetter("_score"), doc="0 to 1: the model's estimate that the passage has the code."
    )
    transcript = property(attrgetter("_transcript"), doc="The transcript's id (None for text).")

    def __init__(
        self,
        code: str,
        start: int,
        end: int,
        score: float,
        triggers: list[Trigger] | None = None,
        reasons: list[Reason] | None = None,
        transcript: str | None = None,
        *,
        explain: Explanation | None = None,
        key: int = 0,
    ) -> None:
        self._code = code
        self._start = start
        self._end = end
        self._score = score
        self._transcript = transcript
        self._explain = explain if triggers is None and reasons is None else None
        self._key = key
        self._triggers = triggers if triggers is not None or explain is not None else []
        self._reasons = reasons if reasons is not None or explain is not None else []

    def _explained(self) -> None:
        explain, self._explain = self._explain, None
        triggers, reasons = explain(self._key) if explain is not None else ([], [])
        if self._triggers is None:
            self._triggers = triggers
        if self._reasons is None:
            self._reasons = reasons

    @property
    def triggers(self) -> list[Trigger]:
        """The words that speak for the code, in text order."""
        if self._triggers is None:
            self._explained()
        return self._triggers

    @property
    def reasons(self) -> list[Reason]:
        """Why each trigger counts."""
        if self._reasons is None:
            self._explained()
        return self._reasons

    def _fields(self) -> tuple:
        return (
            self.code,
            self.start,
            self.end,
            self.score,
            self.triggers,
            self.reasons,
            self.transcript,
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((self.code, self.start, self.end, self.score, self.transcript))

    def __repr__(self) -> str:
        return (
            f"Suggestion(code={self.code!r}, start={self.start!r}, end={self.end!r}, "
            f"score={self.score!r}, triggers={self.triggers!r}, reasons={self.reasons!r}, "
            f"transcript={self.transcript!r})"
        )

    def __reduce__(self):
        return (self.__class__, self._fields())

    def to_dict(self) -> dict[str, Any]:
        return {
            "transcript": self.transcript,
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "triggers": [list(t) for t in self.triggers],
            "reasons": [
                {"word": r.word, "keyword": r.keyword, "how": r.how, "weight": round(r.weight, 3)}
                for r in self.reasons
            ],
        }


def already_coded(suggestion: Suggestion, codings: Iterable) -> bool:
    """Whether one of a coder's `codings` (with `code`, `start`, `end`) gives the suggested code
    to the suggested passage, counted as learning counts it (see `covers`)."""
    span = (suggestion.start, suggestion.end)
    return any(c.code == suggestion.code and covers(span, (c.start, c.end)) for c in codings)


def not_yet_coded(
    suggestions: Sequence[Suggestion], codings: Iterable
) -> tuple[list[Suggestion], list[Suggestion]]:
    """The suggestions the coder has not yet followed, and those already coded."""
    codings = list(codings)
    fresh: list[Suggestion] = []
    coded: list[Suggestion] = []
    for suggestion in suggestions:
        (coded if already_coded(suggestion, codings) else fresh).append(suggestion)
    return fresh, coded
