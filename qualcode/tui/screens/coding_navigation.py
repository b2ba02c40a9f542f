"""Reading a transcript on the coding screen: jumps, search, filters and the status line.

The base class of `CodingScreen`, holding everything that does not write to the store.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.screen import Screen
from textual.widgets import Input, Static

from qualcode.study.navigation import (
    codings_at,
    next_coding,
    next_uncoded_turn,
    roles,
    search,
    turn_role,
    turns_of_role,
    turns_with_codings,
)
from qualcode.study.transcript import Transcript
from qualcode.tui.screens.dialogs import ChoiceDialog
from qualcode.tui.widgets.code_picker import CodePicker
from qualcode.tui.widgets.code_tree import CodeTree
from qualcode.tui.widgets.transcript_view import TranscriptView
from qualcode.wording import plural

SHOW_ALL = "*all"


class CodingNavigation(Screen[None]):
    """Moving through the open transcript."""

    transcript: Transcript | None = None
    adjusting: str | None = None
    code_filter: str | None = None
    role_filter: str | None = None
    query_text: str = ""

    @property
    def session(self):  # -> qualcode.tui.session.Session
        return self.app.session  # type: ignore[attr-defined]

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def code_tree(self) -> CodeTree:
        return self.query_one(CodeTree)

    @property
    def language(self) -> str:
        return self.session.study.config.language

    def _update_context(self) -> None:
        """Tell the side panels where the coder is (the coding screen fills this in)."""

    # -- jumps ---------------------------------------------------------------------------------

    def action_jump(self, forward: bool) -> None:
        view = self.view
        target = next_coding(view.shown_codings, view.cursor, view.current, forward)
        if target is None:
            where = "after" if forward else "before"
            self.notify(f"No coding {where} this one.", timeout=2)
            return
        view.select(None, target.start, center=True)
        view.set_current(target.id)
        self._update_context()

    def action_cycle(self) -> None:
        view = self.view
        here = codings_at(view.shown_codings, view.cursor)
        if len(here) < 2:
            return
        ids = [c.id for c in here]
        index = ids.index(view.current) if view.current in ids else -1
        view.set_current(ids[(index + 1) % len(ids)])
        self._update_context()

    def action_uncoded(self) -> None:
        view = self.view
        if self.transcript is None:
            return
        turn = next_uncoded_turn(self.transcript, view.codings, view.cursor,
                                 among=view.visible_turns)
        if turn is None:
            self.notify("Every informant turn here has a coding.", timeout=3)
            return
        view.select(None, turn.start, center=True)

    # -- search --------------------------------------------------------------------------------

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.value = self.query_text
        box.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.query_text = event.value
        view = self.view
        matches = search(view.transcript.text, event.value) if view.transcript else []
        shown = [m for m in matches if view.text_layout is None or view.text_layout.is_shown(m[0])]
        view.set_matches(shown)
        event.input.display = False
        view.focus()
        self._update_status()  # the count of matches is the new search's, also when none
        if not event.value.strip():
            return
        if not shown:
            self.notify(f"«{event.value}» is not in the text shown.", timeout=3)
            return
        self.action_match(True, from_cursor=True)

    def on_key(self, event) -> None:
        box = self.query_one("#search", Input)
        if event.key == "escape" and box.has_focus:
            box.display = False
            self.view.focus()
            event.stop()

    def action_match(self, forward: bool, from_cursor: bool = False) -> None:
        view = self.view
        if not view.matches:
            self.notify("Search first with /.", timeout=2)
            return
        # From where the match shown starts (the cursor sits at its end), or from the cursor
        # for a new search, so that a match right at the cursor is the first one found.
        if from_cursor:
            here = view.cursor - 1
        else:
            here = view.selection[0] if view.selection else view.cursor
        if forward:
            after = [m for m in view.matches if m[0] > here]
            target = after[0] if after else view.matches[0]
        else:
            before = [m for m in view.matches if m[0] < here]
            target = before[-1] if before else view.matches[-1]
        view.select(target[0], target[1], center=True)
        number = view.matches.index(target) + 1
        self.notify(f"Match {number} of {len(view.matches)}", timeout=1.5)

    # -- filters -------------------------------------------------------------------------------

    def action_filter_code(self) -> None:
        tree = self.code_tree
        if self.focused is tree and tree.code_id:
            self._set_code_filter(None if self.code_filter == tree.code_id else tree.code_id)
            return
        session = self.session
        picker = CodePicker(
            session.study.codebook,
            self.language,
            title="Show only the passages coded with…",
            extra=[(SHOW_ALL, "Show all codes again (every coding, no filter)")],
        )
        self.app.push_screen(picker, self._code_filter_chosen)

    def _code_filter_chosen(self, value: str | None) -> None:
        if value is not None:
            self._set_code_filter(None if value == SHOW_ALL else value)

    def _set_code_filter(self, code_id: str | None) -> None:
        self.code_filter = code_id
        self._apply_filters()
        self.view.focus()

    def action_filter_role(self) -> None:
        if self.transcript is None:
            return
        choices = [(SHOW_ALL, "Show every speaker")]
        choices += [(role, role) for role in roles(self.transcript)]
        dialog = ChoiceDialog("Show only the turns of…", choices)
        self.app.push_screen(dialog, self._role_chosen)

    def _role_chosen(self, value: str | None) -> None:
        if value is not None:
            self.role_filter = None if value == SHOW_ALL else value
            self._apply_filters()

    def _apply_filters(self) -> None:
        view = self.view
        transcript = self.transcript
        if transcript is None:
            return
        visible: set[int] | None = None
        codes: set[str] | None = None
        if self.code_filter is not None:
            codebook = self.session.study.codebook
            codes = {self.code_filter, *(c.id for c in codebook.descendants(self.code_filter))}
            visible = turns_with_codings(transcript, [c for c in view.codings if c.code in codes])
        if self.role_filter is not None:
            of_role = turns_of_role(transcript, self.role_filter)
            visible = of_role if visible is None else visible & of_role
        view.set_filter(visible, codes)
        self._update_status()

    # -- status line ---------------------------------------------------------------------------

    def _update_status(self) -> None:
        view = self.view
        transcript = self.transcript
        if transcript is None:
            return
        parts: list[Text] = []
        turn = transcript.turn_at(view.cursor)
        if turn is not None:
            role = turn_role(transcript, turn)
            parts.append(Text.assemble((turn.speaker or "–", "bold"), f" {role}" if role else ""))
        selection = view.selection
        if selection:
            words = len(transcript.text[selection[0]:selection[1]].split())
            parts.append(Text(plural(words, "word") + " selected"))
        if self.adjusting is not None:
            parts.append(Text(" moving boundaries: Enter keeps, Esc leaves ", style="reverse"))
        if self.code_filter is not None:
            code = self.session.study.codebook.get(self.code_filter)
            label = code.label(self.language) if code else self.code_filter
            parts.append(Text(f"filter: {label} (Esc shows all)"))
        if self.role_filter is not None:
            parts.append(Text(f"role: {self.role_filter}"))
        if view.matches:
            parts.append(Text(plural(len(view.matches), "match", "matches")))
        parts.append(Text(plural(len(view.codings), "coding")))
        if self.session.read_only:
            parts.append(Text(" read-only ", style="reverse"))
        self.query_one("#status", Static).update(Text(" │ ").join(parts), layout=False)

    def filtered(self) -> bool:
        """Whether the view shows only one code's passages or one role's turns."""
        return self.code_filter is not None or self.role_filter is not None

    def action_show_all(self) -> None:
        """Take the code and role filters away."""
        self.code_filter = self.role_filter = None
        self._apply_filters()
        self.notify("Showing every code and every speaker again.", timeout=2)

    def action_back(self) -> None:
        """Esc: first take a filter away, then go back to the transcripts."""
        if self.filtered():
            self.action_show_all()
            return
        self.app.back_to_study()  # type: ignore[attr-defined]
