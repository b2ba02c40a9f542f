"""Small helpers for the words qualcode shows: counted nouns in the right number."""

from __future__ import annotations

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
