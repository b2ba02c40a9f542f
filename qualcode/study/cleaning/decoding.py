"""Turning the bytes of a text file into a string, and naming the encoding that was found.

Transcripts arrive as UTF-8, as UTF-16 from Word's "Unicode text", and as the older Windows, DOS
and Mac code pages Norwegian files were written in. A byte-order mark is trusted; otherwise UTF-8
is tried before the single-byte code pages, and a code page is rejected when it reads æ ø å as
symbols (`m›tte`). Binary data and files that mix encodings are refused with a hint on how to
save the file as UTF-8.
"""

from __future__ import annotations

import codecs
import re
from itertools import pairwise
from os import PathLike

from qualcode.errors import ImportFileError
from qualcode.study.cleaning.text import is_control

ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with a byte-order mark",
    "utf-16-le": "UTF-16 (little-endian)",
    "utf-16-be": "UTF-16 (big-endian)",
    "utf-32-le": "UTF-32 (little-endian)",
    "utf-32-be": "UTF-32 (big-endian)",
    "cp1252": "Windows-1252 (Western European)",
}
"""Plain names for the encodings `decode_bytes` names itself."""

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
                    f"The file starts with a {ENCODING_LABELS[name]} byte-order mark, but the "
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
        if _reads_well(text):
            return text, "cp1252"

    nordic = _decode_legacy_nordic(data)
    if nordic is not None:
        return nordic
    detected = _detect_with_charset_normalizer(data)
    if detected is not None:
        return detected
    _require_text(data.decode("latin-1"), path)
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


def _decode_legacy_nordic(data: bytes) -> tuple[str, str] | None:
    """Old DOS and Mac code pages that Norwegian files were written in, when one of them reads
    the non-ASCII bytes as letters and punctuation a Norwegian or English text uses."""
    best: tuple[float, str, str] | None = None
    for codec in _LEGACY_NORDIC:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if not _reads_well(text):
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
    if not _reads_well(text):
        return None
    return text, best.encoding


def _reads_well(text: str) -> bool:
    """True for a decoding that gives plain text with no symbols standing in for letters."""
    return _is_plain_text(text) and not _looks_misread(text)


def _is_plain_text(text: str) -> bool:
    """False for text with NUL or more than a few other control characters (binary data)."""
    if "\x00" in text:
        return False
    body = text.rstrip("\x1a")  # an old end-of-file marker
    controls = sum(1 for ch in body if is_control(ch) and ch not in "\t\n\r\f\v\x85")
    return controls <= max(2, len(body) // 500)


def _looks_misread(text: str) -> bool:
    """True when symbols stand where Norwegian letters should be, as in `m›tte`."""
    suspicious = sum(
        1 for before, ch in pairwise(text) if ch in _MISREAD_AFTER_LETTER and before.isalpha()
    )
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return suspicious >= 2 and suspicious >= 0.1 * non_ascii


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
