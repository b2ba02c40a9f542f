"""Selections from other programs, mapped onto qualcode's canonical transcript text.

A REFI-QDA selection gives `startPosition` and `endPosition` in code points of the source file.
Two things vary between programs, and are decided once per imported project by
`choose_reading`:

- **Line endings.** In a file with Windows line endings (CR LF), some programs count each line
  break as two code points (as the file has them), others as one (after reading the file as
  text). Each line shifts later positions by one more.
- **The end position.** QualCoder and qc, like qualcode, write the position after the last
  selected character (the selection is `text[start:end]`, an exclusive end). The standard's text
  speaks of "the first and the last character", and some programs write the last character's
  position instead.

Rule: every reading is scored over all selections of the project. A selection scores a point
for a start that does not cut a word (`wo|rd`), a point for an end that does not cut a word,
and two points when its name (many programs name a selection after its first words) matches
the text it selects. The line-ending reading with the best score wins (ties: as the file has
them). The inclusive end is chosen only when it beats the exclusive end by at least two points
and by a tenth of the selections; that is, when the exclusive reading leaves many selections
one character short of the end of a word (`employe|r`) and adding that one character mends them.
One stray selection that really ends inside a word cannot tip a project.

Then positions are carried through what qualcode does to a transcript's text: CR LF to LF,
Unicode NFC, no spaces or tabs at the ends of lines, no blank lines at the start or end (see
`qualcode.study.transcript.canonical_text`). `TextMap` does this mapping.
"""

from __future__ import annotations

import math
import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import cached_property

from qualcode.study.transcript import canonical_text
from qualcode.wording import plural

_TRAILING_BLANKS = re.compile(r"[ \t]+\n")
_ELLIPSIS = re.compile(r"(\u2026|\.\.\.)\s*$")


class TextMap:
    """Maps positions in one text to positions in a text derived from it.

    `start(p)` and `end(p)` differ only inside characters that were merged (NFC): a start there
    moves back to the merged character, an end moves past it.
    """

    def __init__(self, floor: array, ceil: array) -> None:
        self.floor = floor
        self.ceil = ceil

    @classmethod
    def identity(cls, length: int) -> TextMap:
        values = array("q", range(length + 1))
        return cls(values, values)

    @classmethod
    def keeping(cls, keep: list[bool]) -> TextMap:
        """The map of a text from which the characters not kept were removed."""
        values = array("q", [0])
        count = 0
        for kept in keep:
            count += kept
            values.append(count)
        return cls(values, values)

    def then(self, other: TextMap) -> TextMap:
        """This map followed by `other`."""
        floor = array("q", (other.floor[p] for p in self.floor))
        ceil = array("q", (other.ceil[p] for p in self.ceil))
        return TextMap(floor, ceil)

    def start(self, position: int) -> int:
        return self.floor[position]

    def end(self, position: int) -> int:
        return self.ceil[position]


def lf_text(raw: str) -> tuple[str, TextMap]:
    """CR LF becomes LF (a lone CR too) and the map from positions in `raw`."""
    keep = [not (c == "\r" and raw[i + 1 : i + 2] == "\n") for i, c in enumerate(raw)]
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return text, TextMap.keeping(keep)


def nfc_text(text: str) -> tuple[str, TextMap]:
    """The text in NFC and the map of positions into it."""
    if unicodedata.is_normalized("NFC", text):
        return text, TextMap.identity(len(text))
    floor, ceil = array("q"), array("q")
    out: list[str] = []
    length = 0
    for chunk in _chunks(text):
        merged = unicodedata.normalize("NFC", chunk)
        for k in range(len(chunk)):
            floor.append(length)
            ceil.append(length + (len(merged) if k else 0))
        out.append(merged)
        length += len(merged)
    floor.append(length)
    ceil.append(length)
    return "".join(out), TextMap(floor, ceil)


def _chunks(text: str) -> list[str]:
    """Pieces that NFC can normalise one by one: each starts at a character that combines
    with nothing before it (a line as a whole where that does not hold)."""
    pieces: list[str] = []
    for index, line in enumerate(text.split("\n")):
        if index:
            pieces.append("\n")
        if unicodedata.is_normalized("NFC", line):
            pieces.extend(line)
            continue
        parts: list[str] = []
        for char in line:
            if parts and unicodedata.combining(char) == 0 and not _may_join(char):
                parts.append(char)
            elif parts:
                parts[-1] += char
            else:
                parts.append(char)
        together = "".join(unicodedata.normalize("NFC", p) for p in parts)
        pieces.extend(parts if together == unicodedata.normalize("NFC", line) else [line])
    return pieces


def _may_join(char: str) -> bool:
    """Characters that NFC may join to the one before although they do not combine by class
    (vowel signs, Hangul vowels and finals)."""
    return unicodedata.category(char).startswith("M") or "\u1160" <= char <= "\u11ff"


def canonical_map(text: str) -> tuple[str, TextMap]:
    """qualcode's canonical text of an LF, NFC text, and the map of positions into it."""
    keep = [True] * len(text)
    for match in _TRAILING_BLANKS.finditer(text):
        for i in range(match.start(), match.end() - 1):
            keep[i] = False
    kept = [i for i, k in enumerate(keep) if k]
    for i in kept:  # strip("\n") at the start
        if text[i] != "\n":
            break
        keep[i] = False
    for i in reversed(kept):  # rstrip() at the end
        if not text[i].isspace():
            break
        keep[i] = False
    result = "".join(c for c, k in zip(text, keep, strict=True) if k)
    return result, TextMap.keeping(keep)


@dataclass
class SourceText:
    """A source's text as mapped onto the transcript qualcode will read."""

    raw: str
    """The text of the source file (byte-order mark removed)."""
    body: str
    """What goes into the transcript file: LF line endings, NFC."""
    text: str
    """What qualcode reads from it (the canonical text)."""
    raw_map: TextMap
    """Positions counted over `raw` -> positions in `text`."""
    lf_map: TextMap
    """Positions counted with each CR LF as one -> positions in `text`."""

    @classmethod
    def of(cls, raw: str) -> SourceText:
        lf, from_raw = lf_text(raw)
        body, from_lf = nfc_text(lf)
        text, from_body = canonical_map(body)
        if text != canonical_text(body):  # the map must describe exactly what qualcode does
            raise AssertionError("canonical text mapping out of step")
        lf_map = from_lf.then(from_body)
        return cls(raw, body, text, from_raw.then(lf_map), lf_map)

    @cached_property
    def lf(self) -> str:
        """`raw` with each CR LF as one LF (what positions count when CR LF counts as one)."""
        return self.raw.replace("\r\n", "\n")

    def counted(self, basis: str) -> str:
        """The text positions are counted in: `raw` or `lf`."""
        return self.raw if basis == "raw" else self.lf

    def map(self, basis: str, start: int, end: int) -> tuple[int, int]:
        """A selection `[start, end)` counted in `basis`, in the canonical text."""
        chosen = self.raw_map if basis == "raw" else self.lf_map
        return chosen.start(start), chosen.end(end)


@dataclass(frozen=True)
class Reading:
    """How a project's positions are to be read."""

    basis: str = "raw"
    """`raw`: CR LF counts as two; `lf`: as one (the same for files without CR LF)."""
    inclusive: bool = False
    """True when end positions point at the last selected character."""
    evidence: str = ""


@dataclass(frozen=True)
class Span:
    """A selection as written: positions and name."""

    start: int
    end: int
    name: str = ""


def choose_reading(sources: list[tuple[SourceText, list[Span]]], end: str = "auto") -> Reading:
    """Decide line-ending basis and end convention for a whole project (module docstring).

    `end` is `auto`, `exclusive` or `inclusive` (the latter two force the end convention).
    """
    total = sum(len(spans) for _s, spans in sources)
    has_crlf = any("\r\n" in s.raw for s, spans in sources if spans)
    scores = {
        (basis, inclusive): _score(sources, basis, inclusive)
        for basis in (("raw", "lf") if has_crlf else ("raw",))
        for inclusive in (False, True)
    }
    basis = max(("raw", "lf") if has_crlf else ("raw",), key=lambda b: (
        max(scores[(b, False)], scores[(b, True)]), b == "raw"))
    gain = scores[(basis, True)] - scores[(basis, False)]
    needed = max(2, math.ceil(total / 10))
    inclusive = gain >= needed if end == "auto" else end == "inclusive"
    parts = []
    if not total:
        return Reading(basis, end == "inclusive", "no selections to place")
    if has_crlf:
        parts.append(
            "line breaks (CR LF) counted as two characters" if basis == "raw"
            else "line breaks (CR LF) counted as one character"
        )
    if end != "auto":
        parts.append(f"end positions read as {end}, as asked")
    elif inclusive:
        parts.append(
            "end positions read as the last selected character (inclusive: that mended "
            f"{gain} of {plural(total, 'selection')})"
        )
    else:
        parts.append("end positions read as the place after the last selected character "
                     "(exclusive)")
    return Reading(basis, inclusive, "; ".join(parts))


def _score(sources: list[tuple[SourceText, list[Span]]], basis: str, inclusive: bool) -> int:
    score = 0
    for source, spans in sources:
        text = source.counted(basis)
        for span in spans:
            start, end = span.start, span.end + inclusive
            if not 0 <= start < end <= len(text):
                score -= 3
                continue
            score += _clean(text, start) + _clean(text, end)
            if _name_matches(span.name, text[start:end]):
                score += 2
    return score


def _clean(text: str, position: int) -> bool:
    """True when `position` does not fall between two letters or digits."""
    if position <= 0 or position >= len(text):
        return True
    return not (text[position - 1].isalnum() and text[position].isalnum())


def _name_matches(name: str, selected: str) -> bool:
    """True when a selection's name is the text it selects (or, cut short with …, its start)."""
    cut = bool(_ELLIPSIS.search(name))
    core = " ".join(_ELLIPSIS.sub("", name).split())
    if len(core) < 4:
        return False
    text = " ".join(selected.split())
    return text.startswith(core) if cut else text == core


@dataclass(frozen=True)
class Unplaced:
    """Why a selection cannot be placed in the transcript."""

    reason: str
    damaged: bool = False
    """True when the positions cannot belong to this text at all (outside it, or an end before
    the start): the project is damaged or its texts do not match its selections."""


def resolve(source: SourceText, span: Span, reading: Reading) -> tuple[int, int] | Unplaced:
    """The selection's `[start, end)` in the canonical text, or why it cannot be imported."""
    counted = source.counted(reading.basis)
    start, end = span.start, span.end
    if start > end:
        return Unplaced(f"ends (at {end}) before it starts (at {start})", damaged=True)
    if start == end:
        return Unplaced(f"selects nothing (it starts and ends at {start})")
    if reading.inclusive and end < len(counted):
        end += 1
    if start < 0 or end > len(counted):
        return Unplaced(
            f"runs from position {span.start} to {span.end}, but the text has only "
            f"{len(counted)} characters",
            damaged=True,
        )
    new_start, new_end = source.map(reading.basis, start, end)
    if new_start >= new_end:
        return Unplaced(f"selects only spaces or blank lines ({span.start}–{span.end})")
    return new_start, new_end
