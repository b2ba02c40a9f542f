"""The export library's messages in the export dialog's words.

The library answers a mistake in terms of the command line (`--group-by`, `--codes`, the
codebook's `- id:` lines). In the dialog the same mistake is named by the field the researcher
typed it in, so the message says where to put it right.
"""

from __future__ import annotations

import re

from qualcode.errors import QualcodeError

FIELDS = {
    "--group-by": "Group by",
    "--where": "Filters",
    "--codes": "Codes",
    "--coders": "Coders",
    "--coder": "Coders",
    "--transcripts": "Transcripts",
    "--min-words": "words at least",
    "--context": "sentences of context",
}
"""Command-line options -> the dialog's fields."""

SENTENCES = [
    (re.compile(r"Use e\.g\. `--coder ([^`]+)`, or `--coders ([^`]+)` for several\."),
     lambda m: f"Type e.g. {m[1]} in Coders, or {m[2].replace(',', ', ')} for several."),
    (re.compile(r"Choose codes with `--codes`, not `--where code=\.\.\.`\."),
     lambda m: "Choose codes in the Codes field, not with a code=… filter."),
    (re.compile(r"e\.g\. `--codes ([^`]+)`\."),
     lambda m: f"e.g. {m[1].replace(',', ', ')} in Codes."),
    (re.compile(r"The ids are the `- id:` lines of the files in codebooks/; add the code to "
                r"one of them if it is missing\."),
     lambda m: "The codebook (F2) shows every code's id; a code that is missing is added to a "
     "file in codebooks/."),
    (re.compile(r"; `qualcode check` lists them\."),
     lambda m: ", as the list of transcripts shows them."),
    (re.compile(r" \(`qualcode open`\)"), lambda m: ""),
]
"""Whole sentences that only make sense on the command line, and what the dialog says."""

OPTION = re.compile(r"`?(" + "|".join(sorted(map(re.escape, FIELDS), key=len, reverse=True))
                    + r")`?(?![\w-])")


def in_dialog_words(text: str) -> str:
    """`No informant has the attribute `rolle` (in --group-by).` -> `... (in Group by).`"""
    for pattern, replace in SENTENCES:
        text = pattern.sub(replace, text)
    return OPTION.sub(lambda m: FIELDS[m[1]], text)


def for_the_dialog(error: QualcodeError) -> QualcodeError:
    """The same error (same kind, same file and line), told in the dialog's words."""
    return type(error)(in_dialog_words(error.message), path=error.path, line=error.line,
                       column=error.column,
                       hint=in_dialog_words(error.hint) if error.hint else None)
