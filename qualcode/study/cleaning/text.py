"""What the cleaning steps agree on about text: which characters are control characters, and
where a sentence stops or carries on across a line break."""

from __future__ import annotations

import unicodedata

SENTENCE_END = ".!?…"
"""Characters that end a sentence."""


def is_control(ch: str) -> bool:
    """True for a C0 or C1 control character (tab, line feed and form feed included)."""
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F


def ends_mid_sentence(before: str, after: str) -> bool:
    """True when `before` stops in the middle of a sentence that `after` carries on."""
    before, after = before.rstrip(), after.lstrip()
    if not before or not after:
        return False
    last = before[-1]
    return (last.isalnum() or last in ",-\u00ad") and unicodedata.category(after[0]) == "Ll"
