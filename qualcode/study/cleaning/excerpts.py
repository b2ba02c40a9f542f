"""How a change is shown to the researcher: short excerpts of the text around it, and counted
nouns and character names for its description."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

_CONTEXT = 18
"""Characters of unchanged text shown on each side of a change."""


def code_points(chars: Iterable[str]) -> str:
    """The distinct characters as `U+00A0 no-break space`, in order of first appearance."""
    names = []
    for ch in dict.fromkeys(chars):
        name = unicodedata.name(ch, "").lower()
        names.append(f"U+{ord(ch):04X} {name}".rstrip())
    return ", ".join(names)


def excerpts(old: str, new: str) -> tuple[str, str]:
    """Short matching excerpts of a line before and after a change."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    start = max(0, prefix - _CONTEXT)
    old_end, new_end = len(old) - suffix, len(new) - suffix
    if max(old_end, new_end) - prefix > 2 * _CONTEXT:
        old_end = new_end = prefix + _CONTEXT
    else:
        old_end, new_end = old_end + _CONTEXT, new_end + _CONTEXT
    return clip(old, start, old_end), clip(new, start, new_end)


def excerpts_across_gap(above: str, below: str) -> tuple[str, str]:
    """Excerpts of two lines with a blank line between them, and with it removed."""
    return f"{tail(above)}\n\n{head(below)}", f"{tail(above)}\n{head(below)}"


def clip(text: str, start: int, end: int) -> str:
    """`text[start:end]`, with `…` where text was cut off."""
    piece = text[start:end]
    if start > 0:
        piece = "…" + piece.lstrip()
    if end < len(text):
        piece = piece.rstrip() + "…"
    return piece


def tail(text: str, width: int = _CONTEXT) -> str:
    """The end of `text`, at most about `width` characters."""
    return text if len(text) <= width else "…" + text[-width:].lstrip()


def head(text: str, width: int = _CONTEXT) -> str:
    """The start of `text`, at most about `width` characters."""
    return text if len(text) <= width else text[:width].rstrip() + "…"
