"""Every screen shows the coder's file as it is, whichever screen or window changed it."""

from __future__ import annotations

from pathlib import Path

from test_workbench import coding_ready
from tui_helpers import SIZE, async_test, screen_name, settle

from qualcode.study import Study
from qualcode.tui.app import make_app
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.coding import CodingScreen
from qualcode.wording import plural


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def code_a_sentence(pilot, sentence: str, code_query: str) -> None:
    """Select `sentence` on the coding screen and code it by typing `code_query`."""
    app = pilot.app
    view = app.screen.view
    start = view.transcript.text.index(sentence)
    view.select(start, start + len(sentence))
    await pilot.press("enter")
    await settle(pilot, lambda: screen_name(pilot) == "CodePicker")
    await pilot.press(*code_query, "enter")
    await settle(pilot, lambda: coding_ready(app))


@async_test
async def test_undo_on_the_codebook_screen_shows_on_the_coding_screen(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t02-fokusgruppe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        screen = app.screen
        view = screen.view
        before = len(view.codings)
        await code_a_sentence(pilot, "Det er en liten by, folk kjenner hverandre.", "recruit")
        assert len(view.codings) == before + 1
        coded = view.text_layout is not None and screen.current_coding()
        assert coded and coded.code == "motivation.recruitment"
        await pilot.press("f2")
        await settle(pilot, lambda: isinstance(app.screen, CodebookScreen))
        await pilot.press("z")
        assert "Undone: Code with Rekruttering." in messages(app)  # the label, not the id
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, CodingScreen)
                     and len(view.codings) == before)
        assert all(c.id != coded.id for c in view.codings)
        assert plural(before, "coding") in str(screen.query_one("#status").render())
        view.select(None, coded.start + 2)
        assert screen.current_coding() is None  # x and m have nothing to work on here
        assert not screen.check_action("remove", ())
        await pilot.press("m")
        assert any("Put the cursor on a coding" in m for m in messages(app))
        assert screen_name(pilot) == "CodingScreen"  # no memo dialog for a coding that is gone
        await pilot.press("question_mark")  # redo on the help screen shows as well
        await settle(pilot, lambda: screen_name(pilot) == "HelpScreen")
        await pilot.press("Z", "escape")
        await settle(pilot, lambda: isinstance(app.screen, CodingScreen)
                     and len(view.codings) == before + 1)


@async_test
async def test_a_change_in_another_window_shows_when_the_coding_screen_comes_back(
    study_path: Path,
) -> None:
    study = Study.open(study_path)
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift", poll_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        view = app.screen.view
        before = len(view.codings)
        await pilot.press("f2")
        await settle(pilot, lambda: isinstance(app.screen, CodebookScreen))
        version = app.session.version
        with study.store("ingrid") as other:  # as the other window would
            other.add_coding(study.transcript("t01-bedrift"), 0, 10, "distance")
        await settle(pilot, lambda: app.session.version > version)
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, CodingScreen)
                     and len(view.codings) == before + 1)


@async_test
async def test_a_repeated_key_shows_its_message_once(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        await pilot.press("Z", "Z", "Z", "Z", "Z", "Z", "Z")
        assert messages(app).count("Nothing to redo.") == 1


@async_test
async def test_the_status_line_counts_in_words(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t02-fokusgruppe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        screen = app.screen
        assert len(screen.view.codings) == 1
        assert "│ 1 coding" in str(screen.query_one("#status").render())
        await pilot.press("slash", *"en time", "enter")
        status = str(screen.query_one("#status").render())
        assert "1 match │" in status and "2 words selected" in status
