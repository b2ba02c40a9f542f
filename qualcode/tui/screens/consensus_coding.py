"""The coding screen over the consensus layer, opened from the review at one passage.

`e` on the review screen codes a disagreement's passage by hand. The app then works as the
coder `consensus` (its own session, with the consensus layer's lock) until the screen is left,
so undo, memos and the title all apply to the consensus layer; leaving gives the app back to
the coder who opened the review.
"""

from __future__ import annotations

from qualcode.agreement.disagreements import Disagreement
from qualcode.study.study import CONSENSUS
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.session import Session


class ConsensusCodingScreen(CodingScreen):
    """The coding screen over the consensus layer, opened at one disagreement's passage.

    While it is shown, the app works as the coder `consensus` (so undo, memos and the title all
    apply to the consensus layer); leaving it gives the app back to the coder who opened it.
    """

    def __init__(self, transcript_id: str, passage: tuple[int, int],
                 coder_session: Session | None) -> None:
        super().__init__(transcript_id)
        self.passage = passage
        self._coder_session = coder_session
        """The session to return to (None when the app already works as `consensus`)."""

    @classmethod
    def open(cls, app, d: Disagreement) -> ConsensusCodingScreen:
        """Switch the app to the consensus layer and show the passage there."""
        own = app.session
        if own.coder == CONSENSUS:
            screen = cls(d.transcript, (d.start, d.end), None)
        else:
            app.session = Session.open(own.study, CONSENSUS)
            screen = cls(d.transcript, (d.start, d.end), own)
            app.notify("You code as consensus here: changes go into the consensus layer. "
                       "Esc goes back to the review.", timeout=5)
        app.push_screen(screen)
        return screen

    def on_mount(self) -> None:
        self._select_passage()

    def _select_passage(self, tries: int = 100) -> None:
        """Select the passage as soon as the transcript is laid out."""
        if self.transcript is not None and self.view.text_layout is not None:
            self.view.select(*self.passage, center=True)
        elif tries:
            self.set_timer(0.05, lambda: self._select_passage(tries - 1))

    def give_back(self) -> None:
        """Return the app to the coder who opened the review (once)."""
        own, self._coder_session = self._coder_session, None
        if own is not None:
            consensus, self.app.session = self.app.session, own
            consensus.close()

    def action_back(self) -> None:
        self.give_back()
        self.app.pop_screen()

    def on_unmount(self) -> None:
        self.give_back()
