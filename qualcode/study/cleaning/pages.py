"""Page headers, footers and page numbers.

A page number alone on a line (`12`, `- 12 -`, `Side 3 av 40`, `Page 3`) is removed when it
recurs: with the word side/page at least twice, as a bare number at least three times, rising
and roughly a page apart. A short line (a report title, a running header) is removed when it
recurs unchanged at least three times, at least eight lines apart and at a fairly steady
distance (as pages are), or at least twice and every time next to a page break (a form feed in
the text, or a page number that was removed); next to page breaks it may also carry a changing
page number. Text pasted from Word or a PDF seldom has form feeds, so a short line that recurs at
least three times with only a page number changing (`Fokusgruppe NAV Vestland – side 3`,
`Rapport – page 3`, `Rapport 3/12`, `Rapport - 3 -`), the number rising, is removed wherever it
stands; when only some number changes (`Tema 3`) or the page numbers do not rise, the line is kept
and listed as worth a look. Lines that look like speech are never treated as headers: lines starting with a
speaker label such as `I:` or `A:`, lines ending in sentence punctuation, lines in brackets,
lines with quotation marks, and lines starting with a lower-case word. Nor is anything removed
when the would-be headers make up more than a fifth of the lines: then the repeated lines are
text. When a header sat in the middle of a paragraph, the blank lines the page break left behind
are removed too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from itertools import pairwise
from statistics import median

from qualcode.study.cleaning.excerpts import excerpts_across_gap
from qualcode.study.cleaning.lines import Line
from qualcode.study.cleaning.report import ChangeLog
from qualcode.study.cleaning.text import SENTENCE_END, ends_mid_sentence
from qualcode.study.speakers import SpeakerLabels
from qualcode.wording import joined, plural

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
_NUMBERED_HEADER_MIN_GAP = 3
"""Lines from one numbered header to the next at least: a page holds some text."""
_NUMBERED_HEADER_SHARE = 1 / 3
"""Numbered headers are at most this share of the lines of text: a page has two more lines."""
_NUMBER = re.compile(r"\d+")
_PAGE_WORD_BEFORE = re.compile(rf"(?:^|[^\w.]){_PAGE_WORD}\s*$", re.IGNORECASE)
_OF_PAGES_AFTER = re.compile(r"^\s*(?:av|of|/)\s*\d", re.IGNORECASE)
_DASH_BEFORE = re.compile(r"(?:^|\s)[-–—]\s*$")
_DASH_AFTER = re.compile(r"^\s*[-–—](?:\s|$)")
_PAGE_LENGTH_SPREAD = 2.5

_Removals = dict[int, tuple[str, str]]
"""Lines to remove, by index: the kind of change and its description."""


def drop_page_furniture(lines: list[Line], log: ChangeLog, label: SpeakerLabels) -> bool:
    """Remove page numbers and running headers and footers; True if any were removed."""
    count = len(lines)
    removed: _Removals = {}
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
    numbers = worded if len(worded) >= 2 else []
    if _looks_like_page_numbers(bare) or (
        len(bare) >= 2 and cuts and all(_at_page_edge(lines, i, cuts, set()) for i, _ in bare)
    ):
        numbers = numbers + bare
    for i, _ in numbers:
        removed[i] = ("page-number", f"Removed the page number “{lines[i].text.strip()}”.")

    # Running headers and footers that repeat word for word.
    groups: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if i not in removed and _could_be_furniture(line.text, label):
            key = re.sub(r"\d+", "#", _squeezed(line.text).casefold())
            groups.setdefault(key, []).append(i)
    exact: dict[str, list[int]] = {}
    repeated: _Removals = {}
    for key, members in groups.items():
        if len({_squeezed(lines[i].text) for i in members}) == 1:
            exact[key] = members
            if len(members) >= _FURNITURE_MIN_REPEATS and _recurs_like_pages(members):
                _mark_furniture(lines, members, repeated, numbered=False)
    filled = sum(1 for line in lines if line.text.strip())
    if _small_share(repeated, filled):
        removed.update(repeated)

    # Running headers and footers with a page number in them, without page breaks to go by.
    numbered_headers = _numbered_headers(lines, groups, exact, removed, filled, log)
    removed.update(numbered_headers)

    # Headers next to page breaks, possibly with a changing page number: at most one per page
    # (two for a fixed text, which may be both header and footer).
    page_cuts = set(cuts)
    for i, (kind, _) in removed.items():
        cuts.update((i, i + 1))
        if kind == "page-number" or i in numbered_headers:
            page_cuts.update((i, i + 1))
    if cuts:
        cuts.update((0, count))
        page_starts = sorted(page_cuts)
        excluded = set(removed)
        near_breaks: _Removals = {}
        for key, members in groups.items():
            if members[0] in removed or len(members) < 2:
                continue
            per_page = Counter(bisect_right(page_starts, i) for i in members)
            if max(per_page.values()) > (2 if key in exact else 1):
                continue
            if all(_at_page_edge(lines, i, cuts, excluded) for i in members):
                _mark_furniture(lines, members, near_breaks, numbered=key not in exact)
        # On very short pages every line is near a page break.
        if _small_share(near_breaks, filled):
            removed.update(near_breaks)

    if not removed:
        return False
    for i in sorted(removed):
        kind, description = removed[i]
        text = lines[i].text.strip()
        log.add(kind, lines[i].orig, text, "", description)
    _remove_lines_and_page_gaps(lines, set(removed), log)
    return True


def _squeezed(text: str) -> str:
    """`text` with every run of whitespace made one space, and none at either end."""
    return " ".join(text.split())


def _could_be_furniture(text: str, label: SpeakerLabels) -> bool:
    """Could this line be a running header or footer (rather than something said)?"""
    stripped = _squeezed(text)
    if not 3 <= len(stripped) <= 100 or len(stripped.split()) > 12:
        return False
    letters = [ch for ch in stripped if ch.isalpha()]
    if not letters or label.match(text):
        return False
    if letters[0].islower() and not any(ch.isdigit() for ch in stripped):
        return False  # a running title starts with a capital letter or has a number
    if stripped[-1] in SENTENCE_END + ":;," or stripped[0] in "-–—":
        return False
    if stripped[0] in "[(" and stripped[-1] in "])":
        return False
    return not any(ch in stripped for ch in '«»“”"„')


def _small_share(found: _Removals, filled: int) -> bool:
    """Headers and footers are a small part of a page; when "furniture" would take much more
    than that, the lines are text that repeats, not furniture, so keep it all."""
    return len(found) <= _FURNITURE_SHARE * filled


def _mark_furniture(
    lines: list[Line], members: list[int], removed: _Removals, numbered: bool
) -> None:
    repeats = "repeats with the page number on" if numbered else "repeats on"
    pages = plural(len(members), "page")
    for i in members:
        description = (
            f"Removed “{_squeezed(lines[i].text)}”, a page header or footer that {repeats} {pages}."
        )
        removed[i] = ("page-header", description)


def _numbered_headers(
    lines: list[Line],
    groups: dict[str, list[int]],
    exact: dict[str, list[int]],
    removed: _Removals,
    filled: int,
    log: ChangeLog,
) -> _Removals:
    """Lines that recur with only a page number changing, wherever they stand.

    A group of lines that differ in one number only is a running header or footer when that
    number is a page number (after `side` or `page`, as `3/12`, or as `- 3 -`) and rises from
    one to the next, and when a page holds at least two other lines. A group that is not
    that sure (another number, page numbers that do not rise, pages of a line or two) is kept
    and listed as worth a look.
    """
    found: _Removals = {}
    for key, members in groups.items():
        if key in exact or len(members) < _FURNITURE_MIN_REPEATS or members[0] in removed:
            continue
        if not _starts_like_a_title(lines[members[0]].text):
            continue  # `tekst på side 3 som ...` is running text
        changing = _changing_number(lines, members)
        if changing is None:
            continue
        numbers = [number for number, _ in changing]
        rising = all(b > a for a, b in pairwise(numbers))
        page_numbers = all(
            _is_page_number(lines[i].text, span)
            for i, (_, span) in zip(members, changing, strict=True)
        )
        apart = min(b - a for a, b in pairwise(members)) >= _NUMBERED_HEADER_MIN_GAP
        few = len(members) <= _NUMBERED_HEADER_SHARE * filled
        if rising and page_numbers and apart and few:
            _mark_furniture(lines, members, found, numbered=True)
        elif rising or page_numbers:
            _note_possible_header(lines, members, log)
    return found


def _starts_like_a_title(text: str) -> bool:
    """Does the line start as a running title does: with a capital letter, a number or a
    dash, not with a lower-case word?"""
    first = next((ch for ch in text if ch.isalnum() or ch in "-–—"), "")
    return bool(first) and not first.islower()


def _changing_number(
    lines: list[Line], members: list[int]
) -> list[tuple[int, tuple[int, int]]] | None:
    """For lines alike but for their numbers: the one number that changes from line to line, and
    where it stands in each line; None when no number or several numbers change."""
    found = [list(_NUMBER.finditer(lines[i].text)) for i in members]
    changing = [
        k for k in range(len(found[0])) if len({numbers[k].group() for numbers in found}) > 1
    ]
    if len(changing) != 1:
        return None
    k = changing[0]
    return [(int(numbers[k].group()), numbers[k].span()) for numbers in found]


def _is_page_number(text: str, span: tuple[int, int]) -> bool:
    """Is the number at `span` in `text` written as a page number: `side 3`, `3/12`, `- 3 -`?"""
    before, after = text[: span[0]], text[span[1] :]
    return bool(
        _PAGE_WORD_BEFORE.search(before)
        or _OF_PAGES_AFTER.match(after)
        or (_DASH_BEFORE.search(before) and _DASH_AFTER.match(after))
    )


def _note_possible_header(lines: list[Line], members: list[int], log: ChangeLog) -> None:
    where = joined(str(lines[i].orig) for i in members)
    first = _squeezed(lines[members[0]].text)
    log.add(
        "possible-page-header",
        lines[members[0]].orig,
        first,
        first,
        f"“{first}” stands alone on lines {where} with only a number changing, as a page "
        "header or footer does; it was kept. If it is one, delete those lines from the "
        "transcript in the study.",
    )


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


def _at_page_edge(lines: list[Line], index: int, cuts: set[int], excluded: set[int]) -> bool:
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


def _remove_lines_and_page_gaps(lines: list[Line], removed: set[int], log: ChangeLog) -> None:
    """Drop removed lines; where a page break split a paragraph, drop the blank lines too."""
    out: list[Line] = []
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
        elif ends_mid_sentence(previous.text, following.text):
            keep = []
            blanks = [k for k in stretch if k not in removed]
            if blanks:
                log.add(
                    "page-break",
                    lines[blanks[0]].orig,
                    *excerpts_across_gap(previous.text, following.text),
                    "Removed the blank lines a page break left in the middle of a paragraph.",
                )
        else:
            keep = max(blank_before, blank_after, key=len)
        out.extend(lines[k] for k in keep)
        i = j
    lines[:] = out
