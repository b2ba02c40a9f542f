"""Entry point: builds the argument parser from each group of verbs and runs the chosen one."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Sequence

from qualcode import __version__
from qualcode.cli import (
    agreement_verbs,
    exchange_verbs,
    export_verbs,
    study_verbs,
    suggest_verbs,
    tui_verbs,
)
from qualcode.cli.output import EXIT_USAGE, print_error
from qualcode.errors import QualcodeError

GROUPS = [study_verbs, tui_verbs, suggest_verbs, agreement_verbs, export_verbs, exchange_verbs]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    parser = build_parser()
    args = parser.parse_args(argv)
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
        print_error(error)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_went_away()
    except OSError as error:
        print_error(_explain_os_error(error))
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
