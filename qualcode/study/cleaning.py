"""Cleaning the text of an imported transcript, and saying what was changed.

Transcripts and reports often reach a study as text pulled out of a PDF or a Word file. That text
carries traces of its layout: non-breaking spaces, words hyphenated at the end of a line, page
headers and page numbers in the middle of a quote, bullets drawn with symbol fonts, a blank line
after every line. This module removes those traces and reports every change with the line of the
original file it was made on, so a researcher can check it against the source.

The functions here are pure: they know nothing about the study folder and never touch files.

- `decode_bytes` turns the bytes of a text file into a string and names the encoding it found.
- `clean_text` cleans a string and returns a `CleanResult` (the text, the changes made, and
  warnings about things it noticed but left alone).
- `format_report` writes the changes as a short Markdown report for the researcher.

Characters: line endings become `\n`; text is normalised to Unicode NFC; non-breaking and other
special spaces become ordinary spaces; the hyphens U+2010 and U+2011 become `-`; soft hyphens,
zero-width characters, control characters and private-use characters (symbol-font bullets) are
removed; ligatures such as `ﬁ` are spelled out; a bullet such as `•` at the start of a line
becomes `- `; spaces at the end of lines are removed.

What cleaning never touches, because a quote must keep it exactly: guillemets « », anonymising
placeholders such as `[navn]`, `(navn)` and `[kommunenavn]`, omissions `(…)`, `(...)` and `[…]`,
the letters æ ø å, typographic quotation marks “ ”, en and em dashes, and tabs inside a line.

Words hyphenated across a line break
------------------------------------
A line that ends in a hyphen directly after a word is joined with the first word of the next line
(the rest of that line stays where it was). The hyphen is removed (`arbeids-` + `giver` →
`arbeidsgiver`) unless the hyphen belongs to the word, which is assumed when

- the part before it is an abbreviation in capitals (`NAV-` + `kontor` → `NAV-kontor`), contains
  a digit (`4-` + `årig`), or is a single letter (`e-` + `post`);
- the part after it starts with a digit (`covid-` + `19`);
- the part after it starts with a capital letter and the part before is capitalised or a prefix
  that keeps its hyphen (`Nord-` + `Norge`, `ikke-` + `NAV`). When the part before is an ordinary
  lower-case word and the next line starts with a capital, the hyphen is most likely a dash
  before a new sentence, so the lines are left alone;
- the part before is a prefix that is written with a hyphen (`ikke-vestlig`, `self-employed`), or
  the part after is a word that usually follows a hyphen in English (`long-term`,
  `skills-based`).

When the next line starts with a conjunction (`arbeids-` + `og velferdsetaten`), the hyphen
stands for a shared ending and the lines are left alone. A soft hyphen (U+00AD) at the end of a
line always means the word was split, so those words are joined without a hyphen. The rules cannot
tell a proper name split by hyphenation (`Trond-` + `heim`) from a name in a compound
(`Oslo-` + `området`); both are joined without the hyphen, and the report asks the researcher to
check those joins.

Page headers, footers and page numbers
--------------------------------------
A page number alone on a line (`12`, `- 12 -`, `Side 3 av 40`, `Page 3`) is removed when it
recurs: with the word side/page at least twice, as a bare number at least three times, rising
and roughly a page apart. A short line (a report title, a running header) is removed when it
recurs unchanged at least three times, at least eight lines apart and at a fairly steady
distance (as pages are), or at least twice and every time next to a page break (a form feed in
the text, or a page number that was removed); next to page breaks it may also carry a changing
page number. Lines that look like speech are never treated as headers: lines starting with a
speaker label such as `I:` or `A:`, lines ending in sentence punctuation, lines in brackets,
lines with quotation marks, and lines starting with a lower-case word. Nor is anything removed
when the would-be headers make up more than a fifth of the lines: then the repeated lines are
text. When a header sat in the middle of a paragraph, the blank lines the page break left behind
are removed too.

A blank line after every line
-----------------------------
Text from some PDF tools has an empty line after every line, so paragraphs cannot be told apart.
When nearly every line is followed by exactly one blank line and many of those blank lines fall in
the middle of a sentence, the document is taken to be doubled: the single blank lines are removed,
a run of two or more becomes one paragraph break, and a blank line is kept before a speaker label.
When there are no longer runs, a short line that ends a sentence also ends its paragraph.

Footnote numbers glued to words
-------------------------------
`tilbakemeldinger64` is probably the word `tilbakemeldinger` and footnote 64, but `covid19`,
`mp3` and model names look the same. Removing digits from a quote is worse than leaving a stray
number, so such words are reported as warnings and left as written.

Cleaning is idempotent: cleaning its own output changes nothing and reports no changes (it may
repeat its warnings, since the text still contains what they are about).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from os import PathLike
from statistics import median

from qualcode.errors import ImportFileError

__all__ = [
    "KIND_TITLES",
    "WARNING_KINDS",
    "Change",
    "CleanResult",
    "clean_text",
    "decode_bytes",
    "format_report",
]

KIND_TITLES: dict[str, str] = {
    "line-ending": "Line endings",
    "page-break": "Page breaks",
    "line-separator": "Line and paragraph separators",
    "control-character": "Control characters",
    "invisible-character": "Invisible characters",
    "private-use": "Private-use characters",
    "ligature": "Ligatures",
    "nbsp": "Non-breaking spaces",
    "special-space": "Special spaces",
    "unicode-hyphen": "Unicode hyphens",
    "soft-hyphen": "Soft hyphens",
    "bullet": "Bullets",
    "nfc": "Unicode normalisation (NFC)",
    "trailing-space": "Spaces at the end of lines",
    "blank-lines": "A blank line after every line",
    "page-number": "Page numbers",
    "page-header": "Page headers and footers",
    "line-break-hyphen": "Words split across lines",
    "line-break-compound": "Hyphenated words split across lines",
    "glued-footnote": "Possible footnote numbers glued to words",
    "typographic-quote": "Typographic quotation marks",
}
"""Every kind of change, in the order a report lists them, with a heading for each."""

WARNING_KINDS = frozenset({"glued-footnote", "typographic-quote"})
"""Kinds that describe something noticed and left as written, not a change to the text."""


@dataclass(frozen=True, slots=True)
class Change:
    """One change made to the text (or, for a warning kind, one thing noticed and kept)."""

    kind: str
    """A short stable slug, one of `KIND_TITLES`."""
    line: int
    """1-based line in the original text where the change was made (the first such line for a
    change that sums up many lines)."""
    before: str
    """A short excerpt of the original text."""
    after: str
    """The same excerpt after cleaning (equal to `before` for a warning)."""
    description: str
    """A plain sentence saying what was done and why."""

    @property
    def is_warning(self) -> bool:
        return self.kind in WARNING_KINDS


@dataclass(frozen=True, slots=True)
class CleanResult:
    """The cleaned text, what was changed in it, and what was noticed but kept."""

    text: str
    changes: list[Change] = field(default_factory=list)
    """Changes to the text, ordered by original line."""
    warnings: list[Change] = field(default_factory=list)
    """Things left as written that a researcher may want to check (kinds in `WARNING_KINDS`)."""


# ---------------------------------------------------------------------------------------------
# Decoding


_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 LE first: its byte-order mark starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAVE_AS_UTF8 = (
    "Open the file in a text editor or in Word and save it as plain text with the UTF-8 "
    "encoding (or as a .docx document), then import it again."
)
_VALID_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
# Symbols a single-byte encoding produces for Norwegian letters read with the wrong code page
# (cp865 and Mac Roman read as cp1252), when they follow a letter: `m›tte`, `m¿tte`, `pŒ`.
_MISREAD_AFTER_LETTER = frozenset("†‡•›‹¿¾½¼¶¤¦¨¯®ˆ‰Œœ‘")
_LEGACY_NORDIC = ("cp865", "mac_roman")
_EXPECTED_NON_ASCII = frozenset("æøåÆØÅéèêëóòôöüäáàçñÉÖÜÄ«»–—“”‘’…•§°½€£")


def decode_bytes(data: bytes, path: str | PathLike[str]) -> tuple[str, str]:
    """Decode the bytes of a text file.

    Tries, in this order: a byte-order mark (UTF-8, UTF-16 or UTF-32; the mark is removed),
    UTF-16 without a mark when the pattern of zero bytes shows it, UTF-8, Windows-1252 (the usual
    encoding of older Norwegian and English Windows files) unless it turns æ ø å into symbols,
    the old Nordic DOS and Mac code pages (cp865, Mac Roman) when they give Norwegian letters,
    and finally charset detection.

    Args:
        data: the file's bytes.
        path: the file they came from (only used in error messages).

    Returns:
        The text and the name of its encoding as Python spells it: `utf-8`, `utf-8-sig` (UTF-8
        with a byte-order mark), `utf-16-le`, `utf-16-be`, `utf-32-le`, `utf-32-be`, `cp1252`, or
        whatever charset detection found.

    Raises:
        ImportFileError: the bytes are not text (binary data), mix encodings, or match no
            encoding with confidence.
    """
    if not data:
        return "", "utf-8"
    for bom, codec in _BOMS:
        if data.startswith(bom):
            name = "utf-8-sig" if codec == "utf-8" else codec
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                line = _byte_line(data, len(bom) + exc.start) if codec == "utf-8" else None
                raise ImportFileError(
                    f"The file starts with a {_ENCODING_LABELS[name]} byte-order mark, but the "
                    "text after it is not in that encoding.",
                    path=path,
                    line=line,
                    hint=_SAVE_AS_UTF8,
                ) from None
            _require_text(text, path)
            return text, name

    utf16 = _sniff_utf16(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            pass
        else:
            _require_text(text, path)
            return text, utf16

    if b"\x00" in data:
        raise _binary_error(path)

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    else:
        _require_text(text, path)
        return text, "utf-8"

    if _mostly_utf8(data):
        raise ImportFileError(
            "Most of the file is UTF-8, but this line has bytes that are not: the file mixes "
            "two encodings or is damaged.",
            path=path,
            line=_byte_line(data, first_bad),
            hint="Open the file in a text editor, check the characters on that line, and save "
            "the file as UTF-8.",
        )

    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        if _is_plain_text(text) and not _looks_misread(text):
            return text, "cp1252"

    nordic = _decode_legacy_nordic(data)
    if nordic is not None:
        return nordic
    detected = _detect_with_charset_normalizer(data)
    if detected is not None:
        return detected
    if not _is_plain_text(data.decode("latin-1")):
        raise _binary_error(path)
    raise ImportFileError(
        "Could not work out which character encoding the file uses.",
        path=path,
        hint=_SAVE_AS_UTF8,
    )


def _sniff_utf16(data: bytes) -> str | None:
    """`utf-16-le`/`utf-16-be` when zero bytes sit in every other position, as in UTF-16 text
    that is mostly Latin letters; None otherwise."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:8192]
    even, odd = sample[0::2], sample[1::2]
    even_zeros, odd_zeros = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_zeros >= 0.4 and even_zeros <= 0.02:
        return "utf-16-le"
    if even_zeros >= 0.4 and odd_zeros <= 0.02:
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> bool:
    """True when the non-ASCII bytes are mostly well-formed UTF-8 sequences."""
    sequences = _VALID_UTF8_SEQUENCE.findall(data)
    if len(sequences) < 2:
        return False
    high = sum(1 for byte in data if byte >= 0x80)
    in_sequences = sum(len(s) for s in sequences)
    return in_sequences >= 0.5 * high


def _is_plain_text(text: str) -> bool:
    """False for text with NUL or more than a few other control characters (binary data)."""
    if "\x00" in text:
        return False
    body = text.rstrip("\x1a")  # an old end-of-file marker
    controls = sum(1 for ch in body if _is_control(ch) and ch not in "\t\n\r\f\v\x85")
    return controls <= max(2, len(body) // 500)


def _looks_misread(text: str) -> bool:
    """True when symbols stand where Norwegian letters should be, as in `m›tte`."""
    suspicious = sum(
        1 for before, ch in pairwise(text) if ch in _MISREAD_AFTER_LETTER and before.isalpha()
    )
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return suspicious >= 2 and suspicious >= 0.1 * non_ascii


def _decode_legacy_nordic(data: bytes) -> tuple[str, str] | None:
    """Old DOS and Mac code pages that Norwegian files were written in, when one of them reads
    the non-ASCII bytes as letters and punctuation a Norwegian or English text uses."""
    best: tuple[float, str, str] | None = None
    for codec in _LEGACY_NORDIC:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if not _is_plain_text(text) or _looks_misread(text):
            continue
        non_ascii = [ch for ch in text if ord(ch) > 127]
        if not non_ascii:
            continue
        score = sum(ch in _EXPECTED_NON_ASCII for ch in non_ascii) / len(non_ascii)
        if score >= 0.9 and (best is None or score > best[0]):
            best = (score, text, codec)
    return None if best is None else (best[1], best[2])


def _detect_with_charset_normalizer(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None or best.chaos > 0.2:
        return None
    text = str(best)
    if not _is_plain_text(text) or _looks_misread(text):
        return None
    return text, best.encoding


def _require_text(text: str, path: str | PathLike[str]) -> None:
    if not _is_plain_text(text):
        raise _binary_error(path)


def _binary_error(path: str | PathLike[str]) -> ImportFileError:
    return ImportFileError(
        "This does not look like a text file: it contains binary data.",
        path=path,
        hint="Transcripts can be .txt, .md or .docx files. Open the file in the program that "
        "made it and save it as a Word document (.docx) or as plain text (UTF-8).",
    )


def _byte_line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# ---------------------------------------------------------------------------------------------
# Cleaning: shared pieces

_DEFAULT_SPEAKER_LABEL = r"^[ \t]*[A-ZÆØÅ][\wÆØÅæøå .\-]{0,40}?:[ \t]"
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]+")
_NBSP = re.compile("[\u00a0\u202f\u2007]")
_SPECIAL_SPACE = re.compile("[\u1680\u2000-\u2006\u2008-\u200a\u205f\u3000]")
_UNICODE_HYPHEN = re.compile("[\u2010\u2011]")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_LIGATURE = re.compile("[" + "".join(_LIGATURES) + "]")
_BULLET = re.compile("^([ \t]*)[•◦▪●○■‣⁃∙·][ \t]+")
_SOFT_HYPHEN_INSIDE = re.compile("\u00ad(?=.*[^\\s\u00ad])")
_LINE_SEPARATORS = "\v\x85\u2028"
_SENTENCE_END = ".!?…"
_EXCERPT_CONTEXT = 18
_MAX_ROUNDS = 8


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F


@dataclass(slots=True)
class _Line:
    text: str
    orig: int
    """1-based line of the original text this line comes from."""
    page_start: bool = False
    """A form feed (page break) came right before this line."""


class _Log:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(self, kind: str, line: int, before: str, after: str, description: str) -> None:
        self.changes.append(Change(kind, line, before, after, description))

    def sorted(self) -> list[Change]:
        order = {kind: i for i, kind in enumerate(KIND_TITLES)}
        return sorted(self.changes, key=lambda c: (c.line, order.get(c.kind, len(order))))


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _plural_form(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural


def _code_points(chars: Iterable[str]) -> str:
    names = []
    for ch in dict.fromkeys(chars):
        name = unicodedata.name(ch, "").lower()
        names.append(f"U+{ord(ch):04X} {name}".rstrip())
    return ", ".join(names)


def _excerpts(old: str, new: str) -> tuple[str, str]:
    """Short matching excerpts of a line before and after a change."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    start = max(0, prefix - _EXCERPT_CONTEXT)
    old_end, new_end = len(old) - suffix, len(new) - suffix
    if max(old_end, new_end) - prefix > 2 * _EXCERPT_CONTEXT:
        old_end = new_end = prefix + _EXCERPT_CONTEXT
    else:
        old_end, new_end = old_end + _EXCERPT_CONTEXT, new_end + _EXCERPT_CONTEXT
    return _clip(old, start, old_end), _clip(new, start, new_end)


def _clip(text: str, start: int, end: int) -> str:
    piece = text[start:end]
    if start > 0:
        piece = "…" + piece.lstrip()
    if end < len(text):
        piece = piece.rstrip() + "…"
    return piece


def _tail(text: str, width: int = _EXCERPT_CONTEXT) -> str:
    return text if len(text) <= width else "…" + text[-width:].lstrip()


def _head(text: str, width: int = _EXCERPT_CONTEXT) -> str:
    return text if len(text) <= width else text[:width].rstrip() + "…"


# ---------------------------------------------------------------------------------------------
# Cleaning: the pipeline


def clean_text(text: str, *, speaker_pattern: str | re.Pattern[str] | None = None) -> CleanResult:
    """Clean the text of a transcript and report every change.

    Args:
        text: the decoded text (any line endings).
        speaker_pattern: the regular expression that finds a speaker label at the start of a
            line (the study's `speaker_pattern`); a label like `I:` or `Deltaker 3:` by default.
            Lines starting with a label are never taken for page headers or joined to the line
            before.

    Returns:
        The cleaned text (lines separated by `\\n`), the changes in the order of the original
        lines, and warnings about things left as written.
    """
    label = re.compile(speaker_pattern or _DEFAULT_SPEAKER_LABEL)
    log = _Log()
    lines = _split_lines(text, log)
    lines = _split_at_breaks(lines, log)
    _fix_characters(lines, log)
    for _ in range(_MAX_ROUNDS):
        changed = _collapse_doubled_blank_lines(lines, log, label)
        changed = _drop_page_furniture(lines, log, label) or changed
        changed = _join_split_words(lines, log, label) or changed
        # A join moves the rest of a line to the start of the line (where a bullet counts) and
        # may put a letter next to a combining mark.
        changed = (
            _apply_per_line(lines, log, "bullet", _replace_bullet, _describe_bullet) or changed
        )
        changed = _apply_per_line(lines, log, "nfc", _normalize_nfc, _describe_nfc) or changed
        if not changed:
            break
    return CleanResult(
        text="\n".join(line.text for line in lines),
        changes=log.sorted(),
        warnings=_warnings(lines),
    )


def _split_lines(text: str, log: _Log) -> list[_Line]:
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    if crlf or lone_cr:
        line = text.count("\n", 0, text.index("\r")) + 1
        kinds = []
        if crlf:
            kinds.append(f"{_plural(crlf, 'Windows line ending')} (CR LF)")
        if lone_cr:
            kinds.append(f"{_plural(lone_cr, 'old Mac line ending')} (CR)")
        log.add(
            "line-ending",
            line,
            "CR LF" if crlf else "CR",
            "LF",
            f"Changed {' and '.join(kinds)} to plain line breaks (LF). Only the line breaks "
            "changed; the lines are the same.",
        )
    return [_Line(piece, number) for number, piece in enumerate(re.split("\r\n|\r|\n", text), 1)]


def _split_at_breaks(lines: list[_Line], log: _Log) -> list[_Line]:
    """Turn form feeds (page breaks) and Unicode line/paragraph separators into lines."""
    out: list[_Line] = []
    form_feeds = separators = 0
    first_ff = first_sep = 0
    pending_page = False
    for line in lines:
        text = line.text
        if "\u2029" in text or any(ch in text for ch in _LINE_SEPARATORS):
            count = sum(text.count(ch) for ch in _LINE_SEPARATORS + "\u2029")
            separators += count
            first_sep = first_sep or line.orig
            text = text.replace("\u2029", "\n\n")
            text = re.sub(f"[{_LINE_SEPARATORS}]", "\n", text)
        for piece in text.split("\n"):
            if "\f" not in piece:
                out.append(_Line(piece, line.orig, pending_page))
                pending_page = False
                continue
            form_feeds += piece.count("\f")
            first_ff = first_ff or line.orig
            parts = piece.split("\f")
            for index, part in enumerate(parts):
                if index > 0:
                    pending_page = True
                if part or (index == 0 and len(parts) == 1):
                    out.append(_Line(part, line.orig, pending_page))
                    pending_page = False
    if form_feeds:
        log.add(
            "page-break",
            first_ff,
            "form feed",
            "",
            f"Removed {_plural(form_feeds, 'page-break character')} (form feed); the page "
            "breaks were used to find page headers and footers.",
        )
    if separators:
        log.add(
            "line-separator",
            first_sep,
            "LS",
            "LF",
            f"Replaced {_plural(separators, 'line or paragraph separator character')} "
            "(vertical tab, U+2028, U+2029 or U+0085) with ordinary line breaks.",
        )
    return out


def _apply_per_line(
    lines: Sequence[_Line],
    log: _Log,
    kind: str,
    fix: Callable[[str], tuple[str, list[str]]],
    describe: Callable[[list[str]], str],
) -> bool:
    changed = False
    for line in lines:
        new, found = fix(line.text)
        if new != line.text:
            before, after = _excerpts(line.text, new)
            log.add(kind, line.orig, before, after, describe(found))
            line.text = new
            changed = True
    return changed


def _sub_collect(pattern: re.Pattern[str], replacement: str | Callable[[re.Match[str]], str]):
    def fix(text: str) -> tuple[str, list[str]]:
        found: list[str] = []

        def replace(match: re.Match[str]) -> str:
            found.append(match.group())
            return replacement(match) if callable(replacement) else replacement

        return pattern.sub(replace, text), found

    return fix


def _remove_controls(text: str) -> tuple[str, list[str]]:
    found = [ch for ch in text if _is_control(ch) and ch != "\t"]
    if not found:
        return text, []
    return "".join(ch for ch in text if not (_is_control(ch) and ch != "\t")), found


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


def _strip_trailing(text: str) -> tuple[str, list[str]]:
    return text.rstrip(), []


def _describe_bullet(found: list[str]) -> str:
    return f"Replaced the bullet “{found[0]}” at the start of the line with '- '."


def _describe_nfc(_found: list[str]) -> str:
    return (
        "Wrote letters with accents or rings as single characters (Unicode NFC), e.g. an 'a' "
        "followed by a combining ring became 'å'. The text looks the same."
    )


def _fix_characters(lines: list[_Line], log: _Log) -> None:
    _apply_per_line(
        lines,
        log,
        "control-character",
        _remove_controls,
        lambda f: f"Removed {_plural(len(f), 'invisible control character')} ({_code_points(f)}).",
    )
    _apply_per_line(
        lines,
        log,
        "invisible-character",
        _sub_collect(_INVISIBLE, ""),
        lambda f: f"Removed {_plural(len(f), 'zero-width character')} ({_code_points(f)}).",
    )
    _apply_per_line(
        lines,
        log,
        "private-use",
        _remove_private_use,
        lambda f: (
            f"Removed {_plural(len(f), 'private-use character')} ({_code_points(f)}): "
            "a bullet or symbol from a PDF or Word font that has no meaning as text."
        ),
    )
    _apply_per_line(
        lines,
        log,
        "ligature",
        _sub_collect(_LIGATURE, lambda m: _LIGATURES[m.group()]),
        lambda f: (
            f"Spelled out {_plural(len(f), 'ligature')} as separate letters "
            f"({', '.join(f'{ch} → {_LIGATURES[ch]}' for ch in dict.fromkeys(f))})."
        ),
    )
    _apply_per_line(
        lines,
        log,
        "nbsp",
        _sub_collect(_NBSP, " "),
        lambda f: (
            f"Replaced {_plural(len(f), 'non-breaking space')} ({_code_points(f)}) with "
            f"{_plural_form(len(f), 'an ordinary space', 'ordinary spaces')}."
        ),
    )
    _apply_per_line(
        lines,
        log,
        "special-space",
        _sub_collect(_SPECIAL_SPACE, " "),
        lambda f: (
            f"Replaced {_plural(len(f), 'special space')} ({_code_points(f)}) with "
            f"{_plural_form(len(f), 'an ordinary space', 'ordinary spaces')}."
        ),
    )
    _apply_per_line(
        lines,
        log,
        "unicode-hyphen",
        _sub_collect(_UNICODE_HYPHEN, "-"),
        lambda f: (
            f"Replaced {_plural(len(f), 'Unicode hyphen')} ({_code_points(f)}) with "
            f"{_plural_form(len(f), 'an ordinary hyphen', 'ordinary hyphens')} '-'."
        ),
    )
    _apply_per_line(
        lines,
        log,
        "soft-hyphen",
        _sub_collect(_SOFT_HYPHEN_INSIDE, ""),
        lambda f: (
            f"Removed {_plural(len(f), 'soft hyphen')} (U+00AD, an invisible mark "
            "where a word may be split)."
        ),
    )
    _apply_per_line(
        lines,
        log,
        "bullet",
        _replace_bullet,
        _describe_bullet,
    )
    _apply_per_line(lines, log, "nfc", _normalize_nfc, _describe_nfc)
    trailing = [line for line in lines if line.text != line.text.rstrip()]
    if trailing:
        log.add(
            "trailing-space",
            trailing[0].orig,
            _tail(trailing[0].text.replace("\t", "→").replace(" ", "·"), 24),
            _tail(trailing[0].text.rstrip(), 24),
            f"Removed spaces or tabs at the end of {_plural(len(trailing), 'line')}.",
        )
        for line in trailing:
            line.text = line.text.rstrip()


# ---------------------------------------------------------------------------------------------
# A blank line after every line


def _ends_mid_sentence(before: str, after: str) -> bool:
    """True when `before` stops in the middle of a sentence that `after` carries on."""
    before, after = before.rstrip(), after.lstrip()
    if not before or not after:
        return False
    last = before[-1]
    return (last.isalnum() or last in ",-\u00ad") and unicodedata.category(after[0]) == "Ll"


def _collapse_doubled_blank_lines(lines: list[_Line], log: _Log, label: re.Pattern[str]) -> bool:
    filled = [i for i, line in enumerate(lines) if line.text.strip()]
    if len(filled) < 4:
        return False
    gaps = [(a, b, b - a - 1) for a, b in pairwise(filled)]
    adjacent = sum(1 for *_, gap in gaps if gap == 0)
    single = [(a, b) for a, b, gap in gaps if gap == 1]
    if adjacent > 0.1 * len(gaps) or len(single) < 0.5 * len(gaps):
        return False
    mid_sentence = sum(1 for a, b in single if _ends_mid_sentence(lines[a].text, lines[b].text))
    if mid_sentence < 2 or mid_sentence < 0.3 * len(single):
        return False
    has_paragraph_marks = any(gap >= 2 for *_, gap in gaps)
    typical = median(len(lines[i].text) for i in filled)

    keep: list[_Line] = lines[: filled[0] + 1]
    removed = paragraphs = 0
    first_removed: tuple[_Line, _Line, _Line] | None = None
    for a, b, gap in gaps:
        if gap == 0:
            keep_blank = 0
        elif gap >= 2 or label.match(lines[b].text):
            keep_blank = 1
        elif has_paragraph_marks:
            keep_blank = 0
        else:
            previous = lines[a].text.rstrip()
            keep_blank = int(
                previous[-1] in _SENTENCE_END + '»”")'
                and len(previous) < 0.8 * typical
                and not _ends_mid_sentence(previous, lines[b].text)
            )
        blanks = lines[a + 1 : b]
        keep.extend(blanks[:keep_blank])
        removed += gap - keep_blank
        paragraphs += keep_blank
        if gap > keep_blank and first_removed is None:
            first_removed = (lines[a], lines[a + 1], lines[b])
        keep.append(lines[b])
    keep.extend(lines[filled[-1] + 1 :])
    if not removed or first_removed is None:
        return False
    above, blank, below = first_removed
    log.add(
        "blank-lines",
        blank.orig,
        f"{_tail(above.text)}\n\n{_head(below.text)}",
        f"{_tail(above.text)}\n{_head(below.text)}",
        "The file had a blank line after every line of text. Removed "
        f"{_plural(removed, 'of these blank lines', 'of these blank lines')} and kept "
        f"{_plural(paragraphs, 'paragraph break')}.",
    )
    lines[:] = keep
    return True


# ---------------------------------------------------------------------------------------------
# Page headers, footers and page numbers

_PAGE_WORD = r"(?:side|s\.|page|p\.|pg\.?|pp\.)"
_DECORATION = r"[\s|\-–—]*"
_WORDED_PAGE_NUMBER = re.compile(
    rf"^{_DECORATION}{_PAGE_WORD}\s*(\d{{1,4}})(?:\s*(?:av|of|/)\s*\d{{1,4}})?{_DECORATION}$",
    re.IGNORECASE,
)
_BARE_PAGE_NUMBER = re.compile(
    rf"^{_DECORATION}(\d{{1,4}})(?:\s*(?:av|of|/)\s*\d{{1,4}})?{_DECORATION}$", re.IGNORECASE
)
_FURNITURE_MIN_REPEATS = 3
_FURNITURE_MIN_GAP = 8
_PAGE_NUMBER_MIN_GAP = 8
_EDGE_LINES = 2
_FURNITURE_SHARE = 0.2
_PAGE_LENGTH_SPREAD = 2.5


def _could_be_furniture(text: str, label: re.Pattern[str]) -> bool:
    """Could this line be a running header or footer (rather than something said)?"""
    stripped = " ".join(text.split())
    if not 3 <= len(stripped) <= 100 or len(stripped.split()) > 12:
        return False
    letters = [ch for ch in stripped if ch.isalpha()]
    if not letters or label.match(text):
        return False
    if letters[0].islower() and not any(ch.isdigit() for ch in stripped):
        return False  # a running title starts with a capital letter or has a number
    if stripped[-1] in _SENTENCE_END + ":;," or stripped[0] in "-–—":
        return False
    if stripped[0] in "[(" and stripped[-1] in "])":
        return False
    return not any(ch in stripped for ch in '«»“”"„')


def _drop_page_furniture(lines: list[_Line], log: _Log, label: re.Pattern[str]) -> bool:
    count = len(lines)
    removed: dict[int, tuple[str, str]] = {}
    cuts = {i for i, line in enumerate(lines) if line.page_start}
    if cuts:
        cuts.update((0, count))

    # Page numbers.
    worded: list[tuple[int, int]] = []
    bare: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        if match := _WORDED_PAGE_NUMBER.match(line.text):
            worded.append((i, int(match.group(1))))
        elif match := _BARE_PAGE_NUMBER.match(line.text):
            bare.append((i, int(match.group(1))))
    if len(worded) >= 2:
        for i, _ in worded:
            removed[i] = ("page-number", f"Removed the page number “{lines[i].text.strip()}”.")
    if _looks_like_page_numbers(bare) or (
        len(bare) >= 2 and cuts and all(_at_page_edge(lines, i, cuts, set()) for i, _ in bare)
    ):
        for i, _ in bare:
            removed[i] = ("page-number", f"Removed the page number “{lines[i].text.strip()}”.")

    # Running headers and footers that repeat word for word.
    groups: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if i not in removed and _could_be_furniture(line.text, label):
            key = re.sub(r"\d+", "#", " ".join(line.text.split()).casefold())
            groups.setdefault(key, []).append(i)
    exact: dict[str, list[int]] = {}
    repeated: dict[int, tuple[str, str]] = {}
    for key, members in groups.items():
        if len({" ".join(lines[i].text.split()) for i in members}) == 1:
            exact[key] = members
            if len(members) >= _FURNITURE_MIN_REPEATS and _recurs_like_pages(members):
                _mark_furniture(lines, members, repeated, numbered=False)
    # Headers and footers are a small part of a page; when "furniture" would take much more
    # than that, the lines are text that repeats, not furniture, so keep it all.
    filled = sum(1 for line in lines if line.text.strip())
    if len(repeated) <= _FURNITURE_SHARE * filled:
        removed.update(repeated)

    # Headers next to page breaks, possibly with a changing page number: at most one per page
    # (two for a fixed text, which may be both header and footer).
    page_cuts = set(cuts)
    for i, (kind, _) in removed.items():
        cuts.update((i, i + 1))
        if kind == "page-number":
            page_cuts.update((i, i + 1))
    if cuts:
        cuts.update((0, count))
        page_starts = sorted(page_cuts)
        excluded = set(removed)
        near_breaks: dict[int, tuple[str, str]] = {}
        for key, members in groups.items():
            if members[0] in removed or len(members) < 2:
                continue
            per_page = Counter(bisect_right(page_starts, i) for i in members)
            if max(per_page.values()) > (2 if key in exact else 1):
                continue
            if all(_at_page_edge(lines, i, cuts, excluded) for i in members):
                _mark_furniture(lines, members, near_breaks, numbered=key not in exact)
        # The same limit: on very short pages every line is near a page break.
        if len(near_breaks) <= _FURNITURE_SHARE * filled:
            removed.update(near_breaks)

    if not removed:
        return False
    for i in sorted(removed):
        kind, description = removed[i]
        text = lines[i].text.strip()
        log.add(kind, lines[i].orig, text, "", description)
    _remove_lines_and_page_gaps(lines, set(removed), log)
    return True


def _mark_furniture(
    lines: list[_Line], members: list[int], removed: dict[int, tuple[str, str]], numbered: bool
) -> None:
    pages = _plural(len(members), "page")
    for i in members:
        text = " ".join(lines[i].text.split())
        if numbered:
            description = (
                f"Removed “{text}”, a page header or footer that repeats with the page number on "
                f"{pages}."
            )
        else:
            description = f"Removed “{text}”, a page header or footer that repeats on {pages}."
        removed[i] = ("page-header", description)


def _recurs_like_pages(members: list[int]) -> bool:
    """Far apart and at a fairly steady distance, as a header is once a page."""
    gaps = [b - a for a, b in pairwise(members)]
    return min(gaps) >= _FURNITURE_MIN_GAP and max(gaps) <= _PAGE_LENGTH_SPREAD * min(gaps)


def _looks_like_page_numbers(found: list[tuple[int, int]]) -> bool:
    """Bare numbers that rise through the text about a page apart."""
    if len(found) < _FURNITURE_MIN_REPEATS:
        return False
    pairs = list(pairwise(found))
    rising = sum(1 for (_, a), (_, b) in pairs if b > a)
    gaps = [j - i for (i, _), (j, _) in pairs]
    return rising >= 0.8 * len(pairs) and median(gaps) >= _PAGE_NUMBER_MIN_GAP


def _at_page_edge(lines: list[_Line], index: int, cuts: set[int], excluded: set[int]) -> bool:
    """True when at most two lines of text stand between this line and a page break.

    A cut `c` is a page break just before line `c` (`len(lines)` is the end of the text).
    """

    def counts(j: int) -> bool:
        return j not in excluded and bool(lines[j].text.strip())

    between, j = 0, index
    while j not in cuts and between <= _EDGE_LINES:
        j -= 1
        if j < 0:
            break
        between += counts(j)
    if j in cuts and between <= _EDGE_LINES:
        return True
    between, j = 0, index + 1
    while j not in cuts and between <= _EDGE_LINES:
        if j >= len(lines):
            break
        between += counts(j)
        j += 1
    return j in cuts and between <= _EDGE_LINES


def _remove_lines_and_page_gaps(lines: list[_Line], removed: set[int], log: _Log) -> None:
    """Drop removed lines; where a page break split a paragraph, drop the blank lines too."""
    out: list[_Line] = []
    i = 0
    count = len(lines)
    while i < count:
        if i not in removed and lines[i].text.strip():
            out.append(lines[i])
            i += 1
            continue
        # A stretch of blank and removed lines.
        j = i
        while j < count and (j in removed or not lines[j].text.strip()):
            j += 1
        stretch = range(i, j)
        if not any(k in removed for k in stretch):
            out.extend(lines[i:j])
            i = j
            continue
        removed_at = [k for k in stretch if k in removed]
        blank_before = [k for k in stretch if k < removed_at[0]]
        blank_after = [k for k in stretch if k > removed_at[-1] and k not in removed]
        previous = out[-1] if out and out[-1].text.strip() else None
        following = lines[j] if j < count else None
        if previous is None or following is None:
            keep: list[int] = blank_before
        elif _ends_mid_sentence(previous.text, following.text):
            keep = []
            blanks = [k for k in stretch if k not in removed]
            if blanks:
                log.add(
                    "page-break",
                    lines[blanks[0]].orig,
                    f"{_tail(previous.text)}\n\n{_head(following.text)}",
                    f"{_tail(previous.text)}\n{_head(following.text)}",
                    "Removed the blank lines a page break left in the middle of a paragraph.",
                )
        else:
            keep = max(blank_before, blank_after, key=len)
        out.extend(lines[k] for k in keep)
        i = j
    lines[:] = out


# ---------------------------------------------------------------------------------------------
# Words hyphenated across a line break

_CONJUNCTIONS = frozenset({"og", "eller", "enn", "samt", "til", "and", "or", "nor", "to"})
_HYPHEN_PREFIXES = frozenset({"ikke", "self", "anti", "pro", "post", "pre", "non"})
_HYPHEN_SECOND_PARTS = frozenset(
    {"based", "related", "level", "term", "oriented", "specific", "friendly", "wide", "led"}
)


@dataclass(frozen=True, slots=True)
class _Join:
    keep_hyphen: bool
    reason: str


def _join_decision(before: str, word: str, after_first: str) -> _Join | None:
    """Whether (and how) `before-` at a line end joins the first word of the next line.

    `before` is the word part before the hyphen, `word` the letters that start the next line,
    `after_first` the first character of the next line.
    """
    category = unicodedata.category(after_first)
    if category == "Nd":
        return _Join(True, "the part after the line break starts with a digit")
    if category not in {"Ll", "Lu", "Lt"}:
        return None
    folded = before.casefold()
    if category in {"Lu", "Lt"}:
        if before[0].isupper() or any(ch.isdigit() for ch in before) or folded in _HYPHEN_PREFIXES:
            return _Join(True, "the part after the line break starts with a capital letter")
        return None  # an ordinary word, then a capital: a dash before a new sentence
    if word.casefold() in _CONJUNCTIONS and len(word) <= 5:
        return None
    if any(ch.isdigit() for ch in before):
        return _Join(True, f"“{before}” contains a digit")
    if len(before) >= 2 and before.isupper():
        return _Join(True, f"“{before}” is an abbreviation in capitals")
    if len(before) == 1:
        return _Join(True, f"“{before}-” is a single letter")
    if folded in _HYPHEN_PREFIXES:
        return _Join(True, f"“{before}-” is a prefix written with a hyphen")
    if word.casefold() in _HYPHEN_SECOND_PARTS:
        return _Join(True, f"“-{word}” is usually written with a hyphen")
    return _Join(False, "")


def _join_split_words(lines: list[_Line], log: _Log, label: re.Pattern[str]) -> bool:
    changed = False
    i = 0
    while i < len(lines):
        current = lines[i]
        text = current.text
        soft = text.endswith("\u00ad")
        if not (soft or (text.endswith("-") and not text.endswith("--"))):
            i += 1
            continue
        head = text.rstrip("\u00ad") if soft else text[:-1]
        fragment_start = len(head)
        while fragment_start > 0 and head[fragment_start - 1].isalnum():
            fragment_start -= 1
        before = head[fragment_start:]
        following = lines[i + 1] if i + 1 < len(lines) else None
        decision: _Join | None = None
        token = ""
        if (
            before
            and following is not None
            and following.text.strip()
            and not label.match(following.text)
        ):
            token = following.text.split()[0]
            word = re.match(r"[^\W\d_]*", token)
            assert word is not None
            if soft and unicodedata.category(token[0]) in {"Ll", "Lu", "Lt"}:
                decision = _Join(False, "")
            elif not soft:
                decision = _join_decision(before, word.group(), token[0])
        if decision is None:
            if soft:
                current.text = head.rstrip()
                log.add(
                    "soft-hyphen",
                    current.orig,
                    _tail(text),
                    _tail(current.text),
                    "Removed a soft hyphen (U+00AD) at the end of the line.",
                )
                changed = True
                continue
            i += 1
            continue
        assert following is not None
        joined = (text if decision.keep_hyphen else head) + token
        indent = following.text[: len(following.text) - len(following.text.lstrip())]
        rest = following.text.lstrip()[len(token) :].lstrip()
        whole = (before + "-" if decision.keep_hyphen else before) + token
        if decision.keep_hyphen:
            kind = "line-break-compound"
            description = (
                f"Joined “{before}-” and “{token}” across a line break into “{whole}”, keeping "
                f"the hyphen because {decision.reason}."
            )
        else:
            kind = "line-break-hyphen"
            how = "at a soft hyphen" if soft else "at the end of the line"
            description = (
                f"Joined “{before}-” and “{token}” into “{whole}”: the word was split {how}."
            )
            if before[0].isupper() and not soft:
                description += (
                    " If this is a name followed by a word (as in Oslo-området), put the "
                    "hyphen back."
                )
        log.add(kind, current.orig, f"{_tail(text)}\n{token}", _tail(joined), description)
        current.text = joined
        if rest:
            following.text = indent + rest
        else:
            del lines[i + 1]
        changed = True
        # Stay on this line: the joined word may itself end in a hyphen.
    return changed


# ---------------------------------------------------------------------------------------------
# Warnings

_TOKEN = re.compile(r"\S+")
_GLUED_NUMBER = re.compile(r"^([^\W\d_]{3,}?)\.?([0-9]{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})$")
_TYPOGRAPHIC_QUOTES = "“”„"


def _warnings(lines: Sequence[_Line]) -> list[Change]:
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
            context = _clip(line.text, max(0, start - 12), end + 12)
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
                _head(first.text, 40),
                _head(first.text, 40),
                f"The text uses typographic quotation marks (“ ”) on "
                f"{_plural(len(quoted), 'line')}. They were kept as written.",
            )
        )
    return sorted(found, key=lambda c: c.line)


# ---------------------------------------------------------------------------------------------
# The report

_ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with a byte-order mark",
    "utf-16-le": "UTF-16 (little-endian)",
    "utf-16-be": "UTF-16 (big-endian)",
    "utf-32-le": "UTF-32 (little-endian)",
    "utf-32-be": "UTF-32 (big-endian)",
    "cp1252": "Windows-1252 (Western European)",
}
_SHOWN_AS_CODE = {"\u00a0", "\u202f", "\u2007", "\u00ad", "\u200b", "\u2060", "\ufeff"}


def _visible(text: str) -> str:
    """Make line breaks, tabs and invisible characters visible in a report."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append("↵")
        elif ch == "\t":
            out.append("→")
        elif ch in _SHOWN_AS_CODE or _is_control(ch) or unicodedata.category(ch) in {"Zs", "Co"}:
            out.append(ch if ch == " " else f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def _code(text: str) -> str:
    """`text` as a Markdown code span, whatever backticks it contains."""
    text = _visible(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def format_report(
    path: str | PathLike[str],
    encoding: str,
    changes: Sequence[Change],
    warnings: Sequence[Change] = (),
    *,
    max_per_kind: int | None = None,
) -> str:
    """A Markdown report of what cleaning did to one file, for the researcher.

    Args:
        path: the imported file.
        encoding: the encoding `decode_bytes` found.
        changes: the changes (`CleanResult.changes`). Warnings found among them are listed
            with the warnings.
        warnings: things left as written (`CleanResult.warnings`).
        max_per_kind: list at most this many changes of one kind, then only their line
            numbers (all of them by default).

    Returns:
        The report: the file, its encoding, then the changes grouped by kind with a count per
        kind and one line per change giving the line of the original file.
    """
    made = [c for c in changes if not c.is_warning]
    noticed = [c for c in changes if c.is_warning] + list(warnings)
    label = _ENCODING_LABELS.get(encoding.lower())
    shown_encoding = f"{encoding} ({label})" if label else encoding
    out = [
        "# Import report",
        "",
        f"- File: {path}",
        f"- Encoding: {shown_encoding}",
        f"- Changes: {len(made)}" + (f" of {_plural(len(_kinds(made)), 'kind')}" if made else ""),
        f"- Left as written, worth a look: {len(noticed)}",
        "",
        "Line numbers refer to the original file.",
    ]
    if not made:
        out += ["", "No changes were needed."]
    out += _report_groups(made, max_per_kind)
    if noticed:
        out += ["", "## Left as written, worth a look"]
        out += _report_groups(noticed, max_per_kind, level="###")
    return "\n".join(out) + "\n"


def _kinds(changes: Sequence[Change]) -> list[str]:
    order = {kind: i for i, kind in enumerate(KIND_TITLES)}
    return sorted({c.kind for c in changes}, key=lambda k: (order.get(k, len(order)), k))


def _report_groups(
    changes: Sequence[Change], max_per_kind: int | None, level: str = "##"
) -> list[str]:
    out: list[str] = []
    for kind in _kinds(changes):
        group = sorted((c for c in changes if c.kind == kind), key=lambda c: c.line)
        title = KIND_TITLES.get(kind, kind)
        out += ["", f"{level} {title} ({len(group)})", ""]
        shown = group if max_per_kind is None else group[:max_per_kind]
        for change in shown:
            line = f"- line {change.line}: {change.description}"
            if not change.after:
                if change.before not in change.description:
                    line += f" Removed: {_code(change.before)}"
            elif change.before != change.after:
                line += f" {_code(change.before)} → {_code(change.after)}"
            elif change.kind == "glued-footnote":
                line += f" {_code(change.before)}"
            out.append(line)
        rest = group[len(shown) :]
        if rest:
            numbers = ", ".join(str(c.line) for c in rest)
            out.append(f"- … and {len(rest)} more, on lines {numbers}")
    return out
