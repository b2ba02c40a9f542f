"""The small wording helpers every part of qualcode uses for what it shows."""

from __future__ import annotations

import pytest

from qualcode.wording import fold_id, joined, plural


def test_counts_take_the_noun_in_the_matching_number() -> None:
    assert plural(1, "coding") == "1 coding"
    assert plural(0, "coding") == "0 codings"
    assert plural(2, "informant") == "2 informants"
    assert plural(3, "analysis", "analyses") == "3 analyses"


def test_names_are_listed_as_a_sentence_lists_them() -> None:
    assert joined([]) == ""
    assert joined(["ingrid"]) == "ingrid"
    assert joined(["ingrid", "jonas"]) == "ingrid and jonas"
    assert joined(iter(["ingrid", "jonas", "kari"])) == "ingrid, jonas and kari"


@pytest.mark.parametrize("width", [8, 12, 16, 20, 40])
@pytest.mark.parametrize(
    "code_id",
    ["agency-cooperation.contact-person", "measure-content.work-trial.ordinary", "distance"],
)
def test_a_folded_id_reads_back_whole_and_breaks_at_its_dots_first(code_id: str, width: int) -> None:
    lines = fold_id(code_id, width).split("\n")
    assert "".join(lines) == code_id  # nothing lost, nothing added
    parts = code_id.split(".")
    if all(len(part) + 1 <= width for part in parts):
        assert all(line.endswith(".") for line in lines[:-1])  # dots are enough: only there
    assert all(len(line) <= width for line in lines if "-" in line or "." in line)


def test_a_part_longer_than_the_line_is_cut_only_then() -> None:
    assert fold_id("distance.geographic", 9).split("\n") == ["distance.", "geographi", "c"]
