"""Verbs about the study folder: init, import, check, demo."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.markup import escape
from rich.table import Table

from qualcode.cli.output import EXIT_FOUND_PROBLEMS, EXIT_OK, console, print_json
from qualcode.errors import StudyError
from qualcode.study import Study
from qualcode.study.check import CheckReport, CoderSummary, check_study
from qualcode.study.create import create_demo, init_study
from qualcode.study.importing import REPORTS_DIR, ImportedFile
from qualcode.study.problems import Problem
from qualcode.wording import plural, plural_form


def register(verbs: argparse._SubParsersAction) -> None:
    p = verbs.add_parser("init", help="create a new, empty study folder")
    p.add_argument("dir", type=Path, help="the folder to create (new or empty)")
    p.add_argument("--name", help="the study's name (default: the folder's name)")
    p.add_argument("--language", default="nb", choices=["nb", "en"], help="default: nb")
    p.add_argument(
        "--codebook",
        action="append",
        dest="codebooks",
        metavar="NAME",
        help="a shipped codebook to start from (repeatable; default: "
        "interorganisational-distance; `none` for no codebook)",
    )
    p.set_defaults(run=run_init)

    p = verbs.add_parser("import", help="bring transcript files into a study, cleaned")
    p.add_argument("dir", type=Path, help="the study folder")
    p.add_argument("files", type=Path, nargs="+", help=".docx, .txt or .md files")
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace transcripts that exist with different text",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run_import)

    p = verbs.add_parser("check", help="validate a study and every coder's codings")
    p.add_argument("dir", type=Path, nargs="?", default=Path("."), help="default: here")
    p.add_argument("--fix", action="store_true", help="store new positions of moved codings")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run_check)

    p = verbs.add_parser("demo", help="create the demo study and open it")
    p.add_argument("dir", type=Path, nargs="?", default=Path("qualcode-demo"))
    p.add_argument("--no-open", action="store_true", help="only create it")
    p.add_argument("--coder", help="open it as this coder")
    p.set_defaults(run=run_demo)


def run_init(args: argparse.Namespace) -> int:
    books = args.codebooks
    if books == ["none"]:
        books = []
    created = init_study(args.dir, name=args.name, language=args.language, codebooks=books)
    root = escape(str(created.root))
    console.print(f"[green]Created the study[/] {root}")
    for path in created.files:
        console.print(f"  {escape(str(path.relative_to(created.root)))}")
    console.print(
        f"\nNext: bring transcripts in with [bold]qualcode import {root} FILE...[/], "
        f"then open it with [bold]qualcode open {root}[/]."
    )
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from qualcode.study.importing import import_files

    study = Study.open(args.dir)
    items = import_files(study, args.files, replace=args.replace)
    if args.json:
        print_json(
            [
                {
                    "source": str(i.source),
                    "transcript": i.id,
                    "status": i.status,
                    "encoding": i.encoding,
                    "changes": len(i.changes),
                    "warnings": len(i.warnings),
                    "kept_front_matter": i.kept_front_matter,
                    "empty": _is_empty(i),
                    "report": str(i.report_path),
                }
                for i in items
            ]
        )
        return EXIT_OK
    table = Table(title=f"Imported into {escape(study.config.name)}", title_justify="left")
    for column in ("file", "transcript", "status", "encoding", "changes", "to check"):
        table.add_column(column)
    for i in items:
        table.add_row(
            escape(i.source.name),
            escape(i.id),
            i.status,
            i.encoding,
            str(len(i.changes)),
            str(len(i.warnings)),
        )
    console.print(table)
    for i in items:
        if _is_empty(i):
            console.print(
                f"[yellow]{escape(i.source.name)} has no text[/]: the transcript "
                f"`{escape(i.id)}` is empty. Check that this is the right file."
            )
        if i.kept_front_matter:
            console.print(
                f"The text of `{escape(i.id)}` was replaced; its front matter (informant "
                "attributes) was kept as it was in the study."
            )
    console.print(
        f"What cleaning changed is listed in {escape(str(study.root / REPORTS_DIR))}. "
        "Your own files were not modified.\n"
        f"Next: add informant attributes (front matter or informants.csv), then "
        f"[bold]qualcode check {escape(str(study.root))}[/]."
    )
    return EXIT_OK


def _is_empty(item: ImportedFile) -> bool:
    return any(w.kind == "empty-file" for w in item.warnings)


def run_check(args: argparse.Namespace) -> int:
    report = check_study(args.dir, fix=args.fix)
    for problem in report.problems:
        if problem.kind == "no-study":  # not a study at all: a usage mistake, not a finding
            raise StudyError(problem.message, path=problem.path, hint=problem.hint)
    if args.json:
        print_json(report.to_dict())
    else:
        print_check(report)
    return EXIT_OK if report.clean else EXIT_FOUND_PROBLEMS


def print_check(report: CheckReport) -> None:
    if report.name:
        console.print(_summary(report))
        console.print()
    if report.clean:
        console.print("[green]✓ No problems found.[/]")
        for note in report.notes:
            console.print(f"[cyan]Note:[/] {escape(note.message)}")
            if note.hint:
                console.print(f"      [dim]→ {escape(note.hint)}[/]")
        return
    by_file: dict[str, list] = {}
    for problem in report.problems:
        by_file.setdefault(str(problem.path or ""), []).append(problem)
    for path, problems in by_file.items():
        console.print(f"[bold]{escape(path)}[/]")
        for p in problems:
            colour = _SEVERITY_COLOURS[p.severity]
            console.print(f"  [{colour}]{p.severity}[/] {_where(p)}{escape(p.message)}")
            if p.hint:
                console.print(f"      [dim]→ {escape(p.hint)}[/]")
    console.print(
        f"\n[bold]{plural(len(report.errors), 'error')}, "
        f"{plural(len(report.warnings), 'warning')}.[/] "
        "Fix the files named above and run `qualcode check` again."
    )


_SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "note": "cyan"}


def _summary(report: CheckReport) -> Table:
    """The study at a glance: name, folder, transcripts, codes and each coder's codings."""
    summary = Table.grid(padding=(0, 2))
    summary.add_column(no_wrap=True)
    summary.add_column(overflow="fold")  # a long folder path is shown whole
    summary.add_row("Study", f"[bold]{escape(report.name)}[/]")
    if not _folder_is_in_name(report.root, report.name):
        summary.add_row("Folder", escape(str(report.root)))
    words = f"{report.words:,}".replace(",", " ")
    summary.add_row(
        "Transcripts",
        f"{report.transcripts} ({words} {plural_form(report.words, 'word', 'words')}, "
        f"{plural(report.informants, 'informant')})",
    )
    summary.add_row("Codes", str(report.codes))
    for coder in report.coders:
        summary.add_row(f"Coder {escape(coder.coder)}", _coder_line(coder))
    return summary


def _folder_is_in_name(root: Path, name: str) -> bool:
    """True when the folder, as given, only repeats the study's name or a word of it
    (`demo` for a study named `Arbeidsgivere og NAV (demo)`): then it adds nothing."""
    given = str(root)
    if given != root.name:
        return False  # a path says where the study is
    words = {word.strip("()[]«»\"',.:;").casefold() for word in name.split()}
    return given.casefold() in words | {name.casefold()}


def _coder_line(coder: CoderSummary) -> str:
    """`127 codings in 6 transcripts`, or why the coder's file was not read."""
    if coder.refused:
        return f"[red]not read[/] ({coder.refused}; see below)"
    line = f"{plural(coder.codings, 'coding')} in {plural(coder.transcripts, 'transcript')}"
    if coder.fixed:
        line += f", {coder.fixed} re-anchored"
    return line


def _where(problem: Problem) -> str:
    """`line 12, column 5: ` (as far as it is known) before a problem's message."""
    if not problem.line:
        return ""
    if problem.column:
        return f"line {problem.line}, column {problem.column}: "
    return f"line {problem.line}: "


def run_demo(args: argparse.Namespace) -> int:
    created = create_demo(args.dir)
    root = escape(str(created.root))
    if created.existed:
        console.print(f"The demo study is already in {root}; using it as it is.")
    else:
        console.print(f"[green]Created the demo study in[/] {root}")
        study = Study.open(created.root)
        console.print(
            f"  {plural(len(study.transcript_ids), 'transcript')}, "
            f"{plural(len(study.codebook), 'code')}, coders: "
            + ", ".join(f"{c} ({plural(n, 'coding')})" for c, n in created.coders.items())
        )
    if args.no_open:
        console.print(f"Open it with [bold]qualcode open {root}[/].")
        return EXIT_OK
    return open_study(created.root, args.coder)


def open_study(root: Path, coder: str | None) -> int:
    """Open the coding workbench on a study."""
    from qualcode.tui.launch import launch

    return launch(root, coder)
