"""Quick keys 1–9: each recently used code keeps its number, so a key always codes the same way.

A code gets a number the first time it is used and keeps it. A new code takes the lowest free
number; when all nine are taken, it takes the number of the code used longest ago. Undoing a
coding leaves the numbers as they are. The workbench keeps the numbers in the user's settings
(`slots`, `QuickKeys.restore`), so they stay the same after a restart. Plain Python, without
Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

QUICK_KEYS = 9


class QuickKeys:
    """Which code each number key 1–9 applies."""

    def __init__(self, recent: Iterable[str] = (), size: int = QUICK_KEYS) -> None:
        """
        Args:
            recent: code ids used lately, newest first; they get the numbers 1, 2, 3, … in
                this order.
            size: how many numbers there are.
        """
        self.size = size
        self._slots: list[str | None] = [None] * size
        self._last_use: dict[str, int] = {}
        self._clock = 0
        codes = list(dict.fromkeys(recent))[:size]
        for position, code in enumerate(codes):
            self._slots[position] = code
            self._last_use[code] = -1 - position  # the first is the newest

    @classmethod
    def restore(cls, slots: Sequence[str | None], recent: Iterable[str] = (),
                size: int = QUICK_KEYS) -> QuickKeys:
        """The numbers as they were kept (`slots()`), each code on the key it had.

        Args:
            slots: the code on each key 1, 2, … (None for a free key), as `slots()` gave them.
            recent: code ids used lately, newest first: they decide which code gives way first
                when a new code needs a number (codes not among them give way before them).
            size: how many numbers there are.
        """
        quick = cls(size=size)
        order = list(dict.fromkeys(recent))
        kept = list(slots)[:size]
        for index, code in enumerate(kept):
            if code and code not in quick._slots:
                quick._slots[index] = code
        on_keys = [c for c in quick._slots if c is not None]
        for code in on_keys:
            # The newest use gets the highest (latest) clock, as in __init__.
            place = order.index(code) if code in order else len(order) + on_keys.index(code)
            quick._last_use[code] = -1 - place
        return quick

    def slots(self) -> list[str | None]:
        """The code on each key 1, 2, … (None for a free key), to keep and `restore` later."""
        return list(self._slots)

    def use(self, code: str) -> int:
        """Note that `code` was just applied; returns its number (given now if it had none)."""
        self._clock += 1
        if code in self._slots:
            self._last_use[code] = self._clock
            return self._slots.index(code) + 1
        if None in self._slots:
            index = self._slots.index(None)
        else:
            oldest = min(self._last_use, key=self._last_use.__getitem__)
            index = self._slots.index(oldest)
            del self._last_use[oldest]
        self._slots[index] = code
        self._last_use[code] = self._clock
        return index + 1

    def code_on(self, number: int) -> str | None:
        """The code on key `number` (1–9), or None."""
        if 1 <= number <= self.size:
            return self._slots[number - 1]
        return None

    def numbered(self) -> list[tuple[int, str]]:
        """(number, code id) for every key that has a code, in the order of the numbers."""
        return [(i + 1, code) for i, code in enumerate(self._slots) if code is not None]

    def by_recency(self) -> list[str]:
        """The codes on keys, the one used last first."""
        return sorted(self._last_use, key=self._last_use.__getitem__, reverse=True)
