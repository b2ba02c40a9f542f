"""Keeping codings on their passage when a transcript's text changes.

A coding remembers its quote and the fingerprint of the text it was made on. When the text has
changed, the quote is looked for again: first exactly, nearest to the old place; then fuzzily
(rapidfuzz) in a window around the old place and, failing that, in the whole text. A coding that
cannot be placed is reported as lost and kept as it is, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from qualcode.store.coder_store import Coding
from qualcode.study.transcript import Transcript

AnchorStatus = Literal["ok", "moved", "fuzzy", "lost"]
FUZZY_THRESHOLD = 85.0
"""Lowest rapidfuzz similarity (0–100) at which a changed quote still counts as found."""
_WINDOW = 2000


@dataclass(frozen=True)
class Anchor:
    """Where a coding belongs in the current text."""

    coding: Coding
    status: AnchorStatus
    start: int
    end: int
    score: float = 100.0

    @property
    def changed(self) -> bool:
        return self.status in ("moved", "fuzzy")


def anchor(coding: Coding, transcript: Transcript) -> Anchor:
    """Find where `coding` belongs in the transcript's current text."""
    text = transcript.text
    quote = coding.quote
    if text[coding.start : coding.end] == quote:
        return Anchor(coding, "ok", coding.start, coding.end)
    exact = _nearest_exact(text, quote, coding.start)
    if exact is not None:
        return Anchor(coding, "moved", exact, exact + len(quote))
    found = _fuzzy(text, quote, coding.start)
    if found is not None:
        start, end, score = found
        return Anchor(coding, "fuzzy", start, end, score)
    return Anchor(coding, "lost", coding.start, coding.end, 0.0)


def _nearest_exact(text: str, quote: str, near: int) -> int | None:
    best: int | None = None
    position = text.find(quote)
    while position != -1:
        if best is None or abs(position - near) < abs(best - near):
            best = position
        position = text.find(quote, position + 1)
    return best


def _fuzzy(text: str, quote: str, near: int) -> tuple[int, int, float] | None:
    if len(quote.strip()) < 4:
        return None
    lo = max(0, near - _WINDOW - len(quote))
    hi = min(len(text), near + _WINDOW + 2 * len(quote))
    for a, b in ((lo, hi), (0, len(text))):
        if b <= a:
            continue
        alignment = fuzz.partial_ratio_alignment(quote, text[a:b], score_cutoff=FUZZY_THRESHOLD)
        if alignment is not None and alignment.score >= FUZZY_THRESHOLD:
            start, end = a + alignment.dest_start, a + alignment.dest_end
            start, end = _refine(text, quote, start, end)
            if end > start:
                return start, end, float(alignment.score)
        if (a, b) == (0, len(text)):
            break
    return None


def _refine(text: str, quote: str, start: int, end: int, reach: int = 15) -> tuple[int, int]:
    """Move fuzzy boundaries to the word boundaries nearby that match the quote best.

    The alignment may cut a word in half or drop a short first word; trying the word starts and
    ends within `reach` characters and keeping the most similar span repairs that.
    """

    def boundaries(lo: int, hi: int, at_start: bool) -> list[int]:
        found = []
        for i in range(max(0, lo), min(len(text), hi) + 1):
            before_space = i == 0 or text[i - 1].isspace()
            after_space = i == len(text) or text[i].isspace()
            if (at_start and before_space and not after_space) or (
                not at_start and after_space and not before_space
            ):
                found.append(i)
        return found

    starts = boundaries(start - reach, start + reach, True) or [start]
    ends = boundaries(end - reach, end + reach, False) or [end]
    best = (fuzz.ratio(quote, text[start:end]), start, end)
    for s in starts:
        for e in ends:
            if e > s:
                score = fuzz.ratio(quote, text[s:e])
                if score > best[0]:
                    best = (score, s, e)
    return _trim(text, best[1], best[2])


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def anchor_all(codings: list[Coding], transcript: Transcript) -> list[Anchor]:
    """Anchor every coding of one transcript; codings made on this very text are `ok` at once."""
    out = []
    for coding in codings:
        if coding.text_hash == transcript.hash and coding.end <= len(transcript.text):
            out.append(Anchor(coding, "ok", coding.start, coding.end))
        else:
            out.append(anchor(coding, transcript))
    return out
