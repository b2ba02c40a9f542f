"""A blank line after every line.

Text from some PDF tools has an empty line after every line, so paragraphs cannot be told apart.
When nearly every line is followed by exactly one blank line and many of those blank lines fall in
the middle of a sentence, the document is taken to be doubled: the single blank lines are removed,
a run of two or more becomes one paragraph break, and a blank line is kept before a speaker label.
When there are no longer runs, a short line that ends a sentence also ends its paragraph.
"""

from __future__ import annotations

from itertools import pairwise
from statistics import median

from qualcode.study.cleaning.excerpts import excerpts_across_gap
from qualcode.study.cleaning.lines import Line
from qualcode.study.cleaning.report import ChangeLog
from qualcode.study.cleaning.text import SENTENCE_END, ends_mid_sentence
from qualcode.study.speakers import SpeakerLabels
from qualcode.wording import plural


def collapse_doubled_blank_lines(lines: list[Line], log: ChangeLog, label: SpeakerLabels) -> bool:
    """Remove the blank line after every line, if the text has one; True if it did."""
    filled = [i for i, line in enumerate(lines) if line.text.strip()]
    if len(filled) < 4:
        return False
    gaps = [(a, b, b - a - 1) for a, b in pairwise(filled)]
    adjacent = sum(1 for *_, gap in gaps if gap == 0)
    single = [(a, b) for a, b, gap in gaps if gap == 1]
    if adjacent > 0.1 * len(gaps) or len(single) < 0.5 * len(gaps):
        return False
    mid_sentence = sum(1 for a, b in single if ends_mid_sentence(lines[a].text, lines[b].text))
    if mid_sentence < 2 or mid_sentence < 0.3 * len(single):
        return False
    has_paragraph_marks = any(gap >= 2 for *_, gap in gaps)
    typical = median(len(lines[i].text) for i in filled)

    keep: list[Line] = lines[: filled[0] + 1]
    removed = paragraphs = 0
    first_removed: tuple[Line, Line, Line] | None = None
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
                previous[-1] in SENTENCE_END + '»”")'
                and len(previous) < 0.8 * typical
                and not ends_mid_sentence(previous, lines[b].text)
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
        *excerpts_across_gap(above.text, below.text),
        "The file had a blank line after every line of text. Removed "
        f"{plural(removed, 'of these blank lines', 'of these blank lines')} and kept "
        f"{plural(paragraphs, 'paragraph break')}.",
    )
    lines[:] = keep
    return True
