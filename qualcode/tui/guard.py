"""The action boundary: problems become notifications that say what to do, never a crash.

Every action that touches the study or the store is wrapped with `@guarded`. A QualcodeError
is shown with its hint; a failing disk or database is explained the same way. The coder's work
is already saved when such a notification appears, because each action is written at once.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode

from qualcode.errors import QualcodeError, StoreError

F = TypeVar("F", bound=Callable[..., Any])


def report(node: DOMNode, error: QualcodeError) -> None:
    """Show a problem as an error notification: the file (and line) concerned, what is wrong,
    and what to do about it."""
    text = error.message
    if error.location:
        text += f"\nFile: {error.location}"
    if error.hint:
        text += "\n" + error.hint
    node.app.notify(text, title=error.title, severity="error", timeout=10, markup=False)


def as_qualcode_error(error: Exception) -> QualcodeError | None:
    """Explain a database or file failure in the coder's terms (None for other errors)."""
    if isinstance(error, QualcodeError):
        return error
    if isinstance(error, sqlite3.Error):
        return StoreError(
            f"The codings file could not be read or written ({error}).",
            hint="Check that the study folder is still there and not full or read-only; "
            "everything you did before this is saved.",
        )
    if isinstance(error, OSError):
        return StoreError(
            f"A file could not be read or written: {error.strerror or error}.",
            path=error.filename,
            hint="Check that the study folder is reachable and writable, then try again.",
        )
    return None


def guarded(method: F) -> F:
    """Run an action; show a QualcodeError (or disk/database failure) as a notification."""

    @functools.wraps(method)
    def wrapper(self: DOMNode, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (QualcodeError, sqlite3.Error, OSError) as error:
            explained = as_qualcode_error(error)
            assert explained is not None
            report(self, explained)
            return None

    return wrapper  # type: ignore[return-value]
