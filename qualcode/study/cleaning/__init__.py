"""Cleaning the text of an imported transcript, and saying what was changed.

Transcripts and reports often reach a study as text pulled out of a PDF or a Word file. That text
carries traces of its layout: non-breaking spaces, words hyphenated at the end of a line, page
headers and page numbers in the middle of a quote, bullets drawn with symbol fonts, a blank line
after every line. This package removes those traces and reports every change with the line of the
original file it was made on, so a researcher can check it against the source.

The functions here are pure: they know nothing about the study folder and never touch files.

- `decode_bytes` turns the bytes of a text file into a string and names the encoding it found.
- `clean_text` cleans a string and returns a `CleanResult` (the text, the changes made, and
  warnings about things it noticed but left alone).
- `format_report` writes the changes as a short Markdown report for the researcher.

Each step has its own module, which describes what it does:

- `decoding`: bytes to text, and which encoding they were in;
- `lines`: line endings, form feeds and line separators;
- `characters`: invisible, private-use and control characters, special spaces and hyphens,
  ligatures, bullets, NFC and spaces at the end of lines;
- `blank_lines`: a blank line after every line;
- `pages`: page headers, footers and page numbers;
- `hyphenation`: words hyphenated across a line break;
- `notices`: footnote numbers glued to words and typographic quotation marks, left as written;
- `report`: the changes and the Markdown report.

What cleaning never touches, because a quote must keep it exactly: guillemets « », anonymising
placeholders such as `[navn]`, `(navn)` and `[kommunenavn]`, omissions `(…)`, `(...)` and `[…]`,
the letters æ ø å, typographic quotation marks “ ”, en and em dashes, and tabs inside a line.

Cleaning is idempotent: cleaning its own output changes nothing and reports no changes (it may
repeat its warnings, since the text still contains what they are about).
"""

from __future__ import annotations

import re

from qualcode.study.cleaning.blank_lines import collapse_doubled_blank_lines
from qualcode.study.cleaning.characters import fix_bullets_and_nfc, fix_characters
from qualcode.study.cleaning.decoding import decode_bytes
from qualcode.study.cleaning.hyphenation import join_split_words
from qualcode.study.cleaning.lines import split_at_breaks, split_lines
from qualcode.study.cleaning.notices import find_warnings
from qualcode.study.cleaning.pages import drop_page_furniture
from qualcode.study.cleaning.report import (
    KIND_TITLES,
    WARNING_KINDS,
    Change,
    ChangeLog,
    CleanResult,
    format_report,
)
from qualcode.study.speakers import SpeakerLabels

__all__ = [
    "KIND_TITLES",
    "WARNING_KINDS",
    "Change",
    "CleanResult",
    "clean_text",
    "decode_bytes",
    "format_report",
]

_DEFAULT_SPEAKER_LABEL = r"^[ \t]*[A-ZÆØÅ][\wÆØÅæøå .\-]{0,40}?:[ \t]"
_MAX_ROUNDS = 8
"""Rounds of the line-level steps at most; each round may make room for the next."""


def clean_text(
    text: str,
    *,
    speaker_pattern: str | re.Pattern[str] | None = None,
    language: str = "nb",
) -> CleanResult:
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
    label = SpeakerLabels(speaker_pattern or _DEFAULT_SPEAKER_LABEL)
    log = ChangeLog()
    lines = split_at_breaks(split_lines(text, log), log)
    fix_characters(lines, log)
    for _ in range(_MAX_ROUNDS):
        changed = collapse_doubled_blank_lines(lines, log, label)
        changed = drop_page_furniture(lines, log, label) or changed
        changed = join_split_words(lines, log, label, language) or changed
        changed = fix_bullets_and_nfc(lines, log) or changed
        if not changed:
            break
    logged = log.sorted()
    noticed = [c for c in logged if c.is_warning] + find_warnings(lines)
    return CleanResult(
        text="\n".join(line.text for line in lines),
        changes=[c for c in logged if not c.is_warning],
        warnings=sorted(noticed, key=lambda c: c.line),
    )
