"""The study screen on every terminal: the columns that matter stay, filters say what is wrong."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from tui_helpers import SIZE, async_test, settle

from qualcode.store.progress import TranscriptProgress
from qualcode.study import Study
from qualcode.tui.app import make_app
from qualcode.tui.screens.study import StudyScreen, column_widths, progress_cell
from qualcode.tui.widgets.transcript_paint import Geometry, role_lines


def table_filled(app) -> bool:
    return isinstance(app.screen, StudyScreen) and app.screen.query_one("DataTable").row_count > 0


def column_keys(app) -> list[str]:
    return [str(key.value) for key in app.screen.query_one("DataTable").columns]


def test_narrow_terminals_drop_the_form_then_the_informants_never_the_progress() -> None:
    coders = [15, 15, 15]
    wide = column_widths(160, 33, coders, 30, 20)
    assert (wide["id"], wide["informants"], wide["form"]) == (33, 30, 20)  # nothing cut
    middle = column_widths(140, 33, coders, 30, 20)
    assert middle["informants"] and middle["form"] and middle["informants"] < 30
    narrower = column_widths(120, 33, coders, 30, 20)
    assert narrower["informants"] and not narrower["form"]  # the form gives way first
    small = column_widths(80, 33, coders, 30, 20)
    assert small["informants"] == small["form"] == 0
    assert small["id"] >= 16
    used = small["id"] + small["words"] + sum(coders) + 2 * (2 + len(coders))
    assert used <= 80 - 2


@async_test
async def test_at_80_by_24_the_words_and_every_coders_progress_are_shown(
    study_path: Path,
) -> None:
    app = make_app(study_path, coder="kari")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: table_filled(app))
        keys = column_keys(app)
        assert {"id", "words", "coder:kari", "coder:ingrid"} <= set(keys)
    app = make_app(study_path, coder="kari")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, lambda: table_filled(app))
        table = app.screen.query_one("DataTable")
        assert table.columns["form"].width >= len("individual interview")


def test_a_coding_or_two_show_as_started() -> None:
    cell = progress_cell(TranscriptProgress(codings=2, coded=30, total=9000)).plain
    assert cell.startswith("█") and "<1%" in cell and cell.endswith("· 2")
    assert progress_cell(TranscriptProgress(0, 0, 9000)).plain == "–"
    assert "50%" in progress_cell(TranscriptProgress(3, 4500, 9000)).plain


@async_test
async def test_home_and_end_go_to_the_first_and_last_transcript(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: table_filled(app))
        table = app.screen.query_one("DataTable")
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1 == 1
        await pilot.press("home")
        assert table.cursor_row == 0


@async_test
async def test_a_filter_on_an_unknown_attribute_says_which_there_are(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: table_filled(app))
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"regin=Innlandet")
        summary = app.screen.query_one("#study-summary")
        await settle(pilot, lambda: "0 of 2" in str(summary.render()))
        text = str(summary.render())
        assert "No informant has the attribute regin (did you mean region?)" in text
        assert "role" in text
        app.screen.query_one("#study-filter").value = "region=Innlandet"
        await settle(pilot, lambda: "1 of 2" in str(summary.render()))
        assert "No informant" not in str(summary.render())


@async_test
async def test_an_empty_coder_name_asks_for_a_name(study_path: Path) -> None:
    app = make_app(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: type(app.screen).__name__ == "CoderDialog")
        await pilot.press("enter")
        problem = str(app.screen.query_one("#coder-problem").render())
        assert problem.startswith("Type a name first") and "``" not in problem


def test_roles_are_shown_in_full_when_the_text_has_room(study_path: Path) -> None:
    transcript = Study.open(study_path).transcript("t01-bedrift")
    assert Geometry.fit(100, transcript).gutter >= len("Bedriftsleder") + 3
    assert Geometry.fit(70, transcript).gutter < len("Bedriftsleder") + 3
    assert role_lines("Nærmeste leder", 10) == ["Nærmeste", "leder"]
    assert role_lines("Bedriftsleder", 10) == ["Bedriftsl…"]
    assert Text(" ".join(role_lines("Kommunal enhetsleder", 20))).plain == "Kommunal enhetsleder"
