"""Verbs for exchange with other analysis programs: `refi export`, `refi import`,
`refi import-codebook` (REFI-QDA `.qdpx` projects and `.qdc` codebooks)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.markup import escape
from rich.table import Table

from qualcode.cli.output import EXIT_OK, EXIT_USAGE, console, print_json
from qualcode.exchange.refi_project import END_CHOICES
from qualcode.wording import plural


def register(verbs: argparse._SubParsersAction) -> None:
    refi = verbs.add_parser(
        "refi",
        help="exchange projects and codebooks with other programs (REFI-QDA .qdpx, .qdc)",
        description="Move a codebook or a whole study to and from other qualitative analysis "
        "programs through the REFI-QDA standard. See docs/exchange.md.",
    )
    actions = refi.add_subparsers(dest="refi_action", metavar="ACTION")
    refi.set_defaults(run=lambda args: _group_help(refi))

    p = actions.add_parser(
        "export",
        help="write the study as .qdpx, or its codebook as .qdc",
        description="Write the whole study (transcripts, codebook, informants, every coder's "
        "codings and memos) to FILE.qdpx, or only the codebook to FILE.qdc.",
    )
    p.add_argument("dir", type=Path, help="the study folder")
    p.add_argument("--out", type=Path, required=True, metavar="FILE",
                   help="FILE.qdpx (whole study) or FILE.qdc (codebook)")
    p.add_argument("--codebook", action="store_true",
                   help="write only the codebook (.qdc); `.qdc` is added to FILE if it has no "
                   "extension")
    p.add_argument("--json", action="store_true", help="machine-readable summary")
    p.set_defaults(run=run_export)

    p = actions.add_parser(
        "import",
        help="create a new study from a .qdpx project",
        description="Create a new study folder from a REFI-QDA project: text sources become "
        "transcripts, codes a codebook, each user's codings a coder's codings file.",
    )
    p.add_argument("file", type=Path, help="the .qdpx file")
    p.add_argument("new_dir", type=Path, metavar="NEWDIR", help="a new (or empty) folder")
    p.add_argument("--selection-end", choices=END_CHOICES, default="auto",
                   help="how the other program wrote selection ends (default: auto, decided "
                   "from the selections)")
    p.add_argument("--language", choices=["nb", "en"],
                   help="the study's language (default: guessed from the text)")
    _skip_problems(p)
    p.add_argument("--json", action="store_true", help="machine-readable report")
    p.set_defaults(run=run_import)

    p = actions.add_parser(
        "import-codebook",
        help="add a .qdc codebook to a study, or replace the codebook it came from",
        description="Add the codebook of a .qdc file (or of a .qdpx project) to a study as a "
        "new file in codebooks/. A codebook that went to another program and comes back is "
        "refused unless --replace is given. Existing files are never overwritten.",
    )
    p.add_argument("dir", type=Path, help="the study folder")
    p.add_argument("file", type=Path, help="the .qdc (or .qdpx) file")
    p.add_argument(
        "--replace", action="store_true",
        help="replace the study's codebook files that have the codes of FILE (by their "
        "qualcode ids): they are moved to codebooks/replaced/, codes keep their ids, so codings "
        "stay with them, and keywords are kept; files named under `codebooks:` in qualcode.yaml "
        "that no longer exist are taken off the list",
    )
    _skip_problems(p)
    p.add_argument("--json", action="store_true", help="machine-readable summary")
    p.set_defaults(run=run_import_codebook)


def _skip_problems(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--skip-problems", action="store_true",
        help="import a file that breaks the REFI-QDA standard (or has selections outside their "
        "texts) as far as it can be read; what was left out is listed",
    )


def _group_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_USAGE


def run_export(args: argparse.Namespace) -> int:
    from qualcode.exchange.refi_codebook import check_output, export_codebook
    from qualcode.exchange.refi_project import export_project

    out: Path = args.out
    if args.codebook and not out.suffix:
        out = out.with_suffix(".qdc")
    check_output(out, (".qdc",) if args.codebook else (".qdpx", ".qdc"))
    if out.suffix.lower() == ".qdc":
        codes = export_codebook(args.dir, out)
        if args.json:
            print_json({"file": str(out), "codes": codes})
        else:
            console.print(f"[green]Wrote the codebook[/] ({plural(codes, 'code')}) to "
                          f"{escape(str(out))}.")
        return EXIT_OK
    report = export_project(args.dir, out)
    if args.json:
        print_json({"file": str(out), "transcripts": report.transcripts, "codes": report.codes,
                    "coders": report.coders, "codings": report.codings, "memos": report.memos,
                    "informants": report.informants, "skipped": report.skipped,
                    "notes": report.notes})
        return EXIT_OK
    table = Table.grid(padding=(0, 2))
    table.add_row("Transcripts", str(report.transcripts))
    table.add_row("Codes", str(report.codes))
    table.add_row("Informants", f"{report.informants} (as cases)")
    for coder, count in report.coders.items():
        table.add_row(f"Coder {coder}", plural(count, "coding"))
    table.add_row("Memos", f"{report.memos} (as notes)")
    console.print(f"[green]Wrote[/] {escape(str(out))}")
    console.print(table)
    for line in report.skipped:
        console.print(f"[yellow]Left out:[/] {escape(line)}")
    for line in report.notes:
        console.print(f"[yellow]Note:[/] {escape(line)}")
    console.print(
        "[dim]Not carried over: keywords and negative keywords, suggestion feedback and study "
        "settings (see docs/exchange.md).[/]"
    )
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from qualcode.exchange.refi_project import import_project
    from qualcode.exchange.study_builder import REPORTS_DIR

    report = import_project(args.file, args.new_dir, end=args.selection_end,
                            language=args.language, skip_problems=args.skip_problems)
    if args.json:
        print_json(report.to_dict())
        return EXIT_OK
    table = Table.grid(padding=(0, 2))
    table.add_row("Made by", escape(report.origin) or "not stated")
    table.add_row("Transcripts", str(report.transcripts))
    table.add_row("Codes", str(report.codes))
    table.add_row("Informants", str(report.informants))
    for coder, count in report.coders.items():
        table.add_row(f"Coder {coder}", plural(count, "coding"))
    table.add_row("Memos", str(report.memos))
    table.add_row("Positions", report.reading)
    target = escape(str(report.target))
    console.print(f"[green]Created the study[/] {target}")
    console.print(table)
    for line in report.remarks:
        console.print(f"[cyan]Note:[/] {escape(line)}")
    if report.skipped:
        console.print("[yellow]Not imported:[/]")
        for line in report.skipped:
            console.print(f"  - {escape(line)}")
    console.print(
        f"This report is kept in {escape(str(report.target / REPORTS_DIR))}.\n"
        f"Next: [bold]qualcode check {target}[/], then open it with "
        f"[bold]qualcode open {target}[/]."
    )
    return EXIT_OK


def run_import_codebook(args: argparse.Namespace) -> int:
    from qualcode.exchange.codebook_import import import_codebook
    from qualcode.wording import joined

    result = import_codebook(args.dir, args.file, skip_problems=args.skip_problems,
                             replace=args.replace)
    if args.json:
        print_json(result.to_dict())
        return EXIT_OK
    codes, target = plural(result.codes, "code"), escape(str(result.path))
    one = len(result.replaced) == 1
    if result.replaced:
        old = escape(joined(p.name for p in result.replaced))
        console.print(f"[green]Replaced[/] {old} with the codebook {target} ({codes}).")
        console.print(f"  The old {'file is' if one else 'files are'} kept in "
                      f"{escape(str(result.kept_in[0].parent))}.")
    else:
        console.print(f"[green]Added the codebook[/] {target} ({codes}).")
    if result.kept_ids:
        console.print(f"  {plural(result.kept_ids, 'code')} kept the qualcode id written in the "
                      "file, so codings stay with them.")
    if result.unlisted:
        console.print(f"  {escape(joined(result.unlisted))} (no longer in codebooks/) "
                      f"{'was' if len(result.unlisted) == 1 else 'were'} taken off the "
                      "`codebooks:` list in qualcode.yaml.")
    if result.added_to_config:
        place = (" in its place" if one else " in their place") if result.replaced else ""
        console.print(f"  The `codebooks:` list in qualcode.yaml now names "
                      f"{escape(result.path.name)}{place}.")
    for line in result.remarks:
        console.print(f"[cyan]Note:[/] {escape(line)}")
    console.print(f"Next: [bold]qualcode check {escape(str(args.dir))}[/].")
    return EXIT_OK

