"""The workbench driven as a coder would: keys in, codings and memos out, nothing lost."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import SIZE, async_test, settle

from qualcode.store.lock import CoderLock
from qualcode.study import Study
from qualcode.tui.app import make_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.study import StudyScreen


def coding_ready(app) -> bool:
    screen = app.screen
    return isinstance(screen, CodingScreen) and screen.transcript is not None


def painted(view) -> bool:
    return view.painted_version == view._version


async def open_demo_transcript(pilot, transcript_id: str) -> CodingScreen:
    """From the study screen: filter to one transcript and open it with Enter."""
    app = pilot.app
    await settle(pilot, lambda: isinstance(app.screen, StudyScreen)
                 and app.screen.query_one("DataTable").row_count > 0)
    await pilot.press("slash", *transcript_id[:5], "enter")
    await settle(pilot, lambda: app.screen.query_one("DataTable").row_count == 1)
    await pilot.press("enter")
    await settle(pilot, lambda: coding_ready(app))
    return app.screen


@async_test
async def test_code_undo_redo_memo_quit_and_find_it_all_again(demo_path: Path) -> None:
    transcript_id = "nb-01-industri-utkant"
    study = Study.open(demo_path)
    turn = study.transcript(transcript_id).turns[1]  # the informant's first turn
    app = make_app(demo_path, coder="tester")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_demo_transcript(pilot, transcript_id)
        view = screen.view
        # Select the first sentence of the informant's turn by keyboard.
        await pilot.press("right_curly_bracket", "s")
        assert view.selection is not None
        start, end = view.selection
        assert start == turn.start
        sentence = view.transcript.text[start:end]
        assert sentence.endswith(".") and len(sentence.split()) > 3
        # Apply a code by fuzzy search.
        await pilot.press("enter")
        await settle(pilot, lambda: type(app.screen).__name__ == "CodePicker")
        await pilot.press(*"geo", "enter")
        await settle(pilot, lambda: coding_ready(app) and painted(view))
        store = app.session.store
        [coding] = store.codings(transcript=transcript_id)
        assert (coding.start, coding.end, coding.code) == (start, end, "distance.geographic")
        assert coding.id in view._decorations.lanes  # drawn in the margin
        # Undo and redo.
        await pilot.press("z")
        await settle(pilot, lambda: view.codings == [])
        assert store.codings(transcript=transcript_id) == []
        await pilot.press("Z")
        await settle(pilot, lambda: len(view.codings) == 1)
        # A memo on the coding under the cursor.
        view.select(None, start + 2)
        await pilot.press("m")
        await settle(pilot, lambda: type(app.screen).__name__ == "MemoDialog")
        await pilot.press(*"Reise", "ctrl+s")
        await settle(pilot, lambda: coding_ready(app))
        assert store.memo("coding", coding.id) == "Reise"
        await pilot.press("ctrl+q")
    assert not (demo_path / "codings" / "tester.lock").exists()

    # Reopen straight on the transcript: the coding, its memo and the history are there.
    app = make_app(demo_path, coder="tester", transcript=transcript_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app) and painted(app.screen.view))
        view = app.screen.view
        [again] = view.codings
        assert (again.start, again.end, again.code) == (start, end, "distance.geographic")
        view.select(None, start + 2)
        await settle(pilot, lambda: "Reise" in str(app.screen.query_one("#memo-coding").render()))
        await pilot.press("z")  # undo works across restarts: the memo goes first
        await settle(pilot, lambda: app.session.store.memo("coding", again.id) == "")


@async_test
async def test_the_first_time_the_workbench_asks_who_codes(study_path: Path) -> None:
    app = make_app(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: type(app.screen).__name__ == "CoderDialog")
        await pilot.press(*"two words", "enter")
        problem = app.screen.query_one("#coder-problem")
        assert "cannot be used" in str(problem.render())
        app.screen.query_one("#coder-name").value = ""
        await pilot.press(*"kari", "enter")
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
        assert app.session.coder == "kari"
    app = make_app(study_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
        assert app.session.coder == "kari"  # remembered for this study


@async_test
async def test_keys_move_between_codings_turns_and_matches(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        screen = app.screen
        view, text = screen.view, screen.view.transcript.text
        await pilot.press("right_square_bracket")
        assert text[view.cursor:].startswith("Det ene er at vi trenger folk.")
        assert screen.current_coding().code == "motivation.recruitment"
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.current_coding().code == "distance.geographic"
        await pilot.press("left_square_bracket")
        assert screen.current_coding().code == "motivation.social-responsibility"
        await pilot.press("ctrl+home", "u")  # the first informant turn has no coding
        assert text[view.cursor:].startswith("Vi er en mekanisk bedrift")
        await pilot.press("slash", *"to søkere", "enter")
        assert view.selection is not None
        assert text[slice(*view.selection)] == "to søkere"
        await pilot.press("escape", "f")
        await settle(pilot, lambda: type(app.screen).__name__ == "CodePicker")
        await pilot.press(*"kognitiv", "enter")
        await settle(pilot, lambda: coding_ready(app))
        assert [c.code for c in view.shown_codings] == ["distance.cognitive"]
        assert view.visible_turns == {7}
        assert text[view.cursor:].startswith("Ikke alltid")


@async_test
async def test_shrinking_a_selection_by_turn_or_paragraph_codes_no_speaker_label(
    study_path: Path,
) -> None:
    app = make_app(study_path, coder="kari", transcript="t01-bedrift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        screen, view = app.screen, app.screen.view
        transcript = view.transcript
        first = transcript.turns[1]  # the informant's first turn
        await pilot.press("ctrl+home", "right_curly_bracket", "t", "t", "T")
        assert view.selection == (first.start, first.end)
        words = len(transcript.text[first.start:first.end].split())
        assert f"{words} words selected" in str(screen.query_one("#status").render())
        await pilot.press("enter")
        await settle(pilot, lambda: type(app.screen).__name__ == "CodePicker")
        await pilot.press(*"geo", "enter")
        await settle(pilot, lambda: coding_ready(app) and len(view.codings) == 1)
        [coding] = app.session.store.codings(transcript="t01-bedrift")
        assert coding.quote == transcript.text[first.start:first.end]
        assert not coding.quote.endswith("I:")
        # By paragraph: the informant's second turn has two paragraphs.
        second = transcript.turns[3]
        view.select(None, second.start)
        await pilot.press("p", "p", "p", "P")  # two paragraphs, the interviewer's, back
        assert view.selection == (second.start, second.end)
        await pilot.press("P")
        start, end = view.selection
        assert transcript.text[start:end].endswith("noen av dem står registrert hos NAV.")
        await pilot.press("P")
        assert view.selection is None  # back to nothing selected, never onto a label


@async_test
async def test_n_and_shift_n_go_through_the_matches_both_ways(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        screen, view = app.screen, app.screen.view
        text = view.transcript.text
        starts = [i for i in range(len(text)) if text.startswith("folk", i)]
        assert len(starts) == 4
        await pilot.press("slash", *"folk", "enter")
        seen = [view.selection[0]]
        for key in ("n", "N", "N", "N", "N"):
            await pilot.press(key)
            seen.append(view.selection[0])
        assert seen == [starts[0], starts[1], starts[0], starts[3], starts[2], starts[1]]
        assert "4 matches" in str(screen.query_one("#status").render())
        await pilot.press("slash", "ctrl+a", *"ikke her", "enter")
        assert "matches" not in str(screen.query_one("#status").render())


@async_test
async def test_boundaries_move_and_codings_go(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        screen, store = app.screen, app.session.store
        text = screen.view.transcript.text
        await pilot.press("right_square_bracket")  # «Det ene er at vi trenger folk.»
        await pilot.press("b", "s", "enter")  # stretch it over the next sentence
        changed = store.coding(screen.current_coding().id)
        assert changed.quote == "Det ene er at vi trenger folk. Vi har lyst ut stillinger og fått to søkere."
        assert text[changed.start:changed.end] == changed.quote
        await pilot.press("x")
        assert all(c.id != changed.id for c in store.codings(transcript="t01-bedrift"))
        await pilot.press("z")
        assert store.coding(changed.id).quote == changed.quote


@async_test
async def test_mistakes_are_explained_not_fatal(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        await pilot.press("enter", "7")  # nothing selected; no code on quick key 7
        messages = [n.message for n in app._notifications]
        assert any("Select a passage first" in m for m in messages)
        assert any("No code on quick key 7" in m for m in messages)

        def broken(*args, **kwargs):
            raise OSError(28, "No space left on device")

        app.session.store.add_coding = broken
        await pilot.press("s", "1")
        assert any("No space left on device" in n.message for n in app._notifications)
        assert coding_ready(app)


@async_test
async def test_a_broken_study_is_explained_with_its_file_line_and_what_to_do(
    tmp_path: Path,
) -> None:
    (tmp_path / "qualcode.yaml").write_text("name: Study\nlanguage: [nb\n", encoding="utf-8")
    app = make_app(tmp_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: type(app.screen).__name__ == "ProblemScreen")
        shown = "\n".join(str(part.render()) for part in app.screen.query("Static"))
        error = app.screen.error
        assert error.path == tmp_path / "qualcode.yaml" and error.line is not None
        assert f"{tmp_path / 'qualcode.yaml'}:{error.line}" in shown  # the file and the line
        assert "YAML" in error.message and error.message in shown  # what is wrong
        assert "What to do: " + error.hint in shown
        assert "Press q to quit." in shown
        await pilot.press("q")
    assert app.return_code == 0


@async_test
async def test_a_second_window_reads_along_and_takes_over_when_the_first_closes(
    study_path: Path,
) -> None:
    study = Study.open(study_path)
    first_window = CoderLock.for_store(study.coder_path("ingrid"))
    assert first_window.acquire() is None
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift", poll_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        assert app.session.read_only
        assert "read-only" in app.screen.sub_title
        store = app.session.store
        before = store.count()
        await pilot.press("s", "1")
        assert store.count() == before
        lock_file = study.coder_path("ingrid").with_suffix(".lock")
        [refusal] = [n.message for n in app._notifications if "read-only" in n.message
                     and "delete the .lock file named here" in n.message]
        assert f"File: {lock_file}" in refusal
        # The first window codes something: this one shows it.
        with study.store("ingrid") as other:
            other.add_coding(study.transcript("t01-bedrift"), 0, 10, "distance")
        await settle(pilot, lambda: len(app.screen.view.codings) == 6)
        first_window.release()
        await settle(pilot, lambda: not app.session.read_only)
        await pilot.press("1")
        assert store.count() == before + 2


@async_test
async def test_the_mouse_selects_and_the_tree_codes(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t02-fokusgruppe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app) and app.screen.view.first_paint is not None)
        screen = app.screen
        view, text = screen.view, screen.view.transcript.text
        gutter = view._painter.geometry.gutter
        row = view.text_layout.row_of(text.index("Det er en liten by"))
        await pilot.mouse_down(view, offset=(gutter, row))
        await pilot.hover(view, offset=(gutter + 17, row))
        await pilot.mouse_up(view, offset=(gutter + 17, row))
        assert text[slice(*view.selection)] == "Det er en liten b"
        await pilot.click(view, offset=(gutter + 3, row), times=2)
        assert text[slice(*view.selection)] == "er"
        await pilot.press("s")
        screen.code_tree.focus()
        screen.code_tree.select_code("motivation.recruitment")
        await pilot.press("enter")
        await settle(pilot, lambda: any(c.code == "motivation.recruitment" for c in view.codings))
        [coding] = [c for c in view.codings if c.code == "motivation.recruitment"]
        assert coding.quote == "er en liten by, folk kjenner hverandre."


@async_test
async def test_the_view_filters_to_one_role(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t02-fokusgruppe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        view = app.screen.view
        await pilot.press("r")
        await settle(pilot, lambda: type(app.screen).__name__ == "ChoiceDialog")
        await pilot.press("down", "down", "down", "enter")  # every speaker, Interviewer, NAV-veileder, …
        await settle(pilot, lambda: coding_ready(app))
        speakers = {view.transcript.turns[i].speaker for i in view.visible_turns}
        assert speakers == {"C"}
        assert view.transcript.text[view.cursor:].startswith("Men ute i distriktet")
        assert "role: Jobbspesialist" in str(app.screen.query_one("#status").render())
        await pilot.press("escape")  # the first Esc shows every speaker again
        assert view.visible_turns is None and coding_ready(app)
        await pilot.press("escape")  # started on the transcript: back builds the study screen
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))


@async_test
async def test_actions_are_in_the_command_palette(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Undo the last change", "Redo what was undone", "Keys", "Show codebook",
                "Show transcripts", "Open t02-fokusgruppe", "Next coding", "Previous coding",
                "Next match of the search", "Next of the codings at the cursor",
                "Memo on a code (the one in the tree, or choose it)",
                "Next passage with a suggested code", "Memo on the transcript"} <= titles
        # Quick keys are named by the code on them.
        on_one = app.session.study.codebook.get(app.session.quick_keys.code_on(1))
        assert f"Code the selection with {on_one.label('nb')} (quick key 1)" in titles
        assert "Quick key 9: no code on it yet (code with Enter first)" in titles
        command = next(c for c in app.get_system_commands(app.screen)
                       if c.title == "Next informant turn without a coding")
        command.callback()
        await pilot.pause()
        assert app.screen.view.transcript.text[app.screen.view.cursor:].startswith("Vi er en")


@async_test
async def test_a_code_filter_is_chosen_by_typing_and_esc_takes_it_away(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid", transcript="t01-bedrift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: coding_ready(app))
        view = app.screen.view
        await pilot.press("f")
        await settle(pilot, lambda: type(app.screen).__name__ == "CodePicker")
        await pilot.press(*"geo", "enter")
        await settle(pilot, lambda: coding_ready(app) and view.code_filter is not None)
        for typed in ("all", "every"):  # the way back stays in the list while typing
            await pilot.press("f")
            await settle(pilot, lambda: type(app.screen).__name__ == "CodePicker")
            await pilot.press(*typed)
            options = app.screen.query_one("OptionList")
            assert options.get_option_at_index(0).id == "extra:*all"
            await pilot.press("escape")
            await settle(pilot, lambda: coding_ready(app))
        assert "filter: Geografisk distanse" in str(app.screen.query_one("#status").render())
        await pilot.press("escape")  # Esc first shows every code again …
        assert coding_ready(app) and view.code_filter is None and view.visible_turns is None
        await pilot.press("escape")  # … and then goes back
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))


@async_test
async def test_each_coder_column_shows_how_much_and_how_many(study_path: Path) -> None:
    app = make_app(study_path, coder="kari")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen)
                     and app.screen.query_one("DataTable").row_count == 2)
        table = app.screen.query_one("DataTable")
        headings = [str(column.label) for column in table.columns.values()]
        assert headings == ["Transcript", "Informants", "Form", "Words", "kari (you)", "ingrid"]
        t01 = [str(cell) for cell in table.get_row("t01-bedrift")]
        assert t01[4] == "–"  # kari has not coded it
        assert t01[5].endswith("% · 5")  # ingrid: a share of the speech, and 5 codings
