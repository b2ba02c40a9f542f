"""Errors a researcher can act on.

Every mistake in a user's input becomes one of these: it names the file (and the line and
column where there is one), says what is wrong and what to do. The command line prints it in a
panel and exits with status 2; the TUI shows it as a notification. A traceback is reserved for
bugs in qualcode itself.
"""

from __future__ import annotations

from pathlib import Path


class QualcodeError(Exception):
    """A problem with the user's input or files, explained for the user."""

    title = "Problem"

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        self.hint = hint

    @property
    def location(self) -> str:
        """`file:line:column`, as far as it is known ('' when no file is involved)."""
        if self.path is None:
            return ""
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        parts = [f"{self.location}: {self.message}" if self.location else self.message]
        if self.hint:
            parts.append(self.hint)
        return "\n".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "message": self.message,
            "path": str(self.path) if self.path else None,
            "line": self.line,
            "column": self.column,
            "hint": self.hint,
        }


class StudyError(QualcodeError):
    title = "Study folder problem"


class ConfigError(StudyError):
    title = "Problem in qualcode.yaml"


class CodebookError(QualcodeError):
    title = "Codebook problem"


class TranscriptError(QualcodeError):
    title = "Transcript problem"


class InformantError(QualcodeError):
    title = "Informant table problem"


class ImportFileError(QualcodeError):
    title = "Could not import a file"


class StoreError(QualcodeError):
    title = "Codings file problem"


class AgreementError(QualcodeError):
    title = "Agreement problem"


class SuggestError(QualcodeError):
    title = "Suggestion problem"


class ExportError(QualcodeError):
    title = "Export problem"


class UsageError(QualcodeError):
    """The command was called in a way that cannot work (bad option values and the like)."""

    title = "Usage problem"
