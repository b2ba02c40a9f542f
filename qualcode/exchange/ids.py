"""GUIDs for exported elements and names (ids, file names, coder names) for imported ones.

Exported GUIDs are uuid5 values of a fixed namespace and a key such as `code:distance`, so
exporting the same study twice gives the same GUIDs and other programs can recognise a code or
a transcript they have seen before. Imported names are made from the other program's names:
ASCII, lower case, unique, and the same every time the same file is imported.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Container

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "qualcode:refi-qda")
_TRANSLITERATE = str.maketrans(
    {"æ": "ae", "Æ": "Ae", "ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa", "ß": "ss", "ð": "d",
     "þ": "th", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"}
)


def guid(kind: str, key: str) -> str:
    """A stable GUID for the element `kind` (`code`, `transcript`, ...) named `key`."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def norm_guid(value: str | None) -> str:
    """A GUID as written by any program, in one comparable form (no braces, lower case)."""
    return (value or "").strip().strip("{}").lower()


def slug(name: str, keep: str = "", limit: int = 48) -> str:
    """`Geografisk distanse` -> `geografisk-distanse`; Norwegian letters become ae, oe, aa.

    Letters, digits and the characters in `keep` stay; every other run becomes one `-`.
    Returns '' when nothing usable is left.
    """
    text = unicodedata.normalize("NFKD", name.translate(_TRANSLITERATE))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    allowed = re.escape(keep)
    text = re.sub(rf"[^a-z0-9{allowed}]+", "-", text)
    text = text.strip("-" + keep)
    if len(text) > limit:
        cut = text.rfind("-", 0, limit + 1)
        text = text[: cut if cut >= limit // 2 else limit]
    return text.rstrip("-" + keep)


def unique(base: str, taken: Container[str]) -> str:
    """`base`, or `base-2`, `base-3` ... whichever is not taken yet."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
