"""Verbs about coder agreement: agreement, disagreements, consensus, settle."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from rich.markup import escape
from rich.table import Table

from qualcode.cli.output import EXIT_OK, console, print_json
from qualcode.errors import AgreementError, UsageError
from qualcode.study.files import write_atomic
from qualcode.study.transcript import SEGMENT_UNITS

STUDY_LEVELS = ("character", "segment", "span")
DATA_LEVELS = ("nominal", "ordinal", "interval", "ratio")

AGREEMENT_HELP = """\
Two ways to use it:

  qualcode agreement DIR --coders A,B[,C] ...
      compares coders' codings of the transcripts every one of them has coded, at three
      levels: character (percent agreement and kappa per code and transcript, as NVivo),
      segment (kappa and Krippendorff's alpha on code presence per turn, paragraph or
      sentence) and span (Krippendorff's unitizing alpha). Without --level: all three.

  qualcode agreement --data FILE.csv [--metric M] [--level nominal|ordinal|interval|ratio]
      computes the same statistics from a plain reliability table: one row per unit, one
      column per coder (coder names in the first row; an optional first column `unit`),
      an empty cell where a coder did not code a unit. Without --level: nominal.

Figures are read after conventions (Landis & Koch for kappa; Krippendorff's 0.667 / 0.800
for alpha); see docs/agreement.md for what each figure means and how units are built.
"""


def register(verbs: argparse._SubParsersAction) -> None:
    p = verbs.add_parser(
        "agreement",
        help="how far coders agree: kappa, alpha, unitizing alpha",
        description=AGREEMENT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("dir", type=Path, nargs="?", help="the study folder (default: here)")
    p.add_argument("--coders", help="coders to compare, comma-separated (default: every coder)")
    p.add_argument(
        "--level",
        help="character, segment or span (default: all three); with --data the level of "
        "measurement: nominal, ordinal, interval or ratio (default: nominal)",
    )
    p.add_argument(
        "--unit",
        choices=SEGMENT_UNITS,
        default="paragraph",
        help="the segment for the segment level (default: paragraph)",
    )
    p.add_argument("--codes", help="code ids to compare, comma-separated (default: all used)")
    p.add_argument(
        "--depth", type=int, help="count codes as their ancestor at this level (1 = top codes)"
    )
    p.add_argument(
        "--group",
        help="parent code(s) whose child codes exclude each other: also compare which of them "
        "each segment got, as one nominal variable (comma-separated)",
    )
    p.add_argument("--transcripts", help="transcript ids or patterns such as nb-*, comma-separated")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="machine-readable output")
    out.add_argument("--csv", type=Path, metavar="FILE", help="write the figures to a CSV file")
    p.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="write a report for the method chapter (.docx or .md)",
    )
    p.add_argument(
        "--data", type=Path, metavar="FILE.csv", help="a reliability table instead of a study"
    )
    p.add_argument(
        "--metric",
        choices=("all", "percent", "kappa", "scott", "fleiss", "alpha", "ac1", "bp"),
        help="with --data: one statistic (default: all that apply)",
    )
    p.add_argument("--order", help="with --data --level ordinal: labels from lowest to highest")
    p.set_defaults(run=run_agreement)

    p = verbs.add_parser("disagreements", help="list where coders disagree, passage by passage")
    p.add_argument("dir", type=Path, nargs="?", default=Path("."), help="default: here")
    p.add_argument("--coders", help="coders to compare, comma-separated (default: every coder)")
    p.add_argument("--code", help="only disagreements involving this code (or codes below it)")
    p.add_argument("--transcripts", help="transcript ids or patterns, comma-separated")
    p.add_argument("--open", action="store_true", help="only those not settled yet")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run_disagreements)

    p = verbs.add_parser(
        "consensus", help="build or refresh the consensus layer (codings/consensus.db)"
    )
    p.add_argument("dir", type=Path, nargs="?", default=Path("."), help="default: here")
    p.add_argument("--coders", help="coders it is made from (default: as before, else all)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run_consensus)

    p = verbs.add_parser("settle", help="settle one disagreement in the consensus layer")
    p.add_argument("dir", type=Path, nargs="?", default=Path("."), help="default: here")
    p.add_argument("--coders", help="the compared coders (default: the consensus layer's)")
    p.add_argument(
        "--id",
        required=True,
        help="the disagreement's number (or key) from `qualcode disagreements`",
    )
    action = p.add_mutually_exclusive_group(required=True)
    action.add_argument(
        "--take",
        help="a, b, c ... (the coders in the order compared) or a coder's name: keep that "
        "coder's codings; both: keep everyone's; neither: keep none",
    )
    action.add_argument("--reopen", action="store_true", help="forget the decision made earlier")
    p.add_argument("--memo", default="", help="why it was settled this way")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run_settle)


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    items = [v.strip() for v in value.split(",") if v.strip()]
    return items or None


# ---------------------------------------------------------------------------------------------
# agreement


def run_agreement(args: argparse.Namespace) -> int:
    if args.data is not None:
        return _run_data(args)
    if args.metric is not None or args.order is not None:
        raise UsageError(
            "--metric and --order go with --data (a reliability table).",
            hint="For a study, choose the level with --level character|segment|span.",
        )
    from qualcode.agreement.compare import compare
    from qualcode.study import Study

    levels = STUDY_LEVELS
    if args.level and args.level != "all":
        if args.level in DATA_LEVELS:
            raise UsageError(
                f"--level {args.level} is a level of measurement, for --data tables.",
                hint="For a study, use --level character, segment or span (or leave it out).",
            )
        if args.level not in STUDY_LEVELS:
            raise UsageError(
                f"Unknown level `{args.level}`.",
                hint="Use character, segment or span (or leave --level out for all three).",
            )
        levels = (args.level,)
    study = Study.open(args.dir or Path("."))
    result = compare(
        study,
        _split(args.coders),
        levels=levels,
        unit=args.unit,
        codes=_split(args.codes),
        depth=args.depth,
        transcripts=_split(args.transcripts),
        groups=_split(args.group),
    )
    if args.report is not None:
        from qualcode.agreement.report import write_report

        write_report(result, args.report)
    if args.json:
        data = result.to_dict()
        if args.report is not None:
            data["report"] = str(args.report)
        print_json(data)
        return EXIT_OK
    if args.csv is not None:
        from qualcode.agreement.compare import csv_columns

        _write_csv(args.csv, csv_columns(result.coders), result.csv_rows())
        console.print(f"Wrote the figures to {args.csv}")
    else:
        print_agreement(result)
    if args.report is not None:
        console.print(f"Wrote the report to {args.report}")
    return EXIT_OK


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    if path.suffix.lower() != ".csv":
        raise UsageError(f"--csv needs a file name ending in .csv, not `{path.name}`.", path=path)
    if not path.parent.exists():
        raise AgreementError(
            "The folder for the CSV file does not exist.",
            path=path.parent,
            hint="Create it first, or give a path inside an existing folder.",
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(path, "\ufeff" + buffer.getvalue())  # the mark lets Excel read UTF-8


def print_agreement(result) -> None:
    from qualcode.agreement.reading import CONVENTIONS, thousands
    from qualcode.agreement.report import LEVEL_TITLES, figure_columns

    who = " and ".join(result.coders)
    console.print(
        f"[bold]Agreement between {escape(who)}[/] on {len(result.transcripts)} transcripts "
        f"({thousands(result.characters)} characters, {thousands(result.segments)} "
        f"{result.unit}s)"
    )
    for name, level in result.levels.items():
        title = LEVEL_TITLES[name] + (f" — {level.unit}s" if name in ("segment", "group") else "")
        table = Table(title=title, title_justify="left", title_style="bold")
        columns = figure_columns(level, len(result.coders))
        for i, (header, _) in enumerate(columns):
            table.add_column(
                header,
                justify="left" if i in (0, len(columns) - 1) else "right",
                no_wrap=i == 0,
            )
        for f in level.ordered():
            table.add_row(*[escape(cell(f)) for _, cell in columns])
        if level.overall is not None:
            table.add_section()
            table.add_row(*[escape(cell(level.overall)) for _, cell in columns], style="bold")
        console.print()
        console.print(table)
        for note in level.notes:
            console.print(f"[dim]{escape(note)}[/]")
    for note in result.notes:
        console.print(f"[yellow]Note:[/] {escape(note)}")
    console.print()
    console.print(f"[dim]{escape(CONVENTIONS)}[/]")


def _run_data(args: argparse.Namespace) -> int:
    from qualcode.agreement.reliability_table import read_reliability_table, table_statistics

    given = [
        name
        for name in ("dir", "coders", "codes", "depth", "group", "transcripts", "report")
        if getattr(args, name) is not None
    ]
    if given:
        raise UsageError(
            f"--data computes from a reliability table alone; `{given[0]}` applies to a study.",
            hint="Leave out the study options, or leave out --data to compare a study's coders.",
        )
    level = args.level or "nominal"
    if level in STUDY_LEVELS:
        raise UsageError(
            f"--level {level} is for a study; a reliability table's level is one of "
            "nominal, ordinal, interval or ratio.",
        )
    table = read_reliability_table(args.data)
    stats = table_statistics(table, args.metric or "all", level, _split(args.order))
    missing = sum(v is None for row in table.values for v in row)
    if args.json:
        print_json(
            {
                "file": str(table.path),
                "coders": table.coders,
                "units": len(table.units),
                "missing": missing,
                "level": level,
                "statistics": [
                    {"name": s.name, "value": s.value, "units": s.units, "note": s.note}
                    for s in stats
                ],
            }
        )
        return EXIT_OK
    if args.csv is not None:
        rows = [
            {
                "statistic": s.name,
                "value": "" if s.value is None else s.value,
                "units": s.units,
                "note": s.note or "",
            }
            for s in stats
        ]
        _write_csv(args.csv, ["statistic", "value", "units", "note"], rows)
        console.print(f"Wrote the figures to {args.csv}")
        return EXIT_OK
    console.print(
        f"[bold]{escape(table.path.name)}[/]: {len(table.coders)} coders "
        f"({escape(', '.join(table.coders))}) × {len(table.units)} units, "
        f"{missing} empty cells, {level} level"
    )
    out = Table()
    for header in ("statistic", "value", "units", "note"):
        out.add_column(header, justify="right" if header in ("value", "units") else "left")
    for s in stats:
        out.add_row(
            escape(s.name),
            "n/a" if s.value is None else f"{s.value:.4f}",
            str(s.units),
            escape(s.note or ""),
        )
    console.print(out)
    from qualcode.agreement.reading import CONVENTIONS

    console.print(
        f"[dim]Units: those coded by at least two coders (Cohen's kappa and Scott's pi: "
        f"by both). {escape(CONVENTIONS)}[/]"
    )
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# disagreements, consensus, settle


def _excerpt(text: str, limit: int = 240) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _ends(text: str, words: int = 5) -> str:
    """The first and last words of a passage, to show where a coding starts and ends."""
    found = text.split()
    if len(found) <= 2 * words + 1:
        return " ".join(found)
    return " ".join(found[:words]) + " … " + " ".join(found[-words:])


def _letters(coders) -> str:
    return ", ".join(f"{chr(ord('a') + i)} = {c}" for i, c in enumerate(coders))


def run_disagreements(args: argparse.Namespace) -> int:
    from qualcode.agreement.disagreements import KINDS, find_disagreements
    from qualcode.study import Study

    study = Study.open(args.dir)
    found = find_disagreements(
        study,
        _split(args.coders),
        code=args.code,
        transcripts=_split(args.transcripts),
        open_only=args.open,
    )
    if args.json:
        print_json([d.to_dict() for d in found])
        return EXIT_OK
    if not found:
        console.print("[green]No disagreements[/]" + (" left to settle." if args.open else "."))
        return EXIT_OK
    coders = found[0].coders
    width = max(len(c) for c in coders)
    for d in found:
        status = (
            f"[green]settled: {escape(d.settlement.decision)}[/]"
            if d.settlement
            else "[yellow]open[/]"
        )
        console.print(
            f"[bold]#{d.number}[/]  {escape(d.transcript)}, line {d.line} · "
            f"[bold]{d.kind_label}[/] · {status}"
        )
        console.print(f"  «{escape(_excerpt(d.text))}»", style="dim")
        for coder, marks in d.by_coder().items():
            if not marks:
                console.print(f"  {coder:<{width}}  [dim](nothing here)[/]")
            for mark in marks:
                piece = d.text[mark.start - d.start : mark.end - d.start]
                console.print(
                    f"  {coder:<{width}}  [cyan]{escape(mark.code)}[/]  "
                    f"{mark.start}–{mark.end}  [dim]«{escape(_ends(piece))}»[/]"
                )
        if d.settlement and d.settlement.memo:
            console.print(f"  [dim]memo: {escape(d.settlement.memo)}[/]")
        console.print()
    kinds = {k: sum(1 for d in found if d.kind == k) for k in KINDS}
    settled = sum(1 for d in found if d.settled)
    console.print(
        f"[bold]{len(found)} disagreements[/]: "
        + ", ".join(f"{n} {KINDS[k]}" for k, n in kinds.items() if n)
        + f"; {settled} settled, {len(found) - settled} open."
    )
    console.print(
        f"Settle one with [bold]qualcode settle {escape(str(args.dir))} --id N --take "
        f"a|b|both|neither[/] ({escape(_letters(coders))})."
    )
    return EXIT_OK


def run_consensus(args: argparse.Namespace) -> int:
    from qualcode.agreement.consensus import build_consensus
    from qualcode.study import Study

    study = Study.open(args.dir)
    summary = build_consensus(study, _split(args.coders))
    if args.json:
        print_json(summary.to_dict())
        return EXIT_OK
    console.print(
        f"[bold]Consensus of {escape(' and '.join(summary.coders))}[/] in {escape(str(summary.path))}"
        f" ({len(summary.transcripts)} transcripts)"
    )
    grid = Table.grid(padding=(0, 2))
    grid.add_row("agreed (copied)", str(summary.agreed))
    grid.add_row("settled", str(summary.settled))
    grid.add_row("still open", str(len(summary.open)))
    grid.add_row("this refresh", f"{summary.added} codings added, {summary.removed} removed")
    if summary.by_hand:
        grid.add_row("added by hand", f"{summary.by_hand} (kept)")
    console.print(grid)
    for note in summary.notes:
        console.print(f"[yellow]Note:[/] {escape(note)}")
    if summary.open:
        console.print(
            f"See the open ones with [bold]qualcode disagreements {escape(str(args.dir))} --open[/]"
            "; others can read the consensus as `--coder consensus`."
        )
    return EXIT_OK


def run_settle(args: argparse.Namespace) -> int:
    from qualcode.agreement.consensus import consensus_coders, reopen, settle
    from qualcode.agreement.disagreements import find_passages
    from qualcode.study import Study

    study = Study.open(args.dir)
    coders = _split(args.coders) or consensus_coders(study)
    found = find_passages(study, coders).disagreements
    wanted = args.id.strip()
    match = [d for d in found if str(d.number) == wanted or d.key == wanted]
    if not match:
        raise AgreementError(
            f"There is no disagreement `{wanted}`"
            + (f"; they are numbered 1 to {len(found)}." if found else ": none are left."),
            hint="List them with `qualcode disagreements`; numbers follow the text order.",
        )
    d = match[0]
    if args.reopen:
        done = reopen(d, study=study)
        if args.json:
            print_json({"id": d.number, "key": d.key, "reopened": done})
        else:
            console.print(
                f"Reopened #{d.number}." if done else f"#{d.number} had no decision to forget."
            )
        return EXIT_OK
    settlement = settle(d, args.take, args.memo, study=study)
    if args.json:
        print_json(
            {
                "id": d.number,
                "key": d.key,
                "decision": settlement.decision,
                "codings": [list(c) for c in settlement.codings],
                "memo": settlement.memo,
            }
        )
        return EXIT_OK
    what = {
        "both": "everyone's codings",
        "neither": "no coding",
    }.get(settlement.decision, f"{settlement.decision}'s codings")
    console.print(
        f"Settled #{d.number} ({d.kind_label}, {escape(d.transcript)} line {d.line}): kept "
        f"{what} ({len(settlement.codings)} in the consensus). The consensus layer is up to date."
    )
    return EXIT_OK
