"""Moving through a transcript: units, selections, codings, uncoded turns, filters, search."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from qualcode.study import Study
from qualcode.study.navigation import (
    INTERVIEWER_ROLE,
    Navigator,
    codings_at,
    first_difference,
    next_coding,
    next_uncoded_turn,
    roles,
    search,
    turns_of_role,
    turns_with_codings,
)


@dataclass(frozen=True)
class Span:
    id: str
    start: int
    end: int
    code: str


@pytest.fixture
def transcript(study_path: Path):
    return Study.open(study_path).transcript("t01-bedrift")


def test_extending_by_word_sentence_and_turn(transcript) -> None:
    nav = Navigator(transcript)
    text = transcript.text
    start = text.index("Det ene er at")
    anchor, cursor = nav.extend(start, start, "word")
    assert text[anchor:cursor] == "Det"
    anchor, cursor = nav.extend(anchor, cursor, "word")
    assert text[anchor:cursor] == "Det ene"
    anchor, cursor = nav.extend(start + 2, start + 2, "sentence")
    assert text[anchor:cursor] == "Det ene er at vi trenger folk."
    anchor, cursor = nav.extend(anchor, cursor, "sentence")
    assert text[anchor:cursor].endswith("fått to søkere.")
    anchor, cursor = nav.extend(anchor, cursor, "sentence", forward=False)
    assert text[anchor:cursor] == "Det ene er at vi trenger folk. "
    assert text[slice(*nav.trim(anchor, cursor))] == "Det ene er at vi trenger folk."
    turn = transcript.turn_at(start)
    assert nav.extend(start, start, "turn") == (turn.start, turn.end)


def test_units_never_include_speaker_labels(transcript) -> None:
    nav = Navigator(transcript)
    starts, _ends = nav.spans("word")
    labels = {t.label_start for t in transcript.turns}
    assert not labels & set(starts)
    assert transcript.text[starts[0]:].startswith("Kan du")


def test_next_and_previous_coding_visit_codings_sharing_a_start_one_by_one() -> None:
    codings = [Span("b", 10, 30, "x"), Span("a", 10, 20, "y"), Span("c", 40, 50, "x")]
    first = next_coding(codings, 0)
    assert first.id == "a"
    assert next_coding(codings, 10, current="a").id == "b"
    assert next_coding(codings, 10, current="b").id == "c"
    assert next_coding(codings, 45, current="c") is None
    assert next_coding(codings, 45, forward=False).id == "c"
    assert next_coding(codings, 10, current="b", forward=False).id == "a"
    assert [c.id for c in codings_at(codings, 15)] == ["a", "b"]


def test_next_uncoded_turn_skips_the_interviewer_and_wraps(transcript) -> None:
    informant_turns = [t for t in transcript.turns if not t.is_interviewer]
    first, second = informant_turns[0], informant_turns[1]
    coded = [Span("a", first.start, first.start + 5, "x")]
    assert next_uncoded_turn(transcript, coded, 0) == second
    last = informant_turns[-1]
    everything_but_first = [Span(str(i), t.start, t.end, "x") for i, t in enumerate(informant_turns[1:])]
    assert next_uncoded_turn(transcript, everything_but_first, last.start) == first
    assert next_uncoded_turn(transcript, everything_but_first, last.start, wrap=False) is None
    assert next_uncoded_turn(transcript, [], 0, among={second.index}) == second


def test_roles_and_filters(transcript) -> None:
    assert roles(transcript) == [INTERVIEWER_ROLE, "Bedriftsleder"]
    interviewer = turns_of_role(transcript, INTERVIEWER_ROLE)
    assert interviewer == {t.index for t in transcript.turns if t.is_interviewer}
    turn = transcript.turns[3]
    assert turns_with_codings(transcript, [Span("a", turn.start + 1, turn.start + 4, "x")]) == {3}
    across = Span("b", transcript.turns[2].start, transcript.turns[3].start + 1, "x")
    assert turns_with_codings(transcript, [across]) == {2, 3}


def test_search_ignores_case_and_line_breaks() -> None:
    text = "Det er en time å kjøre.\nEn TIME\nå kjøre igjen."
    assert search(text, "en time å") == [(7, 16), (24, 33)]
    assert search(text, "   ") == []


def test_first_difference_points_at_what_changed() -> None:
    old = [Span("a", 5, 9, "x"), Span("b", 20, 30, "y")]
    new = [Span("a", 5, 9, "x"), Span("b", 18, 30, "y")]
    assert first_difference(old, new) == (18, 30)
    assert first_difference(old, old) is None
