"""Helpers for driving the workbench in tests."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

from textual.css.query import NoMatches
from textual.pilot import Pilot

SIZE = (140, 40)
"""Terminal size for snapshots and Pilot tests."""


def async_test(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test body in its own event loop (no async plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def settle(pilot: Pilot, until: Callable[[], bool], tries: int = 100) -> None:
    """Let the app work (workers, messages, paints) until `until()` holds."""
    for _ in range(tries):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        try:
            if until():
                return
        except NoMatches:  # the screen is still being built
            pass
        await pilot.pause(0.02)
    raise AssertionError("the app did not get there in time")


def screen_name(pilot: Pilot) -> str:
    return type(pilot.app.screen).__name__
