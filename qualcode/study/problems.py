"""Problems found while reading or checking a study, collected rather than raised.

`qualcode check` wants every problem at once; opening a study wants to stop at the first error.
Readers therefore collect `Problem`s, and `raise_first_error` turns the first error into the
matching QualcodeError.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from qualcode.errors import QualcodeError

Severity = Literal["error", "warning", "note"]
"""An error must be fixed, a warning is worth a look; a note only tells (an empty new study)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error), worth a look (warning) or simply to know (note) in a study."""

    severity: Severity
    kind: str
    """A short stable slug, e.g. `duplicate-id`, `unknown-field`, `lost-anchor`."""
    message: str
    path: Path | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "kind": self.kind,
            "message": self.message,
            "path": str(self.path) if self.path else None,
            "line": self.line,
            "column": self.column,
            "hint": self.hint,
        }

    @classmethod
    def from_error(cls, error: QualcodeError, kind: str, severity: Severity = "error") -> Problem:
        return cls(
            severity=severity,
            kind=kind,
            message=error.message,
            path=error.path,
            line=error.line,
            column=error.column,
            hint=error.hint,
        )


def raise_first_error(problems: list[Problem], error: type[QualcodeError]) -> None:
    """Raise the first error-severity problem as `error`; warnings pass."""
    for problem in problems:
        if problem.severity == "error":
            raise error(
                problem.message,
                path=problem.path,
                line=problem.line,
                column=problem.column,
                hint=problem.hint,
            )
