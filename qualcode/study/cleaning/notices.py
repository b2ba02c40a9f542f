"""Things cleaning notices and leaves as written, reported as warnings.

Footnote numbers glued to words: `tilbakemeldinger64` is probably the word `tilbakemeldinger`
and footnote 64, but `covid19`, `mp3` and model names look the same. Removing digits from a quote
is worse than leaving a stray number, so such words are reported as warnings and left as written.

Typographic quotation marks (“ ”) are kept as written too; the report says how many lines use
them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qualcode.study.cleaning.excerpts import clip, head
from qualcode.study.cleaning.lines import Line
from qualcode.study.cleaning.report import Change
from qualcode.wording import plural

_TOKEN = re.compile(r"\S+")
_GLUED_NUMBER = re.compile(r"^([^\W\d_]{3,}?)\.?([0-9]{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})$")
_TYPOGRAPHIC_QUOTES = "“”„"


def find_warnings(lines: Sequence[Line]) -> list[Change]:
    """Warnings about the cleaned lines, ordered by original line."""
    found: list[Change] = []
    quoted = [line for line in lines if any(ch in line.text for ch in _TYPOGRAPHIC_QUOTES)]
    for line in lines:
        for match in _TOKEN.finditer(line.text):
            token = match.group()
            core = token.strip("([{«“\"'‘„").rstrip(".,;!?)]}»”\"'’…")
            if token.rstrip().endswith(":"):
                continue
            glued = _GLUED_NUMBER.match(core)
            if not glued:
                continue
            word = glued.group(1)
            if "." in core[len(word) : len(word) + 1] and len(word) < 4:
                continue
            if not word.isalpha() or word.isupper() or not word[-1].islower():
                continue
            start, end = match.span()
            context = clip(line.text, max(0, start - 12), end + 12)
            found.append(
                Change(
                    "glued-footnote",
                    line.orig,
                    context,
                    context,
                    f"“{core}” may be a footnote number glued to the word “{word}”. It was left "
                    "as written: check the source and remove the number by hand if it is a "
                    "footnote.",
                )
            )
    if quoted:
        first = quoted[0]
        found.append(
            Change(
                "typographic-quote",
                first.orig,
                head(first.text, 40),
                head(first.text, 40),
                f"The text uses typographic quotation marks (“ ”) on "
                f"{plural(len(quoted), 'line')}. They were kept as written.",
            )
        )
    return sorted(found, key=lambda c: c.line)
