"""Verbs that open the coding workbench: `qualcode open`, and `qualcode` alone in a study."""

from __future__ import annotations

import argparse
from pathlib import Path

from qualcode.cli.output import EXIT_USAGE
from qualcode.study.config import CONFIG_NAME


def register(verbs: argparse._SubParsersAction) -> None:
    p = verbs.add_parser("open", help="open a study in the coding workbench")
    p.add_argument("dir", type=Path, nargs="?", default=Path("."), help="default: here")
    p.add_argument("--coder", help="code as this coder (default: the name used last time)")
    p.add_argument("--transcript", metavar="ID", help="open this transcript straight away")
    p.set_defaults(run=run_open)


def run_open(args: argparse.Namespace) -> int:
    from qualcode.tui.launch import launch

    return launch(args.dir, args.coder, args.transcript)


def run_default(args: argparse.Namespace) -> int:
    """`qualcode` with no verb: open the study in the current folder, else show the help."""
    here = Path.cwd()
    if (here / CONFIG_NAME).is_file():
        from qualcode.tui.launch import launch

        return launch(here, None)
    from qualcode.cli.main import build_parser

    build_parser().print_help()
    return EXIT_USAGE
