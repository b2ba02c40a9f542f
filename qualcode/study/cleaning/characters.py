"""Character-level fixes, one line at a time.

Text is normalised to Unicode NFC; non-breaking and other special spaces become ordinary spaces;
the hyphens U+2010 and U+2011 become `-`; soft hyphens, zero-width characters, control characters
and private-use characters (symbol-font bullets) are removed; ligatures such as `ﬁ` are spelled
out; a bullet such as `•` at the start of a line becomes `- `; spaces at the end of lines are
removed. A soft hyphen at the very end of a line is left to the joining of words split across
lines. Tabs inside a line are kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from qualcode.study.cleaning.excerpts import code_points, excerpts, tail
from qualcode.study.cleaning.lines import Line
from qualcode.study.cleaning.report import ChangeLog
from qualcode.study.cleaning.text import is_control
from qualcode.wording import plural, plural_form

Fix = Callable[[str], tuple[str, list[str]]]
"""Fixes one line: the new text and the characters it replaced or removed."""
Describe = Callable[[list[str]], str]
"""Describes a fix to one line, given the characters it replaced or removed."""

_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]+")
_NBSP = re.compile("[\u00a0\u202f\u2007]")
_SPECIAL_SPACE = re.compile("[\u1680\u2000-\u2006\u2008-\u200a\u205f\u3000]")
_UNICODE_HYPHEN = re.compile("[\u2010\u2011]")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_LIGATURE = re.compile("[" + "".join(_LIGATURES) + "]")
_BULLET = re.compile("^([ \t]*)[•◦▪●○■‣⁃∙·][ \t]+")
_SOFT_HYPHEN_INSIDE = re.compile("\u00ad(?=.*[^\\s\u00ad])")


def fix_characters(lines: list[Line], log: ChangeLog) -> None:
    """Make every character fix to every line, and remove spaces at the end of lines."""
    for kind, fix, describe in _STEPS:
        apply_per_line(lines, log, kind, fix, describe)
    fix_bullets_and_nfc(lines, log)
    trailing = [line for line in lines if line.text != line.text.rstrip()]
    if trailing:
        log.add(
            "trailing-space",
            trailing[0].orig,
            tail(trailing[0].text.replace("\t", "→").replace(" ", "·"), 24),
            tail(trailing[0].text.rstrip(), 24),
            f"Removed spaces or tabs at the end of {plural(len(trailing), 'line')}.",
        )
        for line in trailing:
            line.text = line.text.rstrip()


def fix_bullets_and_nfc(lines: list[Line], log: ChangeLog) -> bool:
    """Replace bullets at the start of lines and normalise to NFC; True if anything changed.

    Needed again after lines are joined: a join moves the rest of a line to the start of the line
    (where a bullet counts) and may put a letter next to a combining mark.
    """
    bullets = apply_per_line(lines, log, "bullet", _replace_bullet, _describe_bullet)
    composed = apply_per_line(lines, log, "nfc", _normalize_nfc, _describe_nfc)
    return bullets or composed


def apply_per_line(
    lines: Sequence[Line], log: ChangeLog, kind: str, fix: Fix, describe: Describe
) -> bool:
    """Apply `fix` to every line and log each line it changed; True if it changed any."""
    changed = False
    for line in lines:
        new, found = fix(line.text)
        if new != line.text:
            before, after = excerpts(line.text, new)
            log.add(kind, line.orig, before, after, describe(found))
            line.text = new
            changed = True
    return changed


def _sub_collect(
    pattern: re.Pattern[str], replacement: str | Callable[[re.Match[str]], str]
) -> Fix:
    """A fix that replaces every match of `pattern` and reports what it matched."""

    def fix(text: str) -> tuple[str, list[str]]:
        found: list[str] = []

        def replace(match: re.Match[str]) -> str:
            found.append(match.group())
            return replacement(match) if callable(replacement) else replacement

        return pattern.sub(replace, text), found

    return fix


def _is_removed_control(ch: str) -> bool:
    return is_control(ch) and ch != "\t"


def _remove_controls(text: str) -> tuple[str, list[str]]:
    found = [ch for ch in text if _is_removed_control(ch)]
    if not found:
        return text, []
    return "".join(ch for ch in text if not _is_removed_control(ch)), found


def _remove_private_use(text: str) -> tuple[str, list[str]]:
    found: list[str] = []
    out: list[str] = []
    pos = 0
    for match in _PRIVATE_USE.finditer(text):
        found.extend(match.group())
        start, end = match.span()
        if not text[:start].strip():
            # A symbol-font bullet at the start of a line: drop it with the space after it.
            while end < len(text) and text[end] in " \t":
                end += 1
        elif start > 0 and text[start - 1] == " " and end < len(text) and text[end] == " ":
            end += 1
        out.append(text[pos:start])
        pos = end
    if not found:
        return text, []
    out.append(text[pos:])
    return "".join(out), found


def _replace_bullet(text: str) -> tuple[str, list[str]]:
    match = _BULLET.match(text)
    if not match:
        return text, []
    return match.group(1) + "- " + text[match.end() :], [match.group().strip()]


def _normalize_nfc(text: str) -> tuple[str, list[str]]:
    if unicodedata.is_normalized("NFC", text):
        return text, []
    return unicodedata.normalize("NFC", text), []


def _removed(what: str, why: str = "") -> Describe:
    """Describes removed characters: `Removed 2 <what>s (U+…)<why>.`"""
    return lambda found: f"Removed {plural(len(found), what)} ({code_points(found)}){why}."


def _replaced(what: str, by: str, shown: str = "") -> Describe:
    """Describes characters replaced by an ordinary one: `Replaced 2 <what>s (U+…) with
    ordinary <by>s<shown>.`"""
    return lambda found: (
        f"Replaced {plural(len(found), what)} ({code_points(found)}) with "
        f"{plural_form(len(found), f'an ordinary {by}', f'ordinary {by}s')}{shown}."
    )


def _describe_ligatures(found: list[str]) -> str:
    spelled = ", ".join(f"{ch} → {_LIGATURES[ch]}" for ch in dict.fromkeys(found))
    return f"Spelled out {plural(len(found), 'ligature')} as separate letters ({spelled})."


def _describe_soft_hyphens(found: list[str]) -> str:
    return (
        f"Removed {plural(len(found), 'soft hyphen')} (U+00AD, an invisible mark "
        "where a word may be split)."
    )


def _describe_bullet(found: list[str]) -> str:
    return f"Replaced the bullet “{found[0]}” at the start of the line with '- '."


def _describe_nfc(_found: list[str]) -> str:
    return (
        "Wrote letters with accents or rings as single characters (Unicode NFC), e.g. an 'a' "
        "followed by a combining ring became 'å'. The text looks the same."
    )


_STEPS: tuple[tuple[str, Fix, Describe], ...] = (
    ("control-character", _remove_controls, _removed("invisible control character")),
    ("invisible-character", _sub_collect(_INVISIBLE, ""), _removed("zero-width character")),
    (
        "private-use",
        _remove_private_use,
        _removed(
            "private-use character",
            ": a bullet or symbol from a PDF or Word font that has no meaning as text",
        ),
    ),
    (
        "ligature",
        _sub_collect(_LIGATURE, lambda m: _LIGATURES[m.group()]),
        _describe_ligatures,
    ),
    ("nbsp", _sub_collect(_NBSP, " "), _replaced("non-breaking space", "space")),
    ("special-space", _sub_collect(_SPECIAL_SPACE, " "), _replaced("special space", "space")),
    (
        "unicode-hyphen",
        _sub_collect(_UNICODE_HYPHEN, "-"),
        _replaced("Unicode hyphen", "hyphen", " '-'"),
    ),
    ("soft-hyphen", _sub_collect(_SOFT_HYPHEN_INSIDE, ""), _describe_soft_hyphens),
)
"""The fixes made before bullets and NFC, in the order they are made."""
