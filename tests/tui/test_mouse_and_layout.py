"""The mouse works from anywhere on the screen, and small terminals still show what matters."""

from __future__ import annotations

from pathlib import Path

from test_workbench import coding_ready
from tui_helpers import async_test, settle

from qualcode.tui.app import make_app
from qualcode.tui.screens.coding import arrangement


async def open_t02(pilot):
    app = pilot.app
    await settle(pilot, lambda: coding_ready(app) and app.screen.view.first_paint is not None)
    return app.screen


async def focus_the_tree_and_find(pilot, phrase: str) -> tuple[int, int]:
    """Open the transcript, give the tree the focus, and return where `phrase` starts on
    screen (the first column of the text, and the row)."""
    screen = await open_t02(pilot)
    await pilot.press("tab")  # the only keyboard way into the tree
    assert screen.focused is screen.code_tree
    view = screen.view
    row = view.text_layout.row_of(view.transcript.text.index(phrase))
    return view._geometry[1].gutter, row


@async_test
async def test_the_first_click_counts_when_the_tree_has_the_focus(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t02-fokusgruppe")
    async with app.run_test(size=(140, 40)) as pilot:
        gutter, row = await focus_the_tree_and_find(pilot, "Det er en liten by")
        view, text = app.screen.view, app.screen.view.transcript.text
        await pilot.click(view, offset=(gutter + 4, row))
        assert view.has_focus
        assert text[view.cursor:].startswith("er en liten by")


@async_test
async def test_a_drag_selects_when_the_tree_has_the_focus(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t02-fokusgruppe")
    async with app.run_test(size=(140, 40)) as pilot:
        gutter, row = await focus_the_tree_and_find(pilot, "Det er en liten by")
        view, text = app.screen.view, app.screen.view.transcript.text
        await pilot.mouse_down(view, offset=(gutter, row))
        await pilot.hover(view, offset=(gutter + 17, row))
        await pilot.mouse_up(view, offset=(gutter + 17, row))
        assert text[slice(*view.selection)] == "Det er en liten b"


def test_the_arrangement_fits_the_terminal() -> None:
    assert arrangement(160, 45, None, None) == set()
    assert arrangement(80, 24, None, None) == {"-narrow"}
    assert arrangement(80, 24, False, None) == {"-narrow", "-no-tree"}
    assert arrangement(40, 12, None, None) == {"-small"}
    assert arrangement(40, 12, True, None) == {"-small", "-tree-only"}
    assert arrangement(40, 12, None, True) == {"-small", "-panels-only"}


@async_test
async def test_at_80_by_24_the_panels_go_below_and_the_counts_stay(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_t02(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        panels = screen.query_one("#side-panels")
        view = screen.view
        assert panels.display and screen.code_tree.display
        assert panels.region.y >= view.region.bottom  # below the transcript
        assert view.region.height >= 8
        tree = screen.code_tree
        lines = [tree.render_line(y).text for y in range(tree.size.height)]
        kognitiv = next(line for line in lines if "Kognitiv" in line)
        assert "1·1" in kognitiv  # the count, even when the label has to be shortened
        assert any("…" in line and "·" in line for line in lines)
        await pilot.press("f5")  # panels away: the transcript gets the room
        await pilot.pause()
        assert not panels.display and view.region.bottom > panels.region.y


@async_test
async def test_at_40_by_12_the_transcript_comes_first(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await open_t02(pilot)
        view, tree = screen.view, screen.code_tree
        assert view.display and not tree.display
        assert view.region.height >= 5 and view.region.width >= 38
        await pilot.press("f4")  # the tree in place of the text, to code from it
        await pilot.pause()
        text_column = screen.query_one("#text-and-panels")
        assert tree.display and tree.has_focus and not text_column.display
        await pilot.press("escape")
        await pilot.pause()
        assert text_column.display and view.has_focus and coding_ready(app)
