"""Suggested codes on the coding screen: worked out in workers, accepted or rejected with a key.

The base class of `CodingScreen` (after `CodingNavigation`) holding everything about
suggestions. The study's suggester lives on the session and is only ever used from worker
threads (`Session.suggest`); the workers post `SuggestionsReady` and the handlers here, on the
UI thread, fill the screen's `SuggestionBook`, which the side panel and the transcript view
show. Accepting codes the suggested passage (one undoable step) and, like rejecting, is
remembered in the coder's file; the suggester then learns again in a worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on, work
from textual.worker import Worker, WorkerState, get_current_worker

from qualcode.errors import SuggestError
from qualcode.study.transcript import Transcript
from qualcode.tui.guard import as_qualcode_error, guarded, report
from qualcode.tui.messages import SuggestionsReady
from qualcode.tui.screens.coding_navigation import CodingNavigation
from qualcode.tui.widgets.suggestions_panel import FAILED, LEARNING, READING, SuggestionBook
from qualcode.wording import plural

if TYPE_CHECKING:
    from qualcode.suggest import Suggester, Suggestion
    from qualcode.tui.session import Session

GROUPS = ("suggest", "suggest-selection")
"""Worker groups: the whole transcript, and the selection."""


def _explained(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """Work out every suggestion's triggers now (in the worker), not when first drawn."""
    for suggestion in suggestions:
        _ = suggestion.triggers
    return list(suggestions)


class CodingSuggestions(CodingNavigation):
    """Suggested codes for the open transcript and the selection."""

    def __init__(self) -> None:
        super().__init__()
        self.suggestions = SuggestionBook()
        """The open transcript's suggestions and what the coder did with them."""
        self._can_accept = False

    def _reload(self) -> None:
        """Read the transcript's codings again and show them (the coding screen does this)."""

    # -- working them out ----------------------------------------------------------------------

    @guarded
    def start_suggesting(self) -> None:
        """Work out the open transcript's suggestions (called once the transcript is shown)."""
        transcript = self.transcript
        if transcript is None:
            return
        rejected = self._rejected_here(transcript)
        self.suggestions.start(transcript.id, rejected, not self.session.suggester_ready)
        self.suggestions.set_marks(self.session.suggestion_marks)
        self._suggest_transcript(self.session, transcript)

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False,
          name="making code suggestions")
    def _suggest_transcript(self, session: Session, transcript: Transcript) -> None:
        worker = get_current_worker()

        def suggest(suggester: Suggester) -> tuple[list[Suggestion], str] | None:
            if worker.is_cancelled:  # a newer request does it
                return None
            return _explained(suggester.for_transcript(transcript)), _basis(suggester)

        found = session.suggest(suggest)
        if found is not None and not worker.is_cancelled:
            suggestions, basis = found
            self.post_message(SuggestionsReady(transcript.id, suggestions, basis=basis))

    @work(thread=True, exclusive=True, group="suggest-selection", exit_on_error=False,
          name="suggesting codes for the selection")
    def _suggest_selection(self, session: Session, transcript: Transcript, start: int, end: int
                           ) -> None:
        worker = get_current_worker()

        def suggest(suggester: Suggester) -> list[Suggestion] | None:
            if worker.is_cancelled:  # the selection has changed since
                return None
            return _explained(suggester.for_span(transcript, start, end))

        found = session.suggest(suggest)
        if found is not None and not worker.is_cancelled:
            self.post_message(SuggestionsReady(transcript.id, found, (start, end)))

    @on(SuggestionsReady)
    def _suggestions_ready(self, message: SuggestionsReady) -> None:
        if self.transcript is None or message.transcript != self.transcript.id:
            return
        if message.span is None:
            self.suggestions.fill(message.suggestions, message.basis)
        else:
            self.suggestions.fill_selection(message.span, message.suggestions)
        self._update_context()

    @on(Worker.StateChanged)
    def _suggesting_failed(self, event: Worker.StateChanged) -> None:
        """Say once why there are no suggestions; the panel keeps saying it."""
        worker = event.worker
        if worker.group not in GROUPS or event.state != WorkerState.ERROR:
            return
        error = worker.error
        explained = as_qualcode_error(error) if isinstance(error, Exception) else None
        if explained is None:
            explained = SuggestError(
                f"Code suggestions could not be made: {error!r}.",
                hint="Coding works as before. Please report this problem with the steps that "
                "led to it.",
            )
        if self.suggestions.fail(explained.message):
            report(self, explained)
        self._update_context()

    def _rejected_here(self, transcript: Transcript) -> set[tuple[int, int, str]]:
        """(start, end, code) of the suggestions the coder rejected in `transcript`."""
        return {
            (item.start, item.end, item.code)
            for item in self.session.store.feedback()
            if item.transcript == transcript.id and item.decision == "reject"
        }

    def decisions_changed(self) -> None:
        """Undo or redo may have taken back an accept or a reject: show and learn accordingly."""
        if self.transcript is None:
            return
        self.suggestions.set_rejected(self._rejected_here(self.transcript))
        self._relearn()

    def _relearn(self) -> None:
        """Learn again from the codings and decisions, then suggest anew (in a worker)."""
        if self.transcript is None or self.suggestions.state == FAILED:
            return
        self.session.relearn()
        self.suggestions.relearning()
        self._suggest_transcript(self.session, self.transcript)

    # -- keeping in step -----------------------------------------------------------------------

    def sync_suggestions(self) -> None:
        """Bring the suggestions in step with the codings, the cursor and the selection.

        Called before the side panels are told where the coder is: tells the panels and the
        view what to show, and asks for the selection's suggestions when it is new.
        """
        view, book = self.view, self.suggestions
        if self.transcript is None:
            return
        book.set_codings(view.codings)
        selection = view.selection
        if selection is not None and view.navigator is not None:
            selection = view.navigator.trim(*selection)
            if selection[0] >= selection[1]:
                selection = None
        if book.place(view.cursor, selection) and selection and book.state != FAILED:
            self._suggest_selection(self.session, self.transcript, *selection)
        book.set_marks(self.session.suggestion_marks)
        view.set_suggestions(book.layer() if book.marks else None)
        for panel in self.query_one("#side-panels").children:
            show = getattr(panel, "show_suggestions", None)
            if show is not None:
                show(book)
        can_accept = book.highlighted() is not None
        if can_accept != self._can_accept:
            self._can_accept = can_accept
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept_suggestion", "reject_suggestion"):
            return self.adjusting is None and self.suggestions.highlighted() is not None
        return super().check_action(action, parameters)

    # -- the coder's decisions -----------------------------------------------------------------

    def _label(self, code_id: str) -> str:
        code = self.session.study.codebook.get(code_id)
        return code.label(self.language) if code else code_id

    @guarded
    def action_accept_suggestion(self) -> None:
        """Code the highlighted suggestion's passage with its code (one undoable step)."""
        suggestion = self.suggestions.highlighted()
        view, transcript = self.view, self.transcript
        if suggestion is None or transcript is None or view.navigator is None:
            return
        store = self.session.writable()
        start, end = view.navigator.trim(suggestion.start, suggestion.end)
        coding = store.accept_suggestion(
            transcript, start, end, suggestion.code, suggestion.start, suggestion.end
        )
        self.session.used(suggestion.code)
        if view.selection is not None:
            view.mark = None
            view.cursor = end
        view.current = coding.id
        self._reload()
        self.notify(f"Coded with {self._label(suggestion.code)}. Undo with z.", timeout=3)
        self._relearn()

    @guarded
    def action_reject_suggestion(self) -> None:
        """Remember that the highlighted suggestion is wrong here, and stop showing it."""
        suggestion = self.suggestions.highlighted()
        transcript = self.transcript
        if suggestion is None or transcript is None:
            return
        self.session.writable().record_feedback(
            transcript, suggestion.start, suggestion.end, suggestion.code, "reject"
        )
        self.suggestions.reject(suggestion)
        self.notify(f"{self._label(suggestion.code)} is no longer suggested here. Undo with z.",
                    timeout=3)
        self._update_context()
        self._relearn()

    def action_next_suggestion(self) -> None:
        self.suggestions.cycle()
        self._update_context()

    def action_suggested(self, forward: bool) -> None:
        if self.suggestions.state in (LEARNING, READING):
            self.notify("The suggestions are still being worked out.", timeout=2)
            return
        target = self.suggestions.next_passage(self.view.cursor, forward)
        if target is None:
            where = "after" if forward else "before"
            self.notify(f"No suggested passage {where} this one.", timeout=2)
            return
        self.view.select(None, target, center=True)

    def action_toggle_suggestions(self) -> None:
        shown = self.session.suggestion_marks = not self.session.suggestion_marks
        self._update_context()
        self.notify("Suggestions are marked in the text." if shown else
                    "Suggestions are no longer marked in the text (h shows them).", timeout=2)


def _basis(suggester: Suggester) -> str:
    """What the coder's suggestions rest on, in a line of the panel."""
    model = suggester.model
    learned = len(model.learned_codes)
    if not learned:
        return "From the codebook's keywords: too little coded yet to learn from."
    noted = f" ({plural(len(model.notes), 'note')}: see qualcode suggest)" if model.notes else ""
    return f"Learned from your coding for {plural(learned, 'code')}; keywords for the rest.{noted}"
