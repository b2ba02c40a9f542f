"""Brackets, common in transcripts ([navn], [latter]) and easy to type, are shown as they are.

Read as markup they would vanish from the screen, or stop the app with a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_keeping_in_step import code_a_sentence
from test_workbench import coding_ready
from tui_helpers import SIZE, async_test, settle

from qualcode.tui.app import make_app
from qualcode.tui.screens.study import StudyScreen


@pytest.fixture
def bracket_study(study_path: Path) -> Path:
    """The test study with brackets in a code's label and in an informant's role."""
    codebook = study_path / "codebooks" / "samarbeid.yaml"
    codebook.write_text(codebook.read_text(encoding="utf-8").replace(
        "nb: Geografisk distanse", 'nb: "Geografisk [reise] distanse"'), encoding="utf-8")
    transcript = study_path / "transcripts" / "t01-bedrift.md"
    transcript.write_text(transcript.read_text(encoding="utf-8").replace(
        "role: Bedriftsleder", 'role: "[leder]"'), encoding="utf-8")
    return study_path


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


@async_test
async def test_searching_for_brackets_finds_them_or_says_so(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        view = app.screen.view
        await pilot.press("slash", *"[/i]", "enter")
        assert "«[/i]» is not in the text shown." in messages(app)
        assert coding_ready(app)  # still at work
        await pilot.press("slash", *("backspace",) * 4, *"[kommune]", "enter")
        assert view.transcript.text[slice(*view.selection)] == "[kommune]"


@async_test
async def test_a_coder_name_with_brackets_is_refused_with_the_reason(study_path: Path) -> None:
    app = make_app(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: type(app.screen).__name__ == "CoderDialog")
        await pilot.press(*"[/x]", "enter")
        problem = str(app.screen.query_one("#coder-problem").render())
        assert "`[/x]` cannot be used as a coder name." in problem
        assert type(app.screen).__name__ == "CoderDialog"
        app.screen.query_one("#coder-name").value = ""
        await pilot.press(*"kari", "enter")
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))


@async_test
async def test_labels_and_roles_with_brackets_show_everywhere(bracket_study: Path) -> None:
    app = make_app(bracket_study, coder="ingrid", transcript="t01-bedrift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        screen = app.screen
        view = screen.view
        await code_a_sentence(pilot, "Kontoret ligger", "reise")
        view.select(None, view.transcript.text.index("Kontoret ligger") + 2)
        await settle(pilot, lambda: "[reise]" in str(screen.query_one("#memo-coding").render()))
        assert "[reise]" in str(screen.query_one("#recent-codes").render())  # quick keys
        assert "A [leder]" in str(screen.query_one("#status").render())  # speaker and role
        tree = screen.code_tree
        assert "Geografisk [reise] distanse" in tree._code_nodes["distance.geographic"].label.plain
        await pilot.press("x")
        assert "Removed the Geografisk [reise] distanse coding. Undo with z." in messages(app)
        await pilot.press("z")
        assert "Undone: Remove Geografisk [reise] distanse coding." in messages(app)
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen)
                     and app.screen.query_one("DataTable").row_count == 2)
        table = app.screen.query_one("DataTable")
        row = [str(cell) for cell in table.get_row("t01-bedrift")]
        assert "A [leder]" in row
