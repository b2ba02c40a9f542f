"""Suggested codes on the coding screen: listed where the coder is, accepted, rejected, marked.

The test study gets one more interview whose paragraphs each carry a code's keywords, so
what is suggested where is known in advance.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from rich.style import Style
from tui_helpers import SIZE, async_test, settle

from qualcode.errors import SuggestError
from qualcode.tui.app import make_app
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.session import Session

TRANSCRIPT = "t03-kommune"
INTERVIEW = """---
title: Personalleder i kommune, utkant
language: nb
form: individual interview
informants:
  D:
    role: Personalleder
    organisation_type: offentlig
    municipality_type: utkantkommune
    region: Nordland
---

I: Hvordan er kontakten med NAV?

D: Avstanden er det verste. Vi må kjøre en time, og ferja går bare to ganger om dagen.

I: Og når dere snakker sammen?

D: De bruker et byråkratisk språk som vi ikke forstår. Og kontoret er langt unna: stor avstand.

I: Hvorfor er dere med?

D: Vi trenger folk, og vi vil rekruttere flere søkere enn vi får i dag.
"""
DISTANCE = "Avstanden er det verste. Vi må kjøre en time, og ferja går bare to ganger om dagen."
WORDS = "De bruker et byråkratisk språk som vi ikke forstår. Og kontoret er langt unna: stor avstand."


@pytest.fixture
def interview_path(study_path: Path) -> Path:
    """The test study with the interview above."""
    (study_path / "transcripts" / f"{TRANSCRIPT}.md").write_text(INTERVIEW, encoding="utf-8")
    return study_path


def suggestions_shown(app) -> bool:
    """The coding screen is open and its suggestions are worked out (none still coming)."""
    screen = app.screen
    return (isinstance(screen, CodingScreen) and screen.suggestions.state == "ready"
            and not screen.suggestions.busy)


def panel_text(app) -> str:
    """What the suggestions panel says, as plain text."""
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(app.screen.query_one("#suggestions").content)
    return console.export_text()


def style_at(view, offset: int) -> Style:
    """The style the view draws the character at `offset` in."""
    row = view.text_layout.row_of(offset)
    column = view._painter.geometry.gutter + view.text_layout.column(offset, row)
    strip = view.render_line(row - int(view.scroll_offset.y))
    return strip.crop(column, column + 1)._segments[0].style


def is_trigger(style: Style) -> bool:
    return bool(style.bold and style.underline)


async def open_interview(pilot) -> CodingScreen:
    await settle(pilot, lambda: suggestions_shown(pilot.app))
    return pilot.app.screen


@async_test
async def test_the_panel_suggests_a_code_and_accepting_codes_the_passage(
    interview_path: Path,
) -> None:
    app = make_app(interview_path, coder="ingrid", transcript=TRANSCRIPT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_interview(pilot)
        view, text = screen.view, screen.view.transcript.text
        start = text.index(DISTANCE)
        await pilot.press("g")  # the first passage with a suggestion
        assert view.cursor == start
        best = screen.suggestions.highlighted()
        assert best is not None and best.code == "distance.geographic"
        assert (best.start, best.end) == (start, start + len(DISTANCE))
        shown = panel_text(app)
        assert "Geografisk distanse" in shown
        assert "Avstanden, kjøre, ferja" in shown
        assert f"{best.score:.2f}" in shown
        # The passage and its triggering words are marked in the text.
        assert (start, start + len(DISTANCE)) in view.suggestion_layer.passages
        assert is_trigger(style_at(view, start + 2))
        assert not is_trigger(style_at(view, start + len("Avstanden er")))

        await pilot.press("a")
        await settle(pilot, lambda: suggestions_shown(app))
        store = app.session.store
        [coding] = store.codings(transcript=TRANSCRIPT)
        assert (coding.start, coding.end, coding.code) == (best.start, best.end, best.code)
        [feedback] = store.feedback()
        assert (feedback.transcript, feedback.start, feedback.end, feedback.code,
                feedback.decision) == (TRANSCRIPT, best.start, best.end, best.code, "accept")
        assert "Geografisk distanse" not in panel_text(app)  # coded now: no longer suggested
        assert app.session.recent[0] == "distance.geographic"

        await pilot.press("z")  # accepting was one coding step: undone, it is suggested again
        await settle(pilot, lambda: "Geografisk distanse" in panel_text(app))
        assert store.codings(transcript=TRANSCRIPT) == []
        assert store.feedback() == []  # the accept no longer teaches the model
        assert screen.suggestions.highlighted().code == "distance.geographic"


@async_test
async def test_a_rejected_suggestion_goes_and_stays_away(interview_path: Path) -> None:
    app = make_app(interview_path, coder="ingrid", transcript=TRANSCRIPT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_interview(pilot)
        view, text = screen.view, screen.view.transcript.text
        start = text.index(WORDS)
        span = (start, start + len(WORDS))
        view.select(None, start + 5)
        await settle(pilot, lambda: "Kognitiv distanse" in panel_text(app))
        here = screen.suggestions.here()
        assert [s.code for s in here.suggestions] == ["distance.cognitive", "distance.geographic"]
        await pilot.press("apostrophe")  # highlight the second
        assert screen.suggestions.highlighted().code == "distance.geographic"
        await pilot.press("d")
        await settle(pilot, lambda: suggestions_shown(app))
        [feedback] = app.session.store.feedback()
        assert (feedback.start, feedback.end, feedback.code, feedback.decision) == (
            *span, "distance.geographic", "reject")
        shown = panel_text(app)
        assert "Geografisk distanse" not in shown and "Kognitiv distanse" in shown
        assert span in view.suggestion_layer.passages  # still suggested, for the other code
        assert app.session.store.codings(transcript=TRANSCRIPT) == []

    app = make_app(interview_path, coder="ingrid", transcript=TRANSCRIPT)
    async with app.run_test(size=SIZE) as pilot:  # the decision is remembered
        screen = await open_interview(pilot)
        screen.view.select(None, start + 5)
        await settle(pilot, lambda: "Kognitiv distanse" in panel_text(app))
        assert "Geografisk distanse" not in panel_text(app)

        await pilot.press("z")  # a reject by mistake is taken back like any other action
        await settle(pilot, lambda: "Geografisk distanse" in panel_text(app))
        assert app.session.store.feedback() == []


OTHER_CODE = "motivation.social-responsibility"
"""A code no keyword of the interview points to: only jonas's codings could suggest it."""


@async_test
async def test_suggestions_never_show_another_coders_codings(interview_path: Path) -> None:
    """Coders work blind: what jonas coded must not come back as suggestions for ingrid."""
    from qualcode.study import Study

    study = Study.open(interview_path)
    transcript = study.transcript(TRANSCRIPT)
    with study.store("jonas", create=True) as jonas:  # enough to learn the code from
        for paragraph in transcript.paragraphs:
            if not transcript.turn_at(paragraph.start).is_interviewer:
                jonas.add_coding(transcript, paragraph.start, paragraph.end, OTHER_CODE)
    app = make_app(interview_path, coder="ingrid", transcript=TRANSCRIPT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_interview(pilot)
        shown = {s.code for passage in screen.suggestions._passages.values() for s in passage}
        assert "distance.geographic" in shown  # the keywords still speak
        assert OTHER_CODE not in shown


@async_test
async def test_the_selection_gets_its_own_suggestions(interview_path: Path) -> None:
    app = make_app(interview_path, coder="ingrid", transcript=TRANSCRIPT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_interview(pilot)
        view = screen.view
        await pilot.press("slash", *"byråkratisk språk", "enter")
        await settle(pilot, lambda: "Suggested for the selection" in panel_text(app))
        selected = view.selection
        assert screen.suggestions.highlighted().code == "distance.cognitive"
        await pilot.press("a")
        await settle(pilot, lambda: suggestions_shown(app))
        [coding] = app.session.store.codings(transcript=TRANSCRIPT)
        assert (coding.start, coding.end, coding.code) == (*selected, "distance.cognitive")
        assert view.selection is None


@async_test
async def test_the_marks_can_be_hidden_and_shown_again(interview_path: Path) -> None:
    app = make_app(interview_path, coder="ingrid", transcript=TRANSCRIPT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_interview(pilot)
        view = screen.view
        start = view.transcript.text.index(DISTANCE)
        assert view.suggestion_layer is not None and view.suggestion_layer.passages
        await pilot.press("h")
        assert view.suggestion_layer is None and not view._marks
        assert not is_trigger(style_at(view, start + 2))
        assert "h show marks" in panel_text(app)  # the panel still lists them
        await pilot.press("h")
        assert is_trigger(style_at(view, start + 2))
        assert not is_trigger(style_at(view, start + len("Avstanden er")))


@async_test
async def test_without_suggestions_coding_goes_on(interview_path: Path, monkeypatch) -> None:
    def broken(session, task):
        raise SuggestError("The keywords could not be read.", hint="Check the codebook.")

    monkeypatch.setattr(Session, "suggest", broken)
    app = make_app(interview_path, coder="ingrid", transcript=TRANSCRIPT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, CodingScreen)
                     and app.screen.suggestions.state == "failed")
        assert "Not available: The keywords could not be read." in panel_text(app)
        await pilot.press("g", "s", "1")  # no suggestions to go to; coding works as ever
        await settle(pilot, lambda: len(app.screen.view.codings) == 1)
        told = [n.message for n in app._notifications if "keywords could not be read" in n.message]
        assert len(told) == 1


def test_coding_screen_with_suggestions(interview_path: Path, snap_compare) -> None:
    app = make_app(interview_path, coder="ingrid", transcript=TRANSCRIPT)

    async def on_a_suggested_passage(pilot) -> None:
        await settle(pilot, lambda: suggestions_shown(app))
        await pilot.press("g")
        view = app.screen.view
        await settle(pilot, lambda: "Geografisk distanse" in panel_text(app)
                     and view.painted_version == view._version)

    assert snap_compare(app, terminal_size=SIZE, run_before=on_a_suggested_passage)



@async_test
async def test_the_panel_says_what_the_suggestions_rest_on(interview_path: Path) -> None:
    """Keywords alone until the coder has coded enough; then the codes learned are counted."""
    app = make_app(interview_path, coder="ingrid", transcript=TRANSCRIPT)
    async with app.run_test(size=SIZE) as pilot:
        await open_interview(pilot)
        await pilot.press("g")
        assert "too little coded yet" in " ".join(panel_text(app).split())

    from qualcode.study import Study

    study = Study.open(interview_path)
    transcript = study.transcript(TRANSCRIPT)
    with study.store("ingrid", create=True) as store:
        for paragraph in transcript.paragraphs:  # every informant answer read and coded
            if not transcript.turn_at(paragraph.start).is_interviewer:
                store.add_coding(transcript, paragraph.start, paragraph.end,
                                 "distance.geographic")
    app = make_app(interview_path, coder="ingrid", transcript=TRANSCRIPT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_interview(pilot)
        screen.view.select(None, transcript.text.index(WORDS) + 5)
        await settle(pilot, lambda: "Learned from your coding" in " ".join(panel_text(app).split()))
