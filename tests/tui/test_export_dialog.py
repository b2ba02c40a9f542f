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


async def write_and_wait(pilot, dialog) -> None:
    app = pilot.app
    await pilot.press("ctrl+s")
    await settle(pilot, lambda: app.screen is not dialog or dialog.running)
    await settle(pilot, lambda: not isinstance(app.screen, ExportDialog))


@async_test
async def test_a_second_export_on_the_same_day_gets_a_name_of_its_own(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        first = dialog.query_one("#export-path", Input).value
        await write_and_wait(pilot, dialog)
        dialog = await open_dialog(pilot)
        second = dialog.query_one("#export-path", Input).value
        assert second == first.replace(".docx", "-2.docx")
        await write_and_wait(pilot, dialog)
    assert (study_path / first).exists() and (study_path / second).exists()


@async_test
async def test_an_existing_file_is_replaced_only_when_asked_to(study_path: Path) -> None:
    sheet = study_path / "exports" / "q1.csv"
    sheet.parent.mkdir()
    sheet.write_text("my own sorted sheet\n", encoding="utf-8")
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        dialog.query_one("#export-path", Input).value = "exports/q1.csv"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: type(app.screen).__name__ == "ChoiceDialog")
        assert "q1.csv is already there" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("escape")  # no answer: back to the form, nothing written
        await settle(pilot, lambda: app.screen is dialog)
        assert sheet.read_text(encoding="utf-8") == "my own sorted sheet\n"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: type(app.screen).__name__ == "ChoiceDialog")
        await pilot.press("enter")  # the first choice: keep it, write q1-2.csv beside it
        await settle(pilot, lambda: not isinstance(app.screen, (ExportDialog,))
                     and type(app.screen).__name__ != "ChoiceDialog")
        assert sheet.read_text(encoding="utf-8") == "my own sorted sheet\n"
        assert (sheet.parent / "q1-2.csv").read_text(encoding="utf-8-sig").count("ingrid") >= 6
        dialog = await open_dialog(pilot)  # the fields are as they were left
        assert dialog.query_one("#export-path", Input).value == "exports/q1-2.csv"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: type(app.screen).__name__ == "ChoiceDialog")
        await pilot.press("down", "enter")  # replace it
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
        assert any("Wrote 6 quotes" in m for m in messages(app))


@async_test
async def test_the_fields_are_remembered_after_a_restart(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        dialog.query_one("#export-codes", Input).value = "distance"
        dialog.query_one("#export-min-words", Input).value = "5"
        dialog.query_one("#export-where", TextArea).text = "role=Bedriftsleder"
        await pilot.click("#format-xlsx")
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        assert dialog.query_one("#export-codes", Input).value == "distance"
        assert dialog.query_one("#export-min-words", Input).value == "5"
        assert dialog.query_one("#export-where", TextArea).text == "role=Bedriftsleder"
        assert dialog.query_one("#export-path", Input).value.endswith(".xlsx")


@async_test
async def test_mistakes_are_told_in_the_dialogs_words(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(pilot)
        dialog.query_one("#export-group", Input).value = "code, rolle"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not dialog.running and app._notifications)
        [problem] = messages(app)
        assert "(in Group by)" in problem and "Did you mean `role`?" in problem
        assert "--" not in problem
        dialog.query_one("#export-group", Input).value = ""
        dialog.query_one("#export-codes", Input).value = "nothing.like.it"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: len(app._notifications) == 2 and not dialog.running)
        assert "- id:" not in messages(app)[-1] and "codebook (F2)" in messages(app)[-1]


def visible_on_screen(app, widget) -> bool:
    """Whether the middle of `widget` is on the screen and shows that widget."""
    region = widget.region
    x, y = region.x + region.width // 2, region.y + region.height // 2
    if not (0 <= x < app.size.width and 0 <= y < app.size.height):
        return False
    found, _ = app.screen.get_widget_at(x, y)
    return found is widget or widget in found.ancestors_with_self


def test_on_a_small_terminal_the_form_scrolls_to_the_field_in_focus(study_path: Path) -> None:
    for size in ((80, 24), (60, 20)):
        tab_to_write_and_write(study_path, size)


@async_test
async def tab_to_write_and_write(study_path: Path, size: tuple[int, int]) -> None:
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=size) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, ExportDialog))
        dialog = app.screen
        for target in ("#export-format", "#export-path", "#export-write"):
            for _ in range(20):
                if dialog.query_one(target).has_focus:
                    break
                await pilot.press("tab")
            await pilot.pause()
            assert dialog.query_one(target).has_focus, target
            assert visible_on_screen(app, dialog.query_one(target)), (size, target)
        await pilot.press("enter")  # Write
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
        assert any(m.startswith("Wrote 6 quotes") for m in messages(app))


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
