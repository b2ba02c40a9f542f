"""What each screen looks like, at a fixed terminal size, on the small test study.

Regenerate after a deliberate change of look with
`pytest tests/tui/test_snapshots.py --snapshot-update` and review the pictures.
"""

from __future__ import annotations

from pathlib import Path

from tui_helpers import SIZE, settle

from qualcode.tui.app import make_app
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.study import StudyScreen
from qualcode.tui.widgets.code_tree import CodeTree


def test_study_screen(study_path: Path, snap_compare) -> None:
    app = make_app(study_path, coder="ingrid")

    async def ready(pilot) -> None:
        def table_laid_out() -> bool:  # rows in, and columns widened to fit them
            table = app.screen.query_one("DataTable")
            return table.row_count == 2 and table.virtual_size.width > 80

        await settle(pilot, lambda: isinstance(app.screen, StudyScreen) and table_laid_out())

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


async def on_a_coding_with_a_memo(pilot) -> None:
    """On t01-bedrift, at the third coding, whose memo is shown beside the text."""
    app = pilot.app
    await settle(pilot, lambda: isinstance(app.screen, CodingScreen)
                 and app.screen.transcript is not None)
    await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
    await settle(pilot, lambda: "travel time" in str(app.screen.query_one("#memo-coding").render()))


def test_coding_screen(study_path: Path, snap_compare) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    assert snap_compare(app, terminal_size=SIZE, run_before=on_a_coding_with_a_memo)


def test_codebook_screen(study_path: Path, snap_compare) -> None:
    app = make_app(study_path, coder="ingrid")

    async def on_geographic_distance(pilot) -> None:
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
        await pilot.press("f2")
        await settle(pilot, lambda: isinstance(app.screen, CodebookScreen) and app.screen.usage)
        await pilot.press("down")
        await settle(pilot, lambda: app.screen.query_one(CodeTree).code_id == "distance.geographic")

    assert snap_compare(app, terminal_size=SIZE, run_before=on_geographic_distance)


def test_help_screen(study_path: Path, snap_compare) -> None:
    app = make_app(study_path, coder="ingrid")

    async def help_open(pilot) -> None:
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
        await pilot.press("f1")
        await settle(pilot, lambda: type(app.screen).__name__ == "HelpScreen")

    assert snap_compare(app, terminal_size=SIZE, run_before=help_open)


def test_coding_screen_at_80_by_24(study_path: Path, snap_compare) -> None:
    """Narrow: the panels below the transcript, the tree's counts kept in view."""
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    assert snap_compare(app, terminal_size=(80, 24), run_before=on_a_coding_with_a_memo)
