"""Verbs for authors and leads: `export quotes` (Word, CSV, Excel) and `matrix`.

`export` is a group of sub-commands so that other export formats can join it later.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from rich.markup import escape
from rich.table import Table

from qualcode.cli.output import EXIT_OK, EXIT_USAGE, console, errors, print_json
from qualcode.errors import UsageError
from qualcode.export.checks import check_keys
from qualcode.export.matrix import COUNTS, build_matrix
from qualcode.export.quotes import QuoteOptions, select_quotes
from qualcode.study import Study
from qualcode.wording import plural

MATRIX_FORMATS = {".csv": "a CSV table, which Excel and LibreOffice open"}
CODE_COLUMN = (16, 30)
"""The narrowest and widest the code column of the matrix gets in the terminal."""
EDGE = 3
"""A column's padding and border in a terminal table, beside its text."""


def register(verbs: argparse._SubParsersAction) -> None:
    export = verbs.add_parser("export", help="export quotes for authors (Word, CSV, Excel)")
    formats = export.add_subparsers(dest="export_format", metavar="WHAT")
    export.set_defaults(run=lambda args: _group_help(export))

    p = formats.add_parser(
        "quotes",
        help="quotes by code and informant role, to .docx, .csv or .xlsx",
        description="Write the quotes of a study, sorted by code and by an informant "
        "attribute, to a Word document, a CSV table or an Excel workbook.",
    )
    p.add_argument("dir", type=Path, help="the study folder")
    p.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help="FILE.docx, FILE.csv or FILE.xlsx"
    )
    _selection_options(p)
    p.add_argument(
        "--group-by",
        metavar="KEYS",
        help="e.g. code,role (the default) or role,code or code,region",
    )
    p.add_argument(
        "--min-words",
        type=int,
        default=0,
        metavar="N",
        help="leave out quotes shorter than N words",
    )
    p.add_argument(
        "--context",
        type=int,
        default=0,
        metavar="N",
        help="show N sentences before and after each quote (in grey)",
    )
    p.add_argument("--memos", action="store_true", help="add the coder's memo to each quote")
    p.add_argument("--json", action="store_true", help="machine-readable summary")
    p.set_defaults(run=run_export_quotes)

    p = verbs.add_parser(
        "matrix",
        help="count quotes by code and informant attribute",
        description="Print a table of codes (rows) by an attribute such as role or region "
        "(columns), counting quotes, informants or words.",
    )
    p.add_argument("dir", type=Path, help="the study folder")
    p.add_argument("--rows", default="code", choices=["code"], help="default: code")
    p.add_argument(
        "--cols",
        default="role",
        metavar="KEY",
        help="role (default), region, organisation_type, transcript, or any informant attribute",
    )
    p.add_argument("--depth", type=int, metavar="N", help="roll codes up to depth N")
    p.add_argument("--count", default="quotes", choices=COUNTS, help="default: quotes")
    _selection_options(p)
    where = p.add_mutually_exclusive_group()
    where.add_argument("--json", action="store_true", help="print the table as JSON")
    where.add_argument("--csv", type=Path, metavar="FILE", help="write the table to a CSV file")
    p.set_defaults(run=run_matrix)


def _selection_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--codes",
        action="append",
        metavar="ID,...",
        help="only these codes and the codes below them (default: all)",
    )
    who = p.add_mutually_exclusive_group()
    who.add_argument(
        "--coder", metavar="NAME", help="whose codings (default: consensus, else the only coder)"
    )
    who.add_argument("--coders", metavar="A,B", help="several coders' codings together")
    p.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="only informants with this attribute value (repeat to allow more "
        "values or add conditions)",
    )
    p.add_argument(
        "--transcripts",
        action="append",
        metavar="ID,...",
        help="only these transcripts (ids or patterns such as nb-*)",
    )


def _group_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_USAGE


def _split(values: list[str] | str | None) -> list[str]:
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def parse_where(items: list[str]) -> dict[str, list[str]]:
    """`["role=Bedriftsleder", "role=NAV-veileder", "region=Agder"]` -> {role: [...], ...}."""
    where: dict[str, list[str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UsageError(
                f"`--where {item}` should be KEY=VALUE.",
                hint="e.g. `--where role=Bedriftsleder --where region=Innlandet`.",
            )
        where.setdefault(key.strip(), []).append(value.strip())
    return where


def parse_group_by(value: str | None) -> list[str] | None:
    """`code,role` -> ["code", "role"]; None when the option is not given (the default)."""
    if value is None:
        return None
    keys = _split(value)
    if not keys:
        raise UsageError(
            "`--group-by` was given without any keys.",
            hint="Give keys such as `--group-by code,role` or `--group-by role`, or leave the "
            "option out for the default (code, then role).",
        )
    return keys


def options_from(args: argparse.Namespace) -> QuoteOptions:
    coders = [args.coder] if args.coder else _split(args.coders)
    for name in ("min_words", "context"):
        if getattr(args, name, 0) < 0:
            raise UsageError(f"--{name.replace('_', '-')} cannot be negative.")
    return QuoteOptions(
        codes=_split(args.codes),
        coders=coders,
        where=parse_where(args.where),
        transcripts=_split(args.transcripts),
        group_by=parse_group_by(getattr(args, "group_by", None)),
        min_words=getattr(args, "min_words", 0),
        context=getattr(args, "context", 0),
        memos=getattr(args, "memos", False),
    )


def run_export_quotes(args: argparse.Namespace) -> int:
    from qualcode.export.output import export_quotes

    options = options_from(args)
    study = Study.open(args.dir)
    if args.json or not sys.stderr.isatty():
        result = export_quotes(study, options, args.out)
    else:
        from rich.progress import Progress

        with Progress(console=errors, transient=True) as bar:
            task = bar.add_task("Reading codings", total=None)

            def progress(stage: str, done: int, total: int) -> None:
                label = "Reading codings" if stage == "select" else "Writing quotes"
                bar.update(task, description=label, completed=done, total=total)

            result = export_quotes(study, options, args.out, progress)
    if args.json:
        print_json(result.to_dict())
        return EXIT_OK
    console.print(
        f"[green]Wrote {plural(result.quotes, 'quote')}[/] ({plural(result.codes, 'code')}, "
        f"{plural(result.informants, 'informant')}; codings by {', '.join(result.coders)}) "
        f"to [bold]{escape(str(result.path))}[/]"
    )
    for warning in result.warnings:
        console.print(f"[yellow]Note:[/] {escape(warning)}")
    if result.path.suffix.lower() == ".docx":
        console.print(
            "[dim]If the table of contents shows no entries: in Word, right-click it and "
            "choose Update Field (or press F9); in LibreOffice, choose Tools › Update › "
            "Update All.[/]"
        )
    return EXIT_OK


def run_matrix(args: argparse.Namespace) -> int:
    if args.depth is not None and args.depth < 1:
        raise UsageError("--depth must be 1 or more.", hint="1 is the top level of the codebook.")
    study = Study.open(args.dir)
    options = options_from(args)
    options.group_by = []
    if args.csv:
        from qualcode.export.output import check_output

        check_output(args.csv, MATRIX_FORMATS, study, option="--csv", example="matrix.csv")
    check_keys(study, [args.cols], "--cols")
    selection = select_quotes(study, options)
    matrix = build_matrix(
        study.codebook,
        selection.quotes,
        args.cols,
        count=args.count,
        depth=args.depth,
        codes=selection.codes,
        language=selection.language,
        columns=selection.values(args.cols),
    )
    if args.json:
        print_json({"coders": selection.coders, **matrix.to_dict(), "warnings": selection.warnings})
        return EXIT_OK
    if args.csv:
        from qualcode.export.output import atomic_output

        with atomic_output(args.csv) as tmp:
            tmp.write_text(matrix.to_csv(), encoding="utf-8-sig", newline="")
        console.print(
            f"[green]Wrote the table[/] ({plural(len(matrix.rows), 'code')} × "
            f"{plural(len(matrix.columns), f'{escape(args.cols)} value')}) to "
            f"[bold]{escape(str(args.csv))}[/]"
        )
        for warning in selection.warnings:
            console.print(f"[yellow]Note:[/] {escape(warning)}")
        return EXIT_OK
    console.print(
        f"[bold]{matrix.count.capitalize()} by code and {escape(matrix.key)}[/] — "
        f"{escape(study.config.name)} (codings by {', '.join(selection.coders)})"
    )
    tables, key = matrix_tables(matrix, console.width)
    for table in tables:
        console.print(table)
    for line in key:
        console.print(line, style="dim", markup=False, no_wrap=True)
    for warning in selection.warnings:
        console.print(f"[yellow]Note:[/] {escape(warning)}")
    return EXIT_OK


def matrix_tables(matrix, width: int) -> tuple[list[Table], list[str]]:
    """Rich tables for a terminal `width` characters wide, and the key to numbered headers.

    Column headers wrap at spaces and hyphens. When the columns do not fit side by side even
    so, they are headed 1, 2, 3 ... with their names in the key (lines to print below); when
    even that is too wide, they are split over several tables. Numbers are never cut: each
    column is as wide as its widest number; the code column gives way and its labels wrap.
    """
    names = [c or "(none)" for c in matrix.columns]
    numbered = [str(i) for i in range(1, len(names) + 1)]
    total = max(len("total"), len(str(matrix.total)))
    layouts = [
        _Layout(headers, _column_widths(matrix, headers), label, total, width)
        for headers in (names, numbered)
        for label in _code_widths(matrix)
    ]
    fitting = [layout for layout in layouts if len(layout.chunks) == 1]
    layout = fitting[0] if fitting else min(layouts[2:], key=lambda way: len(way.chunks))
    chunks = layout.chunks
    tables = [_matrix_table(matrix, layout, chunk, last=chunk is chunks[-1]) for chunk in chunks]
    return tables, [] if layout.headers is names else _key_lines(matrix.key, names, width)


@dataclass
class _Layout:
    """One way of laying the matrix out: headers, widths, and the columns of each table."""

    headers: list[str]
    widths: list[int]
    label: int
    """The width of the code column."""
    total: int
    """The width of the total column."""
    width: int
    """The terminal's."""

    @property
    def chunks(self) -> list[list[int]]:
        """The value columns (by index) of each table, as many to a table as fit."""
        room = self.width - 1 - (self.label + EDGE) - (self.total + EDGE)
        chunks: list[list[int]] = [[]]
        used = 0
        for i, need in enumerate(self.widths):
            if chunks[-1] and used + need + EDGE > room:
                chunks.append([])
                used = 0
            chunks[-1].append(i)
            used += need + EDGE
        return chunks


def _column_widths(matrix, headers: list[str]) -> list[int]:
    """Each value column's width: its header's widest unbroken part, or its widest number."""
    return [
        max(_longest_piece(header), len(str(matrix.column_total(column))))
        for header, column in zip(headers, matrix.columns, strict=True)
    ]


def _longest_piece(header: str) -> int:
    """The widest part of a header that is not broken: between spaces, or after a hyphen."""
    pieces = textwrap.wrap(header, 1, break_long_words=False)
    return max((len(piece) for piece in pieces), default=1)


def _code_widths(matrix) -> tuple[int, int]:
    """The code column's width at its best (its longest label, within limits) and narrowest
    (where labels wrap, yet no word of them is broken)."""
    least, most = CODE_COLUMN
    longest, longest_word = len("total"), 0
    for row in matrix.rows:
        indent, label = len(_indent(matrix, row)), matrix.row_labels[row]
        longest = max(longest, indent + len(label))
        longest_word = max([longest_word] + [indent + 2 + len(word) for word in label.split()])
    return min(longest, most), min(longest, max(least, longest_word))


def _indent(matrix, row: str) -> str:
    return "  " * (matrix.row_levels[row] - 1)


def _key_lines(key: str, names: list[str], width: int) -> list[str]:
    """`Columns (role): 1 Arbeidslivscoach · 2 Bedriftsleder · ...`, wrapped between names."""
    glue = "\u00a0"  # keeps a number with its name, and a name whole, when the line is wrapped
    entries = [f"{i}{glue}{name.replace(' ', glue)}" for i, name in enumerate(names, 1)]
    text = f"Columns ({key}): " + f"{glue}· ".join(entries)
    lines = textwrap.wrap(
        text, width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
    )
    return [line.replace(glue, " ") for line in lines]


def _matrix_table(matrix, layout: _Layout, chunk: list[int], last: bool) -> Table:
    table = Table(show_footer=True)
    table.add_column("code", footer="total", width=layout.label)
    for i in chunk:
        header = textwrap.fill(layout.headers[i], layout.widths[i], break_long_words=False)
        footer = str(matrix.column_total(matrix.columns[i]))
        table.add_column(escape(header), justify="right", width=layout.widths[i], footer=footer)
    if last:
        table.add_column("total", justify="right", width=layout.total, footer=str(matrix.total))
    for row in matrix.rows:
        cells = [matrix.cell(row, matrix.columns[i]) for i in chunk]
        if last:
            cells.append(matrix.row_total(row))
        indent = _indent(matrix, row)
        label = textwrap.fill(
            matrix.row_labels[row],
            layout.label,
            initial_indent=indent,
            subsequent_indent=indent + "  ",
        )
        table.add_row(escape(label), *[str(v) if v else "[dim]·[/]" for v in cells])
    return table
