"""Keys: quick keys that stay put, a help screen and a command palette that list every key."""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
import re
from pathlib import Path

from rich.console import Console
from test_keeping_in_step import code_a_sentence
from test_workbench import coding_ready
from textual.binding import Binding
from tui_helpers import SIZE, async_test, screen_name, settle

import qualcode.tui
from qualcode.tui import keys
from qualcode.tui.app import make_app
from qualcode.tui.quick_keys import QuickKeys
from qualcode.tui.screens.study import StudyScreen


def test_a_quick_key_keeps_its_code() -> None:
    quick = QuickKeys(["b", "a"])  # newest first: b on 1, a on 2
    assert quick.numbered() == [(1, "b"), (2, "a")]
    for _ in range(3):
        assert quick.use("a") == 2 and quick.use("b") == 1
    assert quick.use("c") == 3  # a new code takes the next free number
    assert quick.numbered() == [(1, "b"), (2, "a"), (3, "c")]


def test_when_every_number_is_taken_the_code_used_longest_ago_gives_up_its_number() -> None:
    quick = QuickKeys(size=3)
    for code in ("a", "b", "c", "a", "c"):
        quick.use(code)
    assert quick.use("d") == 2  # b was used longest ago
    assert quick.numbered() == [(1, "a"), (2, "d"), (3, "c")]
    assert quick.by_recency() == ["d", "c", "a"]
    assert quick.code_on(2) == "d" and quick.code_on(4) is None


@async_test
async def test_the_same_quick_key_codes_with_the_same_code_each_time(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t02-fokusgruppe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        view = app.screen.view
        await code_a_sentence(pilot, "Det er en liten by, folk kjenner hverandre.", "recruit")
        await code_a_sentence(pilot, "Vi ringer.", "kognitiv")
        on_two = app.session.quick_keys.code_on(2)
        assert on_two is not None
        text = view.transcript.text
        for word in ("Men", "det", "samme"):
            start = text.index(word, text.index("Men det er ikke det samme"))
            view.select(start, start + len(word))
            await pilot.press("2")
            coded = [c for c in view.codings if (c.start, c.end) == (start, start + len(word))]
            assert [c.code for c in coded] == [on_two]
        line = str(app.screen.query_one("#recent-codes").render())
        assert line.index("1 ●") < line.index("2 ●")
        await pilot.press("z")  # undoing keeps the numbers as they are
        assert app.session.quick_keys.code_on(2) == on_two


def test_quick_keys_come_back_on_the_numbers_they_had() -> None:
    quick = QuickKeys(size=3)
    for code in ("a", "b", "c"):
        quick.use(code)
    again = QuickKeys.restore(quick.slots(), recent=["c", "b", "a"], size=3)
    assert again.numbered() == [(1, "a"), (2, "b"), (3, "c")]  # not renumbered by recency
    assert again.use("d") == 1  # a was used longest ago, so it gives way first
    assert QuickKeys(["b", "a"]).by_recency() == ["b", "a"]  # newest first, as given


@async_test
async def test_quick_keys_keep_their_numbers_after_a_restart(study_path: Path) -> None:
    app = make_app(study_path, coder="kari", transcript="t02-fokusgruppe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        await code_a_sentence(pilot, "Det er en liten by, folk kjenner hverandre.", "recruit")
        await code_a_sentence(pilot, "Vi ringer.", "kognitiv")
        before = app.session.quick_keys.numbered()
        line = str(app.screen.query_one("#recent-codes").render())
        await pilot.press("ctrl+q")
    assert [code for _, code in before] == ["motivation.recruitment", "distance.cognitive"]
    app = make_app(study_path, coder="kari", transcript="t02-fokusgruppe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app)
                     and "1 ●" in str(app.screen.query_one("#recent-codes").render()))
        assert app.session.quick_keys.numbered() == before
        assert str(app.screen.query_one("#recent-codes").render()) == line
        view = app.screen.view
        start = view.transcript.text.index("Men det er ikke det samme")
        view.select(start, start + 3)
        await pilot.press("1")
        assert [c.code for c in view.codings if c.start == start] == ["motivation.recruitment"]


def bindings_in_qualcode() -> list[tuple[type, Binding]]:
    """Every binding declared by a class anywhere in the workbench."""
    found = []
    for module_info in pkgutil.walk_packages(qualcode.tui.__path__, "qualcode.tui."):
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and "BINDINGS" in cls.__dict__:
                found += [(cls, b) for b in Binding.make_bindings(cls.__dict__["BINDINGS"])]
    return found


@async_test
async def test_the_help_lists_every_key_of_every_screen(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
        await pilot.press("f1")
        await settle(pilot, lambda: screen_name(pilot) == "HelpScreen")
        console = Console(file=io.StringIO(), width=200)
        console.print(app.screen.query_one("#help-text").content)
        lines = console.file.getvalue().splitlines()
        declared = bindings_in_qualcode()
        assert len(declared) > 80
        missing = []
        for cls, binding in declared:
            text = re.sub(r"\b\d\b", "n", keys.what_it_does(binding))
            key = keys.key_of(app, binding)
            rows = [line for line in lines if text in line]
            if not any(key in row or "…" in row.split(text)[0] for row in rows):
                missing.append(f"{cls.__name__}: {key} {text}")
        assert missing == []
        assert any("tab" in line and "next part of the screen" in line for line in lines)


@async_test
async def test_the_palette_offers_every_key_of_the_coding_screen(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        await pilot.press("right_square_bracket")  # on a coding: remove, resize, select work
        screen = app.screen
        offered = {c.title for c in app.get_system_commands(screen)}
        left_out = set()
        for node in [screen, screen.view, screen.code_tree, app]:
            for binding in keys.own_bindings(type(node)):
                if binding.action == "quit":
                    assert "Quit" in offered  # under Textual's own title
                elif keys.title_now(node, binding) not in offered:
                    left_out.add(binding.action)
        # Only what needs a selection or a suggested code first is left out here.
        assert left_out == {"accept_suggestion", "reject_suggestion", "clear_selection",
                            "swap_ends"}
        select = next(c for c in app.get_system_commands(screen)
                      if c.title == "Select the passage of the coding here")
        select.callback()
        await pilot.pause()
        coding = screen.current_coding()
        assert screen.view.selection == (coding.start, coding.end)


@async_test
async def test_going_round_the_screens_does_not_pile_them_up(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
        depth = len(app.screen_stack)

        def run(title: str) -> None:
            next(c for c in app.get_system_commands(app.screen) if c.title == title).callback()

        run("Open t01-bedrift")
        await settle(pilot, lambda: coding_ready(app))
        run("Open t02-fokusgruppe")  # takes the place of the transcript open
        await settle(pilot, lambda: coding_ready(app)
                     and app.screen.transcript_id == "t02-fokusgruppe")
        assert len(app.screen_stack) == depth + 1
        run("Show codebook")
        await settle(pilot, lambda: screen_name(pilot) == "CodebookScreen")
        run("Show transcripts")
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
        assert len(app.screen_stack) == depth
        await pilot.press("f2", "escape", "f2")
        await settle(pilot, lambda: screen_name(pilot) == "CodebookScreen")
        run("Show codebook")
        await pilot.pause()
        assert len(app.screen_stack) == depth + 1


@async_test
async def test_after_a_click_the_footer_offers_esc_again(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t02-fokusgruppe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app) and app.screen.view.first_paint)
        view = app.screen.view

        def footer_keys() -> set[str]:
            return {b.binding.action for b in app.screen.active_bindings.values()
                    if b.binding.show and b.enabled}

        assert "back" in footer_keys()
        row = view.text_layout.row_of(view.transcript.text.index("Det er en liten by"))
        await pilot.click(view, offset=(view._geometry[1].gutter + 2, row))
        await pilot.pause()
        assert view.mark is None and "back" in footer_keys()
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
