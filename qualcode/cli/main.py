"""Entry point: builds the argument parser from each group of verbs and runs the chosen one."""

from __future__ import annotations

import argparse
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


def run() -> None:
    sys.exit(main())
