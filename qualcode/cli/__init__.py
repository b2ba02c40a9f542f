"""The `qualcode` command line: parsing and printing only; the work is done by the library."""

from qualcode.cli.main import main

__all__ = ["main"]
