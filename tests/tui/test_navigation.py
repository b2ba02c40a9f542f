"""Moving through a transcript: units, selections, codings, uncoded turns, filters, search."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    assert text[anchor:cursor] == "Det ene er at vi trenger folk."
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


# -- selections never take in a speaker's label ------------------------------------------------

STEPS = st.lists(st.tuples(st.sampled_from(["word", "sentence", "paragraph", "turn"]),
                           st.booleans()), min_size=1, max_size=12)


@pytest.fixture(scope="module")
def focus_group(tmp_path_factory) -> object:
    """The test study's focus group: many short turns, so many labels to run into."""
    root = tmp_path_factory.mktemp("navigation") / "study"
    shutil.copytree(Path(__file__).parent / "study", root)
    return Study.open(root).transcript("t02-fokusgruppe")


def label_spans(transcript) -> list[tuple[int, int]]:
    """Where each speaker label is (from the label to the spoken words after it)."""
    return [(t.label_start, t.start) for t in transcript.turns if t.label_start < t.start]


def ends_on_a_label(transcript, start: int, end: int) -> bool:
    """Whether a passage starts in a label or ends in one (that is: takes in a speaker's name
    without any of what that speaker said)."""
    return any(a <= start < b or a < end <= b for a, b in label_spans(transcript))


def test_shrinking_a_selection_by_turn_leaves_out_the_next_speakers_label(transcript) -> None:
    nav = Navigator(transcript)
    first = next(t for t in transcript.turns if not t.is_interviewer)
    anchor, cursor = nav.extend(first.start, first.start, "turn")
    anchor, cursor = nav.extend(anchor, cursor, "turn")
    anchor, cursor = nav.extend(anchor, cursor, "turn", forward=False)
    assert (anchor, cursor) == (first.start, first.end)
    assert transcript.text[anchor:cursor].split()[-1] != "I:"


def test_trim_keeps_a_passage_to_what_was_said(transcript) -> None:
    nav = Navigator(transcript)
    first, second = transcript.turns[1], transcript.turns[2]
    assert nav.trim(first.start, second.start) == (first.start, first.end)
    assert nav.trim(first.start, second.label_start + 1) == (first.start, first.end)
    assert nav.trim(second.label_start, second.start + 5) == (second.start, second.start + 5)
    start, end = nav.trim(second.label_start, second.start)
    assert start == end  # only a label: nothing to code


@settings(max_examples=150, deadline=None)
@given(where=st.floats(0, 1), steps=STEPS)
def test_a_selection_never_ends_on_a_speaker_label(focus_group, where: float, steps) -> None:
    transcript = focus_group
    nav = Navigator(transcript)
    cursor = anchor = int(where * len(transcript.text))
    for unit, forward in steps:
        anchor, cursor = nav.extend(anchor, cursor, unit, forward)
        if anchor != cursor:
            start, end = min(anchor, cursor), max(anchor, cursor)
            assert not ends_on_a_label(transcript, start, end), transcript.text[start:end]
            assert not ends_on_a_label(transcript, *nav.trim(start, end))


@settings(max_examples=150, deadline=None)
@given(where=st.floats(0, 1), unit=st.sampled_from(["word", "sentence", "paragraph", "turn"]),
       forward=st.booleans(), grow=st.integers(1, 6))
def test_shrinking_undoes_growing(focus_group, where: float, unit: str, forward: bool,
                                  grow: int) -> None:
    nav = Navigator(focus_group)
    cursor = anchor = int(where * len(focus_group.text))
    states = [nav.extend(anchor, cursor, unit, forward)]
    for _ in range(grow):
        states.append(nav.extend(*states[-1], unit, forward))
    for earlier, later in zip(reversed(states[:-1]), reversed(states[1:]), strict=True):
        if earlier != later:  # it grew (it stops at either end of the transcript)
            assert nav.extend(*later, unit, not forward) == earlier
