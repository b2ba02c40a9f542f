"""Changing the `codebooks:` list of qualcode.yaml leaves every other byte of the file alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.errors import ConfigError
from qualcode.study.config import StudyConfig, read_config
from qualcode.study.config_edit import change_codebooks_list

WHERE = Path("study/qualcode.yaml")
DISTANCE = "interorganisational-distance.yaml"
EMPLOYERS = "employer-cooperation.yaml"


def demo_config(demo_path: Path) -> str:
    return (demo_path / "qualcode.yaml").read_text(encoding="utf-8")


def test_a_new_file_goes_right_after_the_last_item_and_nothing_else_changes(
    demo_path: Path,
) -> None:
    before = demo_config(demo_path)
    after = change_codebooks_list(before, WHERE, "codebook.yaml")
    line = f"  - {EMPLOYERS}\n"
    assert after == before.replace(line, line + "  - codebook.yaml\n")
    # The comment that followed the list still follows it, and quoted values keep their quotes.
    assert "  - codebook.yaml\n# How a quote's source is written" in after
    assert 'name: "Arbeidsgivere og NAV' in after
    assert 'attribution: "({role} {informant}, {municipality_type})"' in after


def test_replacing_every_listed_file_leaves_one_item_in_their_place(demo_path: Path) -> None:
    before = demo_config(demo_path)
    after = change_codebooks_list(before, WHERE, "codebook.yaml", [DISTANCE, EMPLOYERS])
    assert after == before.replace(
        f"  - {DISTANCE}\n  - {EMPLOYERS}\n", "  - codebook.yaml\n"
    )


@pytest.mark.parametrize(
    ("remove", "expected"),
    [
        ([DISTANCE], f"  - codebook.yaml\n  - {EMPLOYERS}\n"),
        ([EMPLOYERS], f"  - {DISTANCE}\n  - codebook.yaml\n"),
    ],
)
def test_replacing_one_file_puts_the_new_one_where_it_stood(
    demo_path: Path, remove: list[str], expected: str
) -> None:
    before = demo_config(demo_path)
    after = change_codebooks_list(before, WHERE, "codebook.yaml", remove)
    assert after == before.replace(f"  - {DISTANCE}\n  - {EMPLOYERS}\n", expected)


def test_a_replacement_with_the_same_name_keeps_one_item(demo_path: Path) -> None:
    before = demo_config(demo_path)
    after = change_codebooks_list(before, WHERE, EMPLOYERS, [DISTANCE, EMPLOYERS])
    assert after == before.replace(f"  - {DISTANCE}\n", "")


COMMENTED = """\
name: 'Studie'
codebooks:
  - a.yaml   # the first one
  # b is shared with the other project
  - b.yaml # from 2023

  # keep this list short
attribution: '({role})'
"""


@pytest.mark.parametrize(
    ("remove", "expected"),
    [
        ([], COMMENTED.replace("# from 2023\n", "# from 2023\n  - new.yaml\n")),
        (["b.yaml"], COMMENTED.replace("  - b.yaml # from 2023\n", "  - new.yaml\n")),
        (["a.yaml"], COMMENTED.replace("  - a.yaml   # the first one\n", "  - new.yaml\n")),
        (
            ["a.yaml", "b.yaml"],
            COMMENTED.replace("  - a.yaml   # the first one\n", "  - new.yaml\n").replace(
                "  - b.yaml # from 2023\n", ""
            ),
        ),
    ],
)
def test_comment_lines_between_and_after_items_stay_where_they_are(
    remove: list[str], expected: str
) -> None:
    # A comment on a replaced item's own line spoke of that file, so it goes with it.
    assert change_codebooks_list(COMMENTED, WHERE, "new.yaml", remove) == expected


def test_the_list_keeps_the_indentation_the_file_uses() -> None:
    before = "name: x\ncodebooks:\n- a.yaml\n- b.yaml\nlanguage: en\n"
    after = change_codebooks_list(before, WHERE, "c.yaml")
    assert after == "name: x\ncodebooks:\n- a.yaml\n- b.yaml\n- c.yaml\nlanguage: en\n"


def test_a_list_on_one_line_stays_on_one_line() -> None:
    before = "name: 'x'\ncodebooks: [a.yaml, b.yaml]\nlanguage: en\n"
    after = change_codebooks_list(before, WHERE, "c.yaml", ["a.yaml"])
    assert after == "name: 'x'\ncodebooks: [c.yaml, b.yaml]\nlanguage: en\n"


def test_a_single_file_name_becomes_a_list() -> None:
    before = "name: 'x'\ncodebooks: a.yaml\nlanguage: en\n"
    after = change_codebooks_list(before, WHERE, "c.yaml")
    assert after == "name: 'x'\ncodebooks:\n  - a.yaml\n  - c.yaml\nlanguage: en\n"


def test_windows_line_ends_and_a_byte_order_mark_are_kept() -> None:
    before = "\ufeffname: \"x\"\r\ncodebooks:\r\n  - a.yaml\r\n# next\r\nlanguage: en\r\n"
    after = change_codebooks_list(before, WHERE, "c.yaml")
    assert after == before.replace("  - a.yaml\r\n", "  - a.yaml\r\n  - c.yaml\r\n")


def test_a_study_without_a_list_uses_every_file_and_is_not_changed() -> None:
    fresh = StudyConfig(name="Ny studie").to_yaml()
    assert change_codebooks_list(fresh, WHERE, "c.yaml") == fresh
    assert change_codebooks_list("name: x\n", WHERE, "c.yaml") == "name: x\n"


def test_a_file_already_listed_is_not_listed_twice() -> None:
    before = "codebooks:\n  - a.yaml\n  - c.yaml\n"
    assert change_codebooks_list(before, WHERE, "c.yaml") == before


def test_what_qualcode_init_writes_reads_back_with_the_new_list(tmp_path: Path) -> None:
    text = StudyConfig(name="Ny studie", codebooks=["a.yaml"]).to_yaml()
    (tmp_path / "qualcode.yaml").write_text(
        change_codebooks_list(text, WHERE, "b.yaml", ["a.yaml"]), encoding="utf-8"
    )
    config, problems = read_config(tmp_path)
    assert problems == [] and config is not None
    assert config.codebooks == ["b.yaml"]
    assert config.attribution == StudyConfig(name="x").attribution


def test_a_file_that_cannot_be_edited_alone_is_refused_with_what_to_write() -> None:
    # Another list indented differently would be re-indented too.
    before = "codebooks:\n  - a.yaml\ninterviewer_labels:\n- I\n- Int\n"
    with pytest.raises(ConfigError) as caught:
        change_codebooks_list(before, WHERE, "c.yaml", ["a.yaml"])
    assert caught.value.path == WHERE
    assert "nothing was changed" in caught.value.message
    assert "add the line `  - c.yaml` and delete the line of `a.yaml`" in (caught.value.hint or "")
