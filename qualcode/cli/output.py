"""Printing for the command line: rich tables and panels, JSON, and errors on stderr."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from qualcode.errors import QualcodeError

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)

EXIT_OK = 0
EXIT_FOUND_PROBLEMS = 1
EXIT_USAGE = 2


def print_json(data: Any) -> None:
    """Machine-readable output on stdout (UTF-8, Norwegian letters kept)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_error(error: QualcodeError) -> None:
    """A user's mistake, explained on stderr: a red panel at a terminal, plain lines otherwise.

    Plain lines keep long paths whole when the output goes to a log or another program.
    """
    if not errors.is_terminal:
        lines = [f"{error.title}: {error.location}" if error.location else error.title]
        lines.append(error.message)
        if error.hint:
            lines.append(f"What to do: {error.hint}")
        sys.stderr.write("\n".join(lines) + "\n")
        return
    body = Text()
    if error.location:
        body.append(error.location, style="bold")
        body.append("\n")
    body.append(error.message)
    if error.hint:
        body.append("\n\n")
        body.append("What to do: ", style="bold")
        body.append(error.hint)
    errors.print(Panel(body, title=error.title, title_align="left", border_style="red"))
