"""Keeping every screen that shows codings in step with the coder's file.

A change can come from the screen itself, from undo or redo pressed on another screen (the
codebook, the help), or from another window. The screen on top hears of it at once through a
`CodingsChanged` message; a screen underneath compares the session's `version` with the one
it last showed when it comes back into view, and reads the codings again if they differ.
"""

from __future__ import annotations

from typing import ClassVar

from qualcode.tui.messages import CodingsChanged


class FollowsCodings:
    """A screen showing the coder's codings, kept current whichever screen changed them.

    Subclasses implement `codings_changed(origin)`, where origin is `undo`, `redo`,
    `elsewhere` (another window) or `resume` (the screen came back into view after a change).
    """

    REREAD_ON_RESUME: ClassVar[bool] = False
    """Read again on every return, also without a change here (for screens that show other
    coders' files too, which other windows change)."""

    _seen: tuple[object, int] | None = None

    def on_screen_resume(self) -> None:
        if self.REREAD_ON_RESUME or self._seen != self._version_now():
            self._catch_up("resume")

    def on_codings_changed(self, event: CodingsChanged) -> None:
        self._catch_up(event.origin)

    def _catch_up(self, origin: str) -> None:
        self.caught_up()
        self.codings_changed(origin)

    def caught_up(self) -> None:
        """Note that the screen shows the coder's file as it is now."""
        self._seen = self._version_now()

    def _version_now(self) -> tuple[object, int]:
        session = self.app.session  # type: ignore[attr-defined]
        return (session, session.version if session is not None else 0)

    def codings_changed(self, origin: str) -> None:
        """Show the codings again (the screen's own way)."""
        raise NotImplementedError
