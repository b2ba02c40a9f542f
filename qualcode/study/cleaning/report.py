"""What cleaning changed: the kinds of change, the record of each change, and the Markdown report
written for the researcher.

Every change carries the line of the original file it was made on, so a researcher can check it
against the source. Changes of a warning kind describe something noticed and left as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from os import PathLike

from qualcode.study.cleaning.decoding import ENCODING_LABELS
from qualcode.study.cleaning.text import is_control
from qualcode.wording import plural

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
    "hyphen-check": "Words joined across lines after a name",
    "possible-page-header": "Lines that may be page headers or footers",
    "glued-footnote": "Possible footnote numbers glued to words",
    "typographic-quote": "Typographic quotation marks",
    "empty-file": "A file without text",
}
"""Every kind of change, in the order a report lists them, with a heading for each."""

WARNING_KINDS = frozenset(
    {"hyphen-check", "possible-page-header", "glued-footnote", "typographic-quote", "empty-file"}
)
"""Kinds that describe something noticed and left as written, not a change to the text."""

_KIND_ORDER = {kind: i for i, kind in enumerate(KIND_TITLES)}


def kind_rank(kind: str) -> int:
    """The place of a kind in `KIND_TITLES`; unknown kinds come last."""
    return _KIND_ORDER.get(kind, len(_KIND_ORDER))


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


class ChangeLog:
    """The changes the cleaning steps make, collected as they are made."""

    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(self, kind: str, line: int, before: str, after: str, description: str) -> None:
        change = Change(kind, line, before, after, description)
        if change.is_warning and change in self.changes:
            return  # a later round of cleaning noticed the same thing again
        self.changes.append(change)

    def sorted(self) -> list[Change]:
        """The changes by original line, and by kind within a line."""
        return sorted(self.changes, key=lambda c: (c.line, kind_rank(c.kind)))


# ---------------------------------------------------------------------------------------------
# The Markdown report

_SHOWN_AS_CODE = {"\u00a0", "\u202f", "\u2007", "\u00ad", "\u200b", "\u2060", "\ufeff"}


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
    label = ENCODING_LABELS.get(encoding.lower())
    shown_encoding = f"{encoding} ({label})" if label else encoding
    out = [
        "# Import report",
        "",
        f"- File: {path}",
        f"- Encoding: {shown_encoding}",
        f"- Changes: {len(made)}" + (f" of {plural(len(_kinds(made)), 'kind')}" if made else ""),
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
    return sorted({c.kind for c in changes}, key=lambda k: (kind_rank(k), k))


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


def _code(text: str) -> str:
    """`text` as a Markdown code span, whatever backticks it contains."""
    text = _visible(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _visible(text: str) -> str:
    """Make line breaks, tabs and invisible characters visible in a report."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append("↵")
        elif ch == "\t":
            out.append("→")
        elif ch in _SHOWN_AS_CODE or is_control(ch) or unicodedata.category(ch) in {"Zs", "Co"}:
            out.append(ch if ch == " " else f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)
