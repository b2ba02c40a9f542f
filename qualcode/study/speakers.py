"""Finding the speaker label at the start of a line, in the layouts transcribers use.

The study's `speaker_pattern` describes a plain label (`I: `, `Intervjuer: `, `Deltaker 3: `).
Transcripts often dress that label up, and the same label is found inside:

- in bold, as Markdown writes it: `**I:** ...`, `**Intervjuer**: ...`, `__A:__ ...`;
- after a timestamp from the recording: `00:12:33 I: ...`, `[00:12:33] I: ...`, `(12:33) A: ...`.

Nothing is removed from the text: the turn's label simply starts at the beginning of the line
(timestamp and bold markers included) and the spoken text starts after them, so every position
stays a position in the canonical text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

TIMESTAMP = r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?"
"""A time in the recording: `12:33`, `00:12:33`, `[00:12:33]`, `(00:12:33.5)`."""
_DECORATION = re.compile(rf"(?P<time>{TIMESTAMP}[ \t]+(?:[-–][ \t]+)?)?(?P<bold>\*\*|__)?")
_CLOSING_BOLD = re.compile(r"[^:\n*_]{1,45}?(?P<before>\*\*|__)?:(?P<after>\*\*|__)?")


class LabelMatch(NamedTuple):
    """A speaker label found at the start of a line."""

    label: str
    """The label as the speaker pattern reads it, e.g. `I` or `Deltaker 3`."""
    label_start: int
    """Where the line starts (a timestamp or bold marker included)."""
    body_start: int
    """Where the spoken text starts, after the label, markers and spaces."""


class SpeakerLabels:
    """The study's speaker pattern, also recognised in bold and after a timestamp."""

    def __init__(self, pattern: str | re.Pattern[str]) -> None:
        self.pattern = re.compile(pattern, re.MULTILINE) if isinstance(pattern, str) else pattern

    def at(self, text: str, pos: int) -> LabelMatch | None:
        """The label that starts the line at `pos` (which must be the start of a line)."""
        found = self.pattern.match(text, pos)
        if found is not None:
            return LabelMatch(_label_of(found), pos, _skip_blanks(text, found.end()))
        decoration = _DECORATION.match(text, pos)
        if decoration is None or decoration.end() == pos:
            return None
        line_end = text.find("\n", pos)
        line = text[pos : len(text) if line_end == -1 else line_end]
        skipped = decoration.end() - pos
        rest = line[skipped:]
        if decoration.group("bold"):
            rest = _blank_closing_bold(rest)
        # Line breaks in place of what was skipped keep `^` in the pattern working and every
        # index equal to the index in `line`.
        masked = "\n" * skipped + rest
        found = self.pattern.match(masked, skipped)
        if found is None:
            return None
        return LabelMatch(_label_of(found), pos, pos + _skip_blanks(masked, found.end()))

    def match(self, line: str) -> bool:
        """True when `line` starts with a speaker label (as `re.Pattern.match` is used)."""
        return self.at(line, 0) is not None


def _label_of(found: re.Match[str]) -> str:
    label = found.groupdict().get("label")
    return (label if label is not None else found.group(0).rstrip(": \t")).strip()


def _skip_blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _blank_closing_bold(rest: str) -> str:
    """`I:** text` → `I:   text` and `I**: text` → `I  : text` (same length)."""
    found = _CLOSING_BOLD.match(rest)
    if found is None:
        return rest
    chars = list(rest)
    for name in ("before", "after"):
        if found.group(name):
            for i in range(found.start(name), found.end(name)):
                chars[i] = " "
    return "".join(chars)
