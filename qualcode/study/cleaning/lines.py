"""Splitting the text into the lines the cleaning steps work on.

Line endings become `\\n` (Windows CR LF and old Mac CR alike). Form feeds (page breaks) and the
other line and paragraph separators (vertical tab, U+0085, U+2028, U+2029) become line breaks; a
line that followed a form feed is marked as the start of a page, which helps to find page headers
and footers. Every line remembers the line of the original text it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qualcode.study.cleaning.report import ChangeLog
from qualcode.wording import plural, plural_form

_LINE_SEPARATORS = "\v\x85\u2028"
_BREAKS = _LINE_SEPARATORS + "\u2029"


@dataclass(slots=True)
class Line:
    """One line of the text being cleaned."""

    text: str
    orig: int
    """1-based line of the original text this line comes from."""
    page_start: bool = False
    """A form feed (page break) came right before this line."""


def split_lines(text: str, log: ChangeLog) -> list[Line]:
    """The lines of `text`, whatever its line endings."""
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    if crlf or lone_cr:
        line = text.count("\n", 0, text.index("\r")) + 1
        kinds = []
        if crlf:
            kinds.append(f"{plural(crlf, 'Windows line ending')} (CR LF)")
        if lone_cr:
            kinds.append(f"{plural(lone_cr, 'old Mac line ending')} (CR)")
        log.add(
            "line-ending",
            line,
            "CR LF" if crlf else "CR",
            "LF",
            f"Changed {' and '.join(kinds)} to plain line breaks (LF). Only the line breaks "
            "changed; the lines are the same.",
        )
    return [Line(piece, number) for number, piece in enumerate(re.split("\r\n|\r|\n", text), 1)]


def split_at_breaks(lines: list[Line], log: ChangeLog) -> list[Line]:
    """Turn form feeds (page breaks) and Unicode line/paragraph separators into lines."""
    out: list[Line] = []
    form_feeds = separators = 0
    first_ff = first_sep = 0
    pending_page = False
    for line in lines:
        text = line.text
        if any(ch in text for ch in _BREAKS):
            separators += sum(text.count(ch) for ch in _BREAKS)
            first_sep = first_sep or line.orig
            text = text.replace("\u2029", "\n\n")
            text = re.sub(f"[{_LINE_SEPARATORS}]", "\n", text)
        for piece in text.split("\n"):
            if "\f" not in piece:
                out.append(Line(piece, line.orig, pending_page))
                pending_page = False
                continue
            form_feeds += piece.count("\f")
            first_ff = first_ff or line.orig
            parts = piece.split("\f")
            for index, part in enumerate(parts):
                if index > 0:
                    pending_page = True
                if part or (index == 0 and len(parts) == 1):
                    out.append(Line(part, line.orig, pending_page))
                    pending_page = False
    if form_feeds:
        log.add(
            "page-break",
            first_ff,
            "form feed",
            "",
            f"Removed {plural(form_feeds, 'page-break character')} (form feed); "
            f"{plural_form(form_feeds, 'the page break was', 'the page breaks were')} used to "
            "find page headers and footers.",
        )
    if separators:
        log.add(
            "line-separator",
            first_sep,
            "LS",
            "LF",
            f"Replaced {plural(separators, 'line or paragraph separator character')} "
            "(vertical tab, U+2028, U+2029 or U+0085) with ordinary line breaks.",
        )
    return out
