"""One coder at work on one study: the study, the coder's store, the window's lock.

The session is created on the UI thread (its SQLite connection belongs there). When another
window already codes as the same coder, the session is read-only: it shows that window's
codings, follows its changes, and refuses to write until the other window closes.

The session also keeps the study's code suggester, made once by the first worker thread that
asks for it (`suggest`), because reading the study and learning from its codings takes seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from qualcode.agreement.review_notes import DecisionHistory
from qualcode.errors import StoreError
from qualcode.store.coder_store import CoderStore, Coding
from qualcode.store.lock import CoderLock, LockHolder
from qualcode.store.progress import recent_codes
from qualcode.study.study import Study, check_coder_name
from qualcode.tui.quick_keys import QUICK_KEYS, QuickKeys

if TYPE_CHECKING:
    from qualcode.suggest import Suggester

T = TypeVar("T")


class Session:
    """An open study with the coder's codings file."""

    def __init__(self, study: Study, coder: str, store: CoderStore, lock: CoderLock,
                 holder: LockHolder | None, quick_keys: list[str | None] | None = None) -> None:
        self.study = study
        self.coder = coder
        self.store = store
        self.lock = lock
        self.holder = holder
        """Who else holds the coder's file (None when this window may write)."""
        self.quick_keys = self._numbered(quick_keys)
        """The code on each number key 1–9: as the coder last had them, else numbered from
        the coder's latest codings."""
        self.keep_quick_keys: Callable[[list[str | None]], object] | None = None
        """Called with the keys' codes (`QuickKeys.slots`) whenever a code gets a number."""
        self.version = 0
        """Goes up with every change to the coder's file this window makes or notices.

        A screen that shows codings remembers the version it last showed and reads them again
        when it comes back into view with another (`FollowsCodings`).
        """
        self.suggester: Suggester | None = None
        """The study's code suggester, once a worker has made it (see `suggest`)."""
        self.suggestion_marks = True
        """Whether suggested passages are marked in the transcript (for every transcript)."""
        self.decisions = DecisionHistory()
        """Decisions on disagreements made in this window (undo on the review screen)."""
        self._suggest_lock = threading.Lock()
        self._relearn = False

    def _numbered(self, kept: list[str | None] | None) -> QuickKeys:
        recent = recent_codes(self.store.codings(), QUICK_KEYS)
        if kept is None:
            return QuickKeys(recent)
        # A code taken out of the codebook since leaves its key free.
        codebook = self.study.codebook
        return QuickKeys.restore([c if c in codebook else None for c in kept], recent)

    @classmethod
    def open(cls, study: Study, coder: str, quick_keys: list[str | None] | None = None
             ) -> Session:
        """Open the coder's store (creating it the first time) and take the coder's lock.

        Args:
            quick_keys: the code on each quick key as the coder last had them (None: number
                the codes used last).
        """
        coder = check_coder_name(coder)
        study.codings_dir.mkdir(parents=True, exist_ok=True)
        lock = CoderLock.for_store(study.coder_path(coder))
        holder = lock.acquire()
        try:
            store = study.store(coder, create=True)
        except BaseException:
            lock.release()
            raise
        return cls(study, coder, store, lock, holder, quick_keys)

    @property
    def read_only(self) -> bool:
        return self.holder is not None

    def read_only_message(self) -> str:
        assert self.holder is not None
        return (
            f"Another qualcode window ({self.holder.describe()}) is coding as "
            f"`{self.coder}`. This window is read-only and follows its changes."
        )

    def writable(self) -> CoderStore:
        """The store, for a change; raises StoreError in a read-only window."""
        self.check_writable()
        self.changed()
        return self.store

    def changed(self) -> None:
        """Note that the coder's file changed (here, by undo, or in another window)."""
        self.version += 1

    def check_writable(self) -> None:
        """Raise StoreError, saying what to do, when this window may not change the file."""
        if self.holder is not None:
            raise StoreError(
                self.read_only_message(),
                path=self.holder.path,
                hint="Code in the other window, or close it: this window then takes over. If no "
                "other window is open, delete the .lock file named here.",
            )

    def try_take_over(self) -> bool:
        """In a read-only window: take the lock if the other window has gone."""
        if self.holder is None:
            return False
        self.holder = self.lock.acquire()
        return self.holder is None

    def used(self, code: str) -> None:
        """Note that `code` was just applied (it keeps, or gets, a quick key)."""
        before = self.quick_keys.slots()
        self.quick_keys.use(code)
        if self.keep_quick_keys is not None and self.quick_keys.slots() != before:
            self.keep_quick_keys(self.quick_keys.slots())

    @property
    def recent(self) -> list[str]:
        """The codes on quick keys, the one used last first."""
        return self.quick_keys.by_recency()

    # -- suggestions (from worker threads) ------------------------------------------------------

    def relearn(self) -> None:
        """Have the suggester learn again before its next use (after an accept or a reject)."""
        self._relearn = True

    @property
    def suggester_ready(self) -> bool:
        """Whether suggesting needs neither making the suggester nor learning first."""
        return self.suggester is not None and not self._relearn

    def suggest(self, task: Callable[[Suggester], T]) -> T:
        """Run `task` with the study's suggester, first making it or learning again if needed.

        Call it from a worker thread, never from the UI: making the suggester reads every
        transcript and learns from the codings, which takes seconds on a big study. Calls run
        one at a time, so `task` has the suggester to itself.
        """
        with self._suggest_lock:
            if self.suggester is None:
                from qualcode.suggest import Suggester  # loads spaCy: only when first needed

                self._relearn = False
                # Learn from this coder's own codings and decisions only: coders work blind.
                self.suggester = Suggester(self.study, coder=self.coder)
            elif self._relearn:
                self._relearn = False
                self.suggester.refresh()
            return task(self.suggester)

    def codings(self, transcript: str) -> list[Coding]:
        return self.store.codings(transcript=transcript)

    def close(self) -> None:
        self.lock.release()
        self.store.close()
