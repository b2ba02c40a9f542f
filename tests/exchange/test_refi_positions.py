"""Selections mapped onto qualcode's canonical text, and the choice of how to read positions."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.exchange.positions import (
    Reading,
    SourceText,
    Span,
    Unplaced,
    choose_reading,
    resolve,
)
from qualcode.study.transcript import canonical_text


def test_crlf_nfd_trailing_spaces_and_blank_lines_are_mapped() -> None:
    raw = "\r\n  \r\nI: Hei  \r\nA: Cafe\u0301 og kaffe\u0301.  \r\nSlutt \r\n\r\n"
    source = SourceText.of(raw)
    assert source.body == unicodedata.normalize("NFC", raw.replace("\r\n", "\n"))
    assert source.text == canonical_text(raw)
    start, end = raw.index("kaffe"), raw.index(".")
    a, b = source.map("raw", start, end)
    assert source.text[a:b] == "kaffé"
    lf = raw.replace("\r\n", "\n")
    a, b = source.map("lf", lf.index("Cafe"), lf.index(" og"))
    assert source.text[a:b] == "Café"


def test_a_selection_inside_a_merged_character_widens_to_the_whole_character() -> None:
    raw = "Cafe\u0301 her"
    source = SourceText.of(raw)
    accent = raw.index("\u0301")
    assert source.map("raw", accent, accent + 1) == (3, 4)


def test_selections_of_only_removed_spaces_are_refused_with_a_reason() -> None:
    source = SourceText.of("Linje en   \nLinje to")
    where = resolve(source, Span(8, 11), Reading())
    assert isinstance(where, Unplaced) and "only spaces" in where.reason and not where.damaged
    where = resolve(source, Span(5, 90), Reading())
    assert isinstance(where, Unplaced) and where.damaged
    assert "from position 5 to 90, but the text has only 20 characters" in where.reason
    where = resolve(source, Span(9, 4), Reading())
    assert isinstance(where, Unplaced) and where.damaged and "before it starts" in where.reason
    where = resolve(source, Span(4, 4), Reading())
    assert isinstance(where, Unplaced) and not where.damaged


_WORDS = st.sampled_from(["arbeid", "NAV", "Cafe\u0301", "å", "ø", "x1", "«sitat»", "(…)"])
_GAPS = st.sampled_from([" ", "  ", "\t", "\r\n", "\n", " \r\n", "\r\n\r\n", "  \n  "])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_WORDS, _GAPS), min_size=1, max_size=30), st.data())
def test_any_run_of_whole_words_maps_onto_the_same_words(pieces, data) -> None:
    raw = "".join(word + gap for word, gap in pieces)
    starts, ends, pos = [], [], 0
    for word, gap in pieces:
        starts.append(pos)
        ends.append(pos + len(word))
        pos += len(word) + len(gap)
    i = data.draw(st.integers(0, len(pieces) - 1))
    j = data.draw(st.integers(i, len(pieces) - 1))
    source = SourceText.of(raw)
    for basis in ("raw", "lf"):
        if basis == "raw":
            counted, s, e = raw, starts[i], ends[j]
        else:
            shift = [raw.count("\r\n", 0, p) for p in (starts[i], ends[j])]
            counted, s, e = raw.replace("\r\n", "\n"), starts[i] - shift[0], ends[j] - shift[1]
        a, b = source.map(basis, s, e)
        expected = unicodedata.normalize("NFC", counted[s:e].replace("\r\n", "\n"))
        assert source.text[a:b] == re.sub(r"[ \t]+\n", "\n", expected)


def _words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]


TEXT = (
    "I: Hvordan er samarbeidet med NAV?\n\n"
    "A: Det er liksom to ulike verdener, NAV og oss. Vi møtes aldri helt på midten.\n\n"
    "I: Hva tenker du om det?\n\n"
    "A: Jeg tror mye av problemet er at vi står for langt fra hverandre, rett og slett.\n"
)


def test_ends_one_short_of_a_word_are_read_as_inclusive() -> None:
    words = _words(TEXT)
    spans = [Span(words[i][0], words[i + 2][1] - 1) for i in range(0, 30, 3)]
    reading = choose_reading([(SourceText.of(TEXT), spans)])
    assert reading.inclusive and "inclusive" in reading.evidence
    source = SourceText.of(TEXT)
    a, b = resolve(source, spans[0], reading)
    assert TEXT[a:b] == "I: Hvordan er"


def test_exclusive_ends_and_a_few_stems_stay_exclusive() -> None:
    words = _words(TEXT)
    spans = [Span(words[i][0], words[i + 2][1]) for i in range(0, 30, 3)]
    spans.append(Span(words[5][0], words[5][1] - 1))  # a deliberate stem: `samarbei`
    reading = choose_reading([(SourceText.of(TEXT), spans)])
    assert not reading.inclusive
    assert choose_reading([(SourceText.of(TEXT), spans)], end="inclusive").inclusive


def test_positions_counted_over_crlf_are_recognised_either_way() -> None:
    raw = TEXT.replace("\n", "\r\n")
    source = SourceText.of(raw)
    words = _words(raw)
    spans_raw = [Span(words[i][0], words[i + 1][1]) for i in range(0, 30, 2)]
    reading = choose_reading([(source, spans_raw)])
    assert reading.basis == "raw" and "two characters" in reading.evidence
    lf = raw.replace("\r\n", "\n")
    spans_lf = [Span(s, e) for s, e in (_words(lf)[i][0:1] + (_words(lf)[i + 1][1],)
                                         for i in range(0, 30, 2))]
    reading = choose_reading([(source, spans_lf)])
    assert reading.basis == "lf" and "one character" in reading.evidence
    for span_raw, span_lf in zip(spans_raw, spans_lf, strict=True):
        assert resolve(source, span_raw, Reading("raw")) == resolve(source, span_lf, Reading("lf"))


def test_selection_names_count_as_evidence() -> None:
    raw = "ab\r\ncd\r\nef gh ij\r\n"
    source = SourceText.of(raw)
    # Positions counted with CR LF as one; only the name tells which reading is right.
    lf = raw.replace("\r\n", "\n")
    start = lf.index("gh")
    spans = [Span(start, start + 5, "gh ij")]
    assert choose_reading([(source, spans)]).basis == "lf"
