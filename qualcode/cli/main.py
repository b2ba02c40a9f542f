"""Entry point: builds the argument parser from each group of verbs and runs the chosen one."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from qualcode import __version__
from qualcode.cli import (
    agreement_verbs,
    exchange_verbs,
    export_verbs,
    study_verbs,
    suggest_verbs,
    tui_verbs,
)
from qualcode.cli.output import EXIT_USAGE, print_error, print_json
from qualcode.errors import QualcodeError

GROUPS = [study_verbs, tui_verbs, suggest_verbs, agreement_verbs, export_verbs, exchange_verbs]


class _Mistake(Exception):
    """A mistake in the command's words (an unknown option, a missing argument)."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser
        self.message = message


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is raised so that `--json` can report it as JSON too."""

    def error(self, message: str) -> NoReturn:
        raise _Mistake(self, message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="qualcode",
        description="Code interview transcripts with hierarchical codebooks, compare coders "
        "and export quotes. Run `qualcode demo` to try it on the demo study.",
    )
    parser.add_argument("--version", action="version", version=f"qualcode {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    for group in GROUPS:
        group.register(verbs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    wants_json = "--json" in words
    parser = build_parser()
    try:
        args = parser.parse_args(words)
    except _Mistake as mistake:
        where = _verb_parser(parser, words) or mistake.parser
        if wants_json:
            print_json({"error": {"title": "Usage", "message": mistake.message,
                                  "path": None, "line": None, "column": None,
                                  "hint": f"See `{where.prog} --help`."}})
        where.print_usage(sys.stderr)
        sys.stderr.write(f"{where.prog}: error: {mistake.message}\n"
                         f"See `{where.prog} --help` for what it accepts.\n")
        return EXIT_USAGE
    if getattr(args, "run", None) is None:
        default = next((g.run_default for g in GROUPS if hasattr(g, "run_default")), None)
        if default is not None:
            args.run = default
        else:
            parser.print_help()
            return EXIT_USAGE
    try:
        return int(args.run(args) or 0)
    except QualcodeError as error:
        return _report(error, wants_json)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_went_away()
    except OSError as error:
        return _report(_explain_os_error(error), wants_json)


def _verb_parser(parser: argparse.ArgumentParser, words: list[str]) -> argparse.ArgumentParser | None:
    """The parser of the verb (and action, as in `refi import`) the words name, if any."""
    found = None
    current = parser
    for word in words:
        actions = [a for a in current._actions if isinstance(a, argparse._SubParsersAction)]
        if not actions or word not in actions[0].choices:
            break
        current = found = actions[0].choices[word]
    return found


def _report(error: QualcodeError, wants_json: bool) -> int:
    """Explain a user's mistake on stderr and, with `--json`, as `{"error": {...}}` on stdout.

    A program reading the JSON then learns what went wrong without parsing the text meant for
    a person. The exit status is 2 either way.
    """
    if wants_json:
        print_json({"error": error.to_dict()})
    print_error(error)
    return EXIT_USAGE


def _explain_os_error(error: OSError) -> QualcodeError:
    """A file the system would not let us read or write, told as a user's problem to solve."""
    reason = error.strerror or str(error)
    if isinstance(error, PermissionError):
        hint = "Check that you may read and write there, or choose another place."
    elif error.errno == errno.ENOSPC:
        hint = "Free some space on the disk, then run the command again."
    else:
        hint = "Check the path and that the disk is available, then run the command again."
    return QualcodeError(
        f"The system refused to use this file: {reason}.",
        path=error.filename,
        hint=hint,
    )


def _reader_went_away() -> int:
    """The program reading our output stopped early (`qualcode ... | head`): stop quietly.

    Standard output is pointed at the null device so that Python's final flush cannot fail
    with a second, noisier error.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


def run() -> None:
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        code = _reader_went_away()
    sys.exit(code)
