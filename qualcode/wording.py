"""Small helpers for the words qualcode shows: counted nouns in the right number."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """`1 coding`, `2 codings`, `1 234 codings`: the count with the noun in the matching form.

    Args:
        count: how many.
        singular: the noun for one (`coding`).
        plural: the noun for any other number; `singular + "s"` when not given.
    """
    return f"{count} {plural_form(count, singular, plural or singular + 's')}"


def plural_form(count: int, singular: str, plural: str) -> str:
    """`singular` for exactly one, `plural` otherwise (0 included, as in English and Norwegian)."""
    return singular if count == 1 else plural


def joined(names: Iterable[str]) -> str:
    """Names as a sentence lists them: `ingrid`, `ingrid and jonas`, `ingrid, jonas and kari`."""
    listed = list(names)
    if len(listed) <= 1:
        return "".join(listed)
    return ", ".join(listed[:-1]) + " and " + listed[-1]


class _IdWrapper(textwrap.TextWrapper):
    """Wraps an id after the characters in `breaks`, and within a part only when that part
    alone is too long for the line (and `cut_parts` allows it)."""

    def __init__(self, width: int, breaks: str, cut_parts: bool = True) -> None:
        super().__init__(width, break_on_hyphens=False, break_long_words=cut_parts)
        self.wordsep_simple_re = re.compile(rf"([^{breaks} ]*[{breaks}]+| +)")


def fold_id(text: str, width: int) -> str:
    """A code or transcript id in lines of at most `width` characters.

    It breaks after its dots where that is enough (`agency-cooperation.` / `contact-person`),
    else after dashes and underscores too, and inside a word only when one part alone is
    longer than the line.
    """
    lines: list[str] = []
    for line in _IdWrapper(width, r".", cut_parts=False).wrap(text):
        lines += _IdWrapper(width, r".\-_").wrap(line) if len(line) > width else [line]
    return "\n".join(lines) or text
