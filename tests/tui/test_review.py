"""The disagreement review: each passage where two coders differ, settled with one key.

The small test study has one coder (`ingrid`); `jonas` is added here through the store, coding
the same two transcripts a little differently:

1. different code: ingrid gave «Det andre er at vi føler et visst ansvar.» social
   responsibility, jonas gave it recruitment;
2. boundaries differ: both coded the travel time as geographic distance, jonas a shorter stretch;
3. and 4. one coder only: ingrid's `distance` and `distance.cognitive`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable
from tui_helpers import SIZE, async_test, settle

from qualcode.agreement.consensus import build_consensus
from qualcode.agreement.disagreements import find_disagreements
from qualcode.cli.main import main
from qualcode.study import Study
from qualcode.tui.app import make_app
from qualcode.tui.screens.consensus_coding import ConsensusCodingScreen
from qualcode.tui.screens.review import ReviewScreen
from qualcode.tui.screens.study import StudyScreen
from qualcode.tui.session import Session
from qualcode.tui.widgets.disagreement import context_bounds

JONAS = [
    ("t01-bedrift", "Det ene er at vi trenger folk.", "motivation.recruitment"),
    ("t01-bedrift", "Det andre er at vi føler et visst ansvar.", "motivation.recruitment"),
    ("t01-bedrift", "Det er en time å kjøre hver vei", "distance.geographic"),
    ("t02-fokusgruppe", "ute i distriktet er det en time å kjøre", "distance.geographic"),
]


@pytest.fixture
def two_coders(study_path: Path) -> Path:
    """The test study with a second coder, `jonas`."""
    study = Study.open(study_path)
    with study.store("jonas", create=True) as store:
        for tid, quote, code in JONAS:
            transcript = study.transcript(tid)
            start = transcript.text.index(quote)
            store.add_codings(transcript, [(start, start + len(quote), code)], f"Code {tid}")
    return study_path


def review_ready(app) -> bool:
    screen = app.screen
    return isinstance(screen, ReviewScreen) and screen.read and screen.current is not None


async def open_review(pilot) -> ReviewScreen:
    app = pilot.app
    await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
    await pilot.press("f3")
    await settle(pilot, lambda: review_ready(app))
    return app.screen


def test_the_fixture_has_the_four_disagreements_the_tests_expect(two_coders: Path) -> None:
    found = find_disagreements(Study.open(two_coders), ["ingrid", "jonas"])
    assert [d.kind for d in found] == [
        "different-code", "boundaries-differ", "one-coder-only", "one-coder-only"]


@async_test
async def test_a_takes_the_first_coders_codings_with_the_memo_on_why(two_coders: Path) -> None:
    app = make_app(two_coders, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert screen.coders == ("ingrid", "jonas")
        first = screen.current
        assert (first.number, first.kind) == (1, "different-code")
        await pilot.press("m", *"Ansvar, ikke rekruttering", "enter")
        await pilot.press("a")
        await settle(pilot, lambda: screen.disagreements[0].settled)
        assert screen.current.number == 2  # on to the next open one
        assert "1 of 4 settled" in str(screen.query_one("#review-progress").render())

        # The decision is in the consensus layer, read back through the library.
        study = Study.open(two_coders)
        settled = find_disagreements(study, ["ingrid", "jonas"])[0]
        assert settled.settlement.decision == "ingrid"
        assert settled.settlement.memo == "Ansvar, ikke rekruttering"
        with study.store("consensus") as store:
            kept = {(c.transcript, study.transcript(c.transcript).text[c.start:c.end], c.code)
                    for c in store.codings()}
        assert ("t01-bedrift", "Det andre er at vi føler et visst ansvar.",
                "motivation.social-responsibility") in kept

        # 0 leaves the second passage uncoded; r reopens it.
        await pilot.press("0")
        await settle(pilot, lambda: screen.disagreements[1].settled)
        assert screen.disagreements[1].settlement.decision == "neither"
        await pilot.press("p")
        assert screen.current.number == 2
        await pilot.press("r")
        await settle(pilot, lambda: not screen.disagreements[1].settled)
        assert not find_disagreements(Study.open(two_coders), ["ingrid", "jonas"])[1].settled
        # u finds the next one without a decision; b takes jonas's (nothing there).
        await pilot.press("u")
        assert screen.current.number == 3
        await pilot.press("b")
        await settle(pilot, lambda: screen.disagreements[2].settled)
        assert screen.disagreements[2].settlement.codings == ()


def test_e_codes_the_passage_by_hand_as_consensus_then_hands_back(
    two_coders: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Suggested codes are not what this is about, and making the suggester takes seconds.
    monkeypatch.setattr(Session, "suggest", lambda self, task: None, raising=False)
    edit_then_go_back(two_coders, capsys)


@async_test
async def edit_then_go_back(two_coders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = make_app(two_coders, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        review = await open_review(pilot)
        d = review.current
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, ConsensusCodingScreen)
                     and app.screen.view.selection == (d.start, d.end))
        assert app.session.coder == "consensus"
        assert (two_coders / "codings" / "consensus.lock").exists()
        await pilot.press("enter")
        await settle(pilot, lambda: type(app.screen).__name__ == "CodePicker")
        await pilot.press(*"kognitiv", "enter")
        await settle(pilot, lambda: isinstance(app.screen, ConsensusCodingScreen)
                     and len(app.session.store.codings(code="distance.cognitive")) == 1)
        while not isinstance(app.screen, ReviewScreen):
            await pilot.press("escape")
            await pilot.pause()
        assert app.session.coder == "ingrid"
        assert not (two_coders / "codings" / "consensus.lock").exists()
        # Coding by hand settled the passage: the review says so and counts it.
        await settle(pilot, lambda: review.disagreements[0].settled)
        assert d.key in review.by_hand
        assert "1 of 4 settled" in str(review.query_one("#review-progress").render())
        assert "coded by hand" in str(review.query_one("#review-decision").render())
        assert "by hand" in str(review.query_one(DataTable).get_cell(d.key, "decision"))
    study = Study.open(two_coders)
    with study.store("consensus") as store:
        [by_hand] = store.codings(code="distance.cognitive")
    assert (by_hand.start, by_hand.end) == (d.start, d.end)
    with study.store("ingrid") as store:
        assert len(store.codings(code="distance.cognitive")) == 1  # ingrid's own, unchanged
    # The decision is one made by hand, for the command line too, and it holds on a refresh.
    assert find_disagreements(study, ["ingrid", "jonas"])[0].settlement.decision == "hand"
    build_consensus(study, ["ingrid", "jonas"])
    assert find_disagreements(study, ["ingrid", "jonas"])[0].settlement.decision == "hand"
    with study.store("consensus") as store:
        assert len(store.codings(code="distance.cognitive")) == 1
    assert main(["disagreements", str(two_coders)]) == 0
    assert "settled: by hand" in capsys.readouterr().out


@async_test
async def test_undo_on_the_review_takes_back_the_last_decision_not_the_coders_work(
    two_coders: Path,
) -> None:
    app = make_app(two_coders, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        own_steps = len(app.session.store.history())
        footer = " ".join(b.binding.description for b in screen.active_bindings.values()
                          if b.binding.show)
        assert "Undo decision" in footer
        await pilot.press("a")
        await settle(pilot, lambda: screen.disagreements[0].settled)
        await pilot.press("z")
        await settle(pilot, lambda: not screen.disagreements[0].settled)
        assert any("Undone: your last decision. #1" in n.message for n in app._notifications)
        assert screen.current.number == 1  # it shows the disagreement undo changed
        assert not find_disagreements(Study.open(two_coders), ["ingrid", "jonas"])[0].settled
        assert len(app.session.store.history()) == own_steps  # ingrid's file untouched
        assert app.session.store.can_undo()
        await pilot.press("Z")
        await settle(pilot, lambda: screen.disagreements[0].settled)
        assert screen.disagreements[0].settlement.decision == "ingrid"
        await pilot.press("z", "z")  # the second finds nothing more to undo here
        await settle(pilot, lambda: not screen.disagreements[0].settled)
        await settle(pilot, lambda: any("Nothing to undo here" in n.message
                                        for n in app._notifications))


@async_test
async def test_a_memo_written_before_the_decision_is_kept(two_coders: Path, capsys) -> None:
    app = make_app(two_coders, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("n", "m", *"Kortere er nok", "enter")
        await settle(pilot, lambda: screen.pending)
        await pilot.press("escape")  # leave the review, then come back
        screen = await open_review(pilot)
        await pilot.press("n")
        assert screen.pending == {screen.current.key: "Kortere er nok"}
        assert "Kortere er nok" in str(screen.query_one("#review-decision").render())
    # The command line shows it with its disagreement.
    assert main(["disagreements", str(two_coders)]) == 0
    listed = " ".join(capsys.readouterr().out.split())
    assert "memo, waiting for the decision: Kortere er nok" in listed
    app = make_app(two_coders, coder="ingrid")  # and after quitting
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("n", "b")
        await settle(pilot, lambda: screen.disagreements[1].settled)
        assert screen.disagreements[1].settlement.memo == "Kortere er nok"
        assert screen.pending == {}
    study = Study.open(two_coders)
    assert find_disagreements(study, ["ingrid", "jonas"])[1].settlement.memo == "Kortere er nok"


@async_test
async def test_the_consensus_made_in_the_review_holds_every_passage_coded_alike(
    two_coders: Path,
) -> None:
    app = make_app(two_coders, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("a")
        await settle(pilot, lambda: screen.disagreements[0].settled)
    study = Study.open(two_coders)
    with study.store("consensus") as store:
        kept = {(c.transcript, study.transcript(c.transcript).text[c.start:c.end], c.code)
                for c in store.codings()}
    # Both coded these alike, one of them in the other transcript.
    assert ("t02-fokusgruppe", "ute i distriktet er det en time å kjøre",
            "distance.geographic") in kept
    assert ("t01-bedrift", "Det ene er at vi trenger folk.", "motivation.recruitment") in kept
    assert build_consensus(study, ["ingrid", "jonas"]).added == 0  # nothing left to add


@async_test
async def test_with_one_coder_the_review_says_what_to_do(study_path: Path) -> None:
    app = make_app(study_path, coder="ingrid")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))
        await pilot.press("f3")
        await settle(pilot, lambda: any("second coder" in n.message for n in app._notifications))
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.disagreements == []
        await pilot.press("a")  # nothing to settle: nothing happens
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, StudyScreen))


def test_context_stays_within_the_passages_turn(study_path: Path) -> None:
    from qualcode.study.navigation import Navigator

    transcript = Study.open(study_path).transcript("t01-bedrift")
    start = transcript.text.index("Det andre er at")
    end = start + len("Det andre er at vi føler et visst ansvar.")
    lo, hi = context_bounds(transcript, Navigator(transcript), start, end)
    turn = transcript.turn_at(start)
    assert turn.start <= lo < start and end < hi <= turn.end
    assert transcript.text[lo:start].strip() == (
        "Så vi må finne folk der de er, og noen av dem står registrert hos NAV.")  # one sentence


def test_review_screen(two_coders: Path, snap_compare) -> None:
    app = make_app(two_coders, coder="ingrid")

    async def on_the_first_disagreement(pilot) -> None:
        await open_review(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=on_the_first_disagreement)


@async_test
async def test_on_narrow_terminals_the_list_goes_above_and_the_columns_stay_readable(
    two_coders: Path,
) -> None:
    for size, side_by_side in (((80, 24), True), ((60, 20), False)):
        app = make_app(two_coders, coder="ingrid")
        async with app.run_test(size=size) as pilot:
            screen = await open_review(pilot)
            await pilot.pause()
            assert screen.has_class("-narrow")
            listed = screen.query_one("#review-list").region
            passage = screen.query_one("#review-passage")
            assert listed.bottom <= passage.region.y  # the list above the passage
            table = passage.content
            if side_by_side:
                assert [str(c.header) for c in table.columns] == ["a · ingrid", "b · jonas"]
                assert passage.region.width // 2 >= 30  # each coder's column
            else:  # one above the other, each with its coder's name
                assert len(table.columns) == 1 and len(table.rows) == 2
