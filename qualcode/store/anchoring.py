"""Keeping codings on their passage when a transcript's text changes.

A coding remembers its quote and the fingerprint of the text it was made on. When the text has
changed, the quote is looked for again: first exactly, nearest to the old place; then fuzzily
(rapidfuzz) in a window around the old place and, failing that, in the whole text. A coding that
cannot be placed is reported as lost and kept as it is, never dropped.

Every analysis (agreement, disagreements, consensus, quote sheets, suggestions) reads codings
through `place_codings`, which uses the same `anchor_all` as `qualcode check`, so check and the
analyses always agree on where a coding is: codings made on the current text are used as they
are (no work at all when the text's fingerprint is unchanged), moved ones at their new place (in
memory only: `check --fix` stores it), and lost ones are left out and counted in a note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from rapidfuzz import fuzz

from qualcode.store.coder_store import Coding, Feedback
from qualcode.study.transcript import Transcript
from qualcode.wording import joined, plural, plural_form

AnchorStatus = Literal["ok", "moved", "fuzzy", "lost"]
FUZZY_THRESHOLD = 85.0
"""Lowest rapidfuzz similarity (0–100) at which a changed quote still counts as found."""
_WINDOW = 2000


@dataclass(frozen=True)
class Anchor:
    """Where a coding belongs in the current text."""

    coding: Coding | Feedback
    """What was placed: a coding, or a decision on a suggestion (which also keeps its text)."""
    status: AnchorStatus
    start: int
    end: int
    score: float = 100.0

    @property
    def changed(self) -> bool:
        return self.status in ("moved", "fuzzy")


def anchor(coding: Coding | Feedback, transcript: Transcript) -> Anchor:
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


@dataclass
class Placement:
    """Codings where they belong in the current text of their transcripts."""

    placed: list[Coding] = field(default_factory=list)
    """The codings to analyse, at their current positions: unchanged ones as stored, moved
    ones at their new place (in memory only; `qualcode check --fix` stores it)."""
    lost: list[Coding] = field(default_factory=list)
    """Codings whose text is no longer in their transcript, as stored: left out of analyses."""
    moved: list[Coding] = field(default_factory=list)
    """The placed codings that were found at a new place (as placed)."""

    def extend(self, other: Placement) -> None:
        self.placed += other.placed
        self.lost += other.lost
        self.moved += other.moved


def place_codings(codings: Iterable[Coding], transcript: Transcript) -> Placement:
    """Where the codings of one transcript are in its current text (see `Placement`).

    Nothing is written anywhere. When every coding was made on this very text, they are used as
    they are without looking at their quotes.
    """
    codings = list(codings)
    size = len(transcript.text)
    current = transcript.hash
    if all(c.text_hash == current and c.end <= size for c in codings):
        return Placement(codings)
    placement = Placement()
    for found in anchor_all(codings, transcript):
        coding = found.coding
        if found.status == "lost":
            placement.lost.append(coding)
        elif found.changed:
            moved = _moved(coding, found, transcript)
            placement.placed.append(moved)
            placement.moved.append(moved)
        else:
            placement.placed.append(coding)
    return placement


def _moved(coding: Coding, found: Anchor, transcript: Transcript) -> Coding:
    """The coding at its new place, as `qualcode check --fix` would store it."""
    return replace(
        coding,
        start=found.start,
        end=found.end,
        quote=transcript.text[found.start : found.end],
        text_hash=transcript.hash,
    )


def place_in_transcripts(
    codings: Iterable[Coding], transcripts: Mapping[str, Transcript]
) -> Placement:
    """Place the codings of the given transcripts (by id); codings of other transcripts are
    not looked at and appear nowhere in the result."""
    by_transcript: dict[str, list[Coding]] = {}
    for coding in codings:
        if coding.transcript in transcripts:
            by_transcript.setdefault(coding.transcript, []).append(coding)
    placement = Placement()
    for tid, items in by_transcript.items():
        placement.extend(place_codings(items, transcripts[tid]))
    return placement


def placement_notes(placements: Mapping[str, Placement]) -> list[str]:
    """What an analysis says about the codings it could not use, or used at a new place.

    `placements` maps each coder to the placement of their codings. At most two notes: one on
    the codings left out (how many, where, and where to see them) and one on those moved.
    """
    notes = []
    lost = {coder: p.lost for coder, p in placements.items() if p.lost}
    if lost:
        count = sum(len(items) for items in lost.values())
        them = plural_form(count, "it", "them")
        notes.append(
            f"{plural(count, 'coding')} {_by(lost)} whose text is no longer in "
            f"{_where(lost)} {plural_form(count, 'was', 'were')} left out. `qualcode check` "
            f"lists {them}: restore the text in the transcript, or remove {them} in the "
            "workbench and code the passage again."
        )
    moved = {coder: p.moved for coder, p in placements.items() if p.moved}
    if moved:
        count = sum(len(items) for items in moved.values())
        notes.append(
            f"{plural(count, 'coding')} {_by(moved)} in {_where(moved)} "
            f"{plural_form(count, 'was', 'were')} found at a new place in the edited text and "
            f"used there; `qualcode check --fix` stores the new "
            f"{plural_form(count, 'position', 'positions')}."
        )
    return notes


def _by(found: Mapping[str, list[Coding]]) -> str:
    """`by ingrid`, or `by ingrid (2) and jonas (1)`."""
    if len(found) == 1:
        return f"by {next(iter(found))}"
    return "by " + joined(f"{coder} ({len(items)})" for coder, items in found.items())


def _where(found: Mapping[str, list[Coding]]) -> str:
    """`nb-05`, or `their transcripts (nb-05, nb-07)`."""
    transcripts = sorted({c.transcript for items in found.values() for c in items})
    if len(transcripts) == 1:
        return f"`{transcripts[0]}`"
    return "their transcripts (" + ", ".join(f"`{t}`" for t in transcripts) + ")"
