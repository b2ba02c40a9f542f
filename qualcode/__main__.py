"""`python -m qualcode` runs the command line."""

from qualcode.cli.main import run

run()
