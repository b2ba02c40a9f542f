"""Wrapping a transcript into screen lines, and finding text offsets from screen positions."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from qualcode.study import Study
from qualcode.tui.widgets.layout import GAP, HIDDEN, TEXT, TextLayout, wrap


@given(st.text(alphabet="abcæøå  日-", max_size=80), st.integers(min_value=1, max_value=20))
def test_wrapping_keeps_every_character_once_and_fits(text: str, width: int) -> None:
    text = text.replace("\n", " ")
    spans = wrap(text, 0, len(text), width)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(spans))
    from rich.cells import cell_len

    for a, b in spans:
        assert cell_len(text[a:b].rstrip(" ")) <= max(width, 2)


def test_words_are_not_split_when_they_fit() -> None:
    text = "Det er en time å kjøre hver vei"
    lines = [text[a:b] for a, b in wrap(text, 0, len(text), 12)]
    assert lines == ["Det er en ", "time å kjøre ", "hver vei"]


def test_turns_are_set_apart_and_offsets_round_trip(study_path: Path) -> None:
    transcript = Study.open(study_path).transcript("t01-bedrift")
    layout = TextLayout(transcript, 40)
    kinds = [line.kind for line in layout.lines]
    assert kinds[0] == TEXT and GAP in kinds
    assert all(layout.lines[i].kind == GAP for i in range(1, len(kinds))
               if layout.lines[i].turn != layout.lines[i - 1].turn)
    for turn in transcript.turns:
        for offset in range(turn.start, turn.end, 7):
            row = layout.row_of(offset)
            assert layout.offset_at(row, layout.column(offset, row)) == offset
    assert layout.step(transcript.turns[0].end, forward=True) == transcript.turns[1].start
    assert layout.step(transcript.turns[1].start, forward=False) == transcript.turns[0].end


def test_hidden_turns_collapse_into_one_line(study_path: Path) -> None:
    transcript = Study.open(study_path).transcript("t01-bedrift")
    layout = TextLayout(transcript, 40, visible={3})
    hidden = [line for line in layout.lines if line.kind == HIDDEN]
    assert [line.hidden for line in hidden] == [3, 4]
    assert layout.clamp(0) == transcript.turns[3].start
    assert not layout.is_shown(transcript.turns[1].start)
