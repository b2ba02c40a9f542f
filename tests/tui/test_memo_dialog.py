"""Words typed into a memo are never thrown away without asking."""

from __future__ import annotations

from pathlib import Path

from test_workbench import coding_ready
from tui_helpers import SIZE, async_test, screen_name, settle

from qualcode.study import Study
from qualcode.tui.app import make_app

MEMO = "Distance as travel time."
"""The memo the test study has on the coding of «Det er en time å kjøre hver vei…»."""


async def open_the_memo(pilot) -> str:
    """Open the memo dialog on the coding with a memo; returns the coding's id."""
    app = pilot.app
    await settle(pilot, lambda: coding_ready(app))
    await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
    coding = app.screen.current_coding()
    assert app.session.store.memo("coding", coding.id) == MEMO
    await pilot.press("m")
    await settle(pilot, lambda: screen_name(pilot) == "MemoDialog")
    return coding.id


def choose(pilot, answer: str) -> None:
    """Answer the question about the changed memo."""
    options = pilot.app.screen.query_one("OptionList")
    options.highlighted = [o.id for o in options.options].index(answer)
    options.action_select()


@async_test
async def test_esc_asks_before_throwing_away_what_was_typed(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    async with app.run_test(size=SIZE) as pilot:
        coding_id = await open_the_memo(pilot)
        await pilot.press(*" Og telefon.", "escape")
        await settle(pilot, lambda: screen_name(pilot) == "ChoiceDialog")
        assert "The memo has changed" in str(app.screen.query_one(".dialog-title").render())
        choose(pilot, "keep")
        await settle(pilot, lambda: screen_name(pilot) == "MemoDialog")
        assert app.screen.query_one("TextArea").text == MEMO + " Og telefon."
        await pilot.press("escape")
        await settle(pilot, lambda: screen_name(pilot) == "ChoiceDialog")
        choose(pilot, "discard")
        await settle(pilot, lambda: coding_ready(app))
        assert app.session.store.memo("coding", coding_id) == MEMO
        await pilot.press("m")  # unchanged: Esc just closes
        await settle(pilot, lambda: screen_name(pilot) == "MemoDialog")
        await pilot.press("escape")
        await settle(pilot, lambda: coding_ready(app))


@async_test
async def test_quitting_with_a_changed_memo_asks_and_can_save_it(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    async with app.run_test(size=SIZE) as pilot:
        coding_id = await open_the_memo(pilot)
        await pilot.press(*" Og telefon.", "ctrl+q")
        await settle(pilot, lambda: screen_name(pilot) == "ChoiceDialog")
        choose(pilot, "save")
        await pilot.pause()
    assert app.return_code == 0
    with Study.open(study_path).store("ingrid") as store:
        assert store.memo("coding", coding_id) == MEMO + " Og telefon."
