"""The export dialog: a quote sheet written in the background, and problems explained."""

from __future__ import annotations

from pathlib import Path

import docx
from textual.widgets import Input, TextArea
from tui_helpers import SIZE, async_test, settle

from qualcode.tui.app import make_app
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.export_dialog import ExportDialog, parse_filters
from qualcode.tui.screens.study import StudyScreen


async def open_dialog(pilot) -> ExportDialog:
    app = pilot.app

    def table_laid_out() -> bool:  # the transcripts behind the dialog are in, and stay put
        table = app.screen.query_one("DataTable")
        return table.row_count == 2 and table.virtual_size.width > 80

    await settle(pilot, lambda: isinstance(app.screen, StudyScreen) and table_laid_out())
    await pilot.press("e")
    await settle(pilot, lambda: isinstance(app.screen, ExportDialog))
    return app.screen


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


@async_test
async def test_the_dialog_writes_a_word_file_and_says_where(study_path: Path,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "quotes.docx"
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        assert dialog.query_one("#export-coders", Input).value == "ingrid"  # the only coder
        assert dialog.query_one("#export-group", Input).value == "code, role"
        dialog.query_one("#export-codes", Input).value = "distance"
        dialog.query_one("#export-path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
        assert f"Wrote 4 quotes to {out}" in messages(app)
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Det er en time å kjøre hver vei, så de kommer nesten aldri hit." in text
    assert "Det ene er at vi trenger folk." not in text  # motivation was not asked for


@async_test
async def test_the_default_file_goes_in_the_studys_exports_folder(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.click("#format-csv")
        path = dialog.query_one("#export-path", Input).value
        assert path.startswith("exports/quotes-") and path.endswith(".csv")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
    assert (study_path / path).read_text(encoding="utf-8-sig").count("ingrid") >= 6


@async_test
async def test_a_missing_folder_or_a_bad_filter_is_explained_not_a_crash(study_path: Path,
                                                                       tmp_path: Path) -> None:
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        dialog.query_one("#export-path", Input).value = str(tmp_path / "missing" / "q.docx")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not dialog.running and app._notifications)
        [problem] = app._notifications
        assert problem.severity == "error"
        assert "does not exist" in problem.message and "Create the folder" in problem.message
        assert app.screen is dialog and not dialog.query_one("#export-write").disabled
        assert not (tmp_path / "missing").exists()

        dialog.query_one("#export-path", Input).value = str(tmp_path / "q.docx")
        dialog.query_one("#export-where", TextArea).text = "role Bedriftsleder"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: len(app._notifications) == 2)
        assert "not KEY=VALUE" in messages(app)[-1]
        dialog.query_one("#export-where", TextArea).text = "rolle=Bedriftsleder"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: len(app._notifications) == 3 and not dialog.running)
        assert "rolle" in messages(app)[-1]
        assert app.screen is dialog and not (tmp_path / "q.docx").exists()


@async_test
async def test_ctrl_e_on_the_codebook_exports_the_highlighted_code(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
        await pilot.press("f2", "down")
        await settle(pilot, lambda: isinstance(app.screen, CodebookScreen))
        await pilot.press("ctrl+e")
        await settle(pilot, lambda: isinstance(app.screen, ExportDialog))
        assert app.screen.query_one("#export-codes", Input).value == "distance.geographic"
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, CodebookScreen))


def test_filters_are_key_value_lines() -> None:
    assert parse_filters("role=Bedriftsleder\n\n role = NAV-veileder\nregion=Agder") == {
        "role": ["Bedriftsleder", "NAV-veileder"], "region": ["Agder"]}


def test_export_dialog(study_path: Path, snap_compare) -> None:
    app = make_app(study_path, coder="ingrid")

    async def opened_on_a_code(pilot) -> None:
        # Over the codebook (a calm background), with the highlighted code filled in.
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
        await pilot.press("f2")
        await settle(pilot, lambda: isinstance(app.screen, CodebookScreen) and app.screen.usage)
        await pilot.press("down", "ctrl+e")
        await settle(pilot, lambda: isinstance(app.screen, ExportDialog))
        dialog = app.screen
        dialog.query_one("#export-path", Input).value = "exports/quotes.docx"  # no date
        for box in dialog.query("Input, TextArea"):
            box.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=opened_on_a_code)
