"""Verbs about coder agreement: agreement, disagreements, consensus, settle."""

from __future__ import annotations

import argparse
import csv
import io
import textwrap
from pathlib import Path

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from qualcode.cli.output import EXIT_OK, console, print_json
from qualcode.errors import AgreementError, UsageError
from qualcode.study.transcript import SEGMENT_UNITS
from qualcode.wording import plural

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
        "--all-statistics",
        action="store_true",
        help="also show Scott's pi, Gwet's AC1 and Brennan-Prediger when the terminal is narrow",
    )
    p.add_argument(
        "--per-transcript",
        action="store_true",
        help="also show the character-level figures per code and transcript (in the report too)",
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
        "coder's codings; both: keep everyone's; neither: keep none; hand: keep what was coded "
        "there by hand in the consensus layer (qualcode open --coder consensus)",
    )
    action.add_argument("--reopen", action="store_true", help="forget the decision made earlier")
    p.add_argument(
        "--memo",
        help="why it was settled this way (default: the memo written before the decision, "
        "else the earlier decision's; --memo '' leaves none)",
    )
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
    from qualcode.agreement.compare import compare, csv_columns
    from qualcode.agreement.report import check_report_path, render_report, save
    from qualcode.study import Study

    levels = _study_levels(args.level)
    if args.per_transcript and "character" not in levels:
        raise UsageError(
            "--per-transcript shows figures of the character level, which --level leaves out.",
            hint="Add --level character, or leave --level out for all three levels.",
        )
    # Every file name is checked before anything is computed or written.
    if args.report is not None:
        check_report_path(args.report)
    if args.csv is not None:
        check_csv_path(args.csv)
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
    # Everything is made before anything is written, so a failure leaves no file behind.
    report = (
        None if args.report is None else render_report(result, args.report, args.per_transcript)
    )
    figures = None if args.csv is None else csv_text(csv_columns(result.coders), result.csv_rows())
    if figures is not None:
        save(args.csv, figures, "CSV file")
    if report is not None:
        save(args.report, report, "report")
    if args.json:
        data = result.to_dict()
        if args.report is not None:
            data["report"] = str(args.report)
        print_json(data)
        return EXIT_OK
    if args.csv is not None:
        console.print(f"Wrote the figures to {escape(str(args.csv))}")
    else:
        print_agreement(
            result, all_statistics=args.all_statistics, per_transcript=args.per_transcript
        )
    if args.report is not None:
        console.print(f"Wrote the report to {escape(str(args.report))}")
    return EXIT_OK


def _study_levels(level: str | None) -> tuple[str, ...]:
    if not level or level == "all":
        return STUDY_LEVELS
    if level in DATA_LEVELS:
        raise UsageError(
            f"--level {level} is a level of measurement, for --data tables.",
            hint="For a study, use --level character, segment or span (or leave it out).",
        )
    if level not in STUDY_LEVELS:
        raise UsageError(
            f"Unknown level `{level}`.",
            hint="Use character, segment or span (or leave --level out for all three).",
        )
    return (level,)


def check_csv_path(path: Path) -> Path:
    """Refuse a CSV file name that cannot be written, before anything is written."""
    from qualcode.agreement.report import check_output_folder

    if path.suffix.lower() != ".csv":
        raise UsageError(f"--csv needs a file name ending in .csv, not `{path.name}`.", path=path)
    check_output_folder(path, "CSV file")
    return path


def csv_text(columns: list[str], rows: list[dict]) -> str:
    """A CSV table as text, with the mark that lets Excel read UTF-8."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def print_agreement(
    result,
    *,
    out: Console | None = None,
    all_statistics: bool = False,
    per_transcript: bool = False,
) -> None:
    """The figures per level as tables that fit the terminal, numbers never cut."""
    from qualcode.agreement.reading import CONVENTIONS, thousands
    from qualcode.wording import joined

    out = out or console
    _say(
        out,
        f"Agreement between {joined(result.coders)} on "
        f"{plural(len(result.transcripts), 'transcript')} "
        f"({thousands(result.characters)} characters, {thousands(result.segments)} "
        f"{result.unit}s)",
        style="bold",
    )
    for name, level in result.levels.items():
        _print_level(out, result, name, level, all_statistics)
        if per_transcript and name == "character":
            _print_per_transcript(out, result, level)
    for note in result.notes:
        _say(out, note, lead="Note:")
    out.print()
    _say(out, CONVENTIONS, style="dim")


def _say(out: Console, text: str, style: str = "", lead: str = "", indent: str = "") -> None:
    """A paragraph wrapped at spaces only, so a number such as 80 950 never breaks in two.

    `lead` (e.g. `Note:`) starts the first line in yellow; `indent` starts every line.
    """
    first = f"{lead} " if lead else ""
    lines = textwrap.wrap(
        first + text,
        width=max(out.width, 20),
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )
    for i, line in enumerate(lines):
        shown = Text(line, style=style)
        if i == 0 and lead:
            shown.stylize("yellow", len(indent), len(indent) + len(lead))
        out.print(shown, no_wrap=True, overflow="fold")


def _print_level(out: Console, result, name: str, level, all_statistics: bool) -> None:
    from qualcode.agreement.columns import (
        EXTRA,
        figure_columns,
        fit_columns,
        legend,
        level_rows,
        natural_widths,
        undefined_notes,
    )
    from qualcode.agreement.report import LEVEL_TITLES

    title = LEVEL_TITLES[name] + (f" — {level.unit}s" if name in ("segment", "group") else "")
    columns = figure_columns(level, len(result.coders))
    rows = level_rows(level)
    widths = natural_widths(columns, rows)
    kept, sizes, left_out = fit_columns(columns, widths, out.width, keep_extra=False)
    out.print()
    out.print(f"[bold]{escape(title)}[/]")
    _print_rows(out, kept, sizes, _figure_lines(kept, rows))
    shown = list(kept)
    extra = [c for c in columns if c.key in left_out and c.key in EXTRA]
    if extra and all_statistics:
        second = [c for c in columns if c.key in ("code", "units")] + extra
        kept2, sizes2, _ = fit_columns(second, natural_widths(second, rows), out.width, True)
        out.print()
        _print_rows(out, kept2, sizes2, _figure_lines(kept2, rows))
        shown += extra
    lines = [f"Columns: {legend(shown)}."]
    if extra and not all_statistics:
        lines.append(
            f"Left out at this width ({out.width} columns): "
            + ", ".join(c.meaning for c in extra)
            + "; add --all-statistics to see them, or use --json, --csv or --report."
        )
    if "reading" in left_out:
        lines.append(
            f"The reading column is left out at this width ({out.width} columns); see the "
            "conventions below, or widen the terminal."
        )
    lines += undefined_notes(level, shown) + level.notes
    for line in lines:
        _say(out, line, style="dim")


def _figure_lines(columns, rows) -> list[tuple[list[str], str | None]]:
    """Each row's cells, and its style: `all codes` in bold, after a line of its own."""
    from qualcode.agreement.levels import ALL

    return [([c.cell(f) for c in columns], "bold" if f.code == ALL else None) for f in rows]


def _folded(columns, sizes: dict[str, int], cells: list[str]) -> list[str]:
    """Cells as printed: ids folded at their dots and dashes to fit their column."""
    from qualcode.wording import fold_id

    return [
        fold_id(cell, sizes[c.key]) if c.key in ("code", "transcript") else cell
        for c, cell in zip(columns, cells, strict=True)
    ]


def _print_rows(out: Console, columns, sizes: dict[str, int], lines) -> None:
    """A table with these columns and widths; as a list when even the narrowest does not fit.

    `lines` holds each row's cells and style (`bold` rows start a section of their own).
    """
    from qualcode.agreement.columns import GAP

    if sum(sizes.values()) + GAP * (len(columns) - 1) > out.width:
        for cells, style in lines:
            first, *others = cells
            _say(out, first, style="bold")
            pairs = [
                f"{c.header} {cell}".replace(" ", "\u00a0")
                for c, cell in zip(columns[1:], others, strict=True)
                if cell
            ]
            if pairs:
                _say(out, " · ".join(pairs), style=style or "", indent="  ")
        return
    table = Table(
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        collapse_padding=True,
        show_edge=False,
        pad_edge=False,
    )
    for c in columns:
        table.add_column(
            c.header,
            justify="right" if c.number else "left",
            width=sizes[c.key],
            no_wrap=c.number,
            overflow="fold",
        )
    for cells, style in lines:
        if style == "bold":
            table.add_section()
        table.add_row(*[escape(cell) for cell in _folded(columns, sizes, cells)], style=style)
    out.print(table)


def _print_per_transcript(out: Console, result, level) -> None:
    """The character-level figures per transcript: one table, a bold line per code."""
    from qualcode.agreement.columns import fit_columns, legend, natural_widths, transcript_columns
    from qualcode.agreement.report import transcript_rows

    columns = transcript_columns(result.coders)
    groups = transcript_rows(level)
    widths = natural_widths(columns, [p for _, found in groups for p in found])
    low, natural = widths["transcript"]
    widths["transcript"] = (low, max([natural, *(len(code) for code, _ in groups)]))
    kept, sizes, _ = fit_columns(columns, widths, out.width, keep_extra=True)
    lines: list[tuple[list[str], str | None]] = []
    for code, found in groups:
        lines.append(([code] + [""] * (len(kept) - 1), "bold"))
        lines += [([c.cell(p) for c in kept], None) for p in found]
    out.print()
    out.print("[bold]Character level per transcript[/]")
    _print_rows(out, kept, sizes, lines)
    _say(out, "Columns: " + legend(kept) + ".", style="dim")


def _run_data(args: argparse.Namespace) -> int:
    from qualcode.agreement.reliability_table import read_reliability_table, table_statistics

    given = [
        name
        for name in ("dir", "coders", "codes", "depth", "group", "transcripts", "report")
        if getattr(args, name) is not None
    ] + (["per-transcript"] if args.per_transcript else [])
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
    if args.csv is not None:
        check_csv_path(args.csv)
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
        from qualcode.agreement.report import save

        save(args.csv, csv_text(["statistic", "value", "units", "note"], rows), "CSV file")
        console.print(f"Wrote the figures to {escape(str(args.csv))}")
        return EXIT_OK
    console.print(
        f"[bold]{escape(table.path.name)}[/]: {plural(len(table.coders), 'coder')} "
        f"({escape(', '.join(table.coders))}) × {plural(len(table.units), 'unit')}, "
        f"{plural(missing, 'empty cell')}, {level} level"
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
    from qualcode.agreement.disagreements import KINDS, select_disagreements
    from qualcode.study import Study

    study = Study.open(args.dir)
    passages = select_disagreements(
        study,
        _split(args.coders),
        code=args.code,
        transcripts=_split(args.transcripts),
        open_only=args.open,
    )
    found = passages.disagreements
    if args.json:
        print_json(
            {
                "coders": list(passages.coders),
                "transcripts": passages.transcripts,
                "left_out": [
                    {"transcript": t, "coded_by": list(by)} for t, by in passages.left_out.items()
                ],
                "notes": passages.notes,
                "disagreements": [d.to_dict() for d in found],
            }
        )
        return EXIT_OK
    if not found:
        console.print(
            "[green]No disagreements[/]"
            + (" left to settle" if args.open else "")
            + f" in {plural(len(passages.transcripts), 'transcript')}."
        )
        _print_notes(passages.notes)
        return EXIT_OK
    coders = found[0].coders
    width = max(len(c) for c in coders)
    for d in found:
        status = (
            f"[green]settled: {escape(_decision_word(d.settlement.decision))}[/]"
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
        if d.settlement and d.settlement.by_hand:
            kept = ", ".join(f"{c} {s}–{e}" for s, e, c in d.settlement.codings) or "nothing"
            console.print(f"  [dim]coded by hand in the consensus layer: {escape(kept)}[/]")
        if d.settlement and d.settlement.memo:
            console.print(f"  [dim]memo: {escape(d.settlement.memo)}[/]")
        if d.pending is not None:
            console.print(f"  [dim]memo, waiting for the decision: {escape(d.pending.memo)}[/]")
        console.print()
    kinds = {k: sum(1 for d in found if d.kind == k) for k in KINDS}
    settled = sum(1 for d in found if d.settled)
    by_hand = sum(1 for d in found if d.settlement and d.settlement.by_hand)
    console.print(
        f"[bold]{plural(len(found), 'disagreement')}[/] in "
        f"{plural(len(passages.transcripts), 'transcript')}: "
        + ", ".join(f"{n} {KINDS[k]}" for k, n in kinds.items() if n)
        + f"; {settled} settled"
        + (f" ({by_hand} by hand)" if by_hand else "")
        + f", {len(found) - settled} open."
    )
    _print_notes(passages.notes)
    console.print(
        f"Settle one with [bold]qualcode settle {escape(str(args.dir))} --id N --take "
        f"a|b|both|neither|hand[/] ({escape(_letters(coders))})."
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
    from qualcode.wording import joined

    console.print(
        f"[bold]Consensus of {escape(joined(summary.coders))}[/] in {escape(str(summary.path))}"
        f" ({plural(len(summary.transcripts), 'transcript')})"
    )
    grid = Table.grid(padding=(0, 2))
    grid.add_row("agreed (copied)", str(summary.agreed))
    settled = str(summary.settled)
    if summary.settled_by_hand:
        settled += f" ({summary.settled_by_hand} by hand)"
    grid.add_row("settled", settled)
    grid.add_row("still open", str(len(summary.open)))
    grid.add_row(
        "this refresh",
        f"{plural(summary.added, 'coding')} added, {summary.removed} removed",
    )
    if summary.by_hand:
        grid.add_row("added or changed by hand", f"{summary.by_hand} (kept as they are)")
    if summary.removed_by_hand:
        grid.add_row("removed by hand", f"{summary.removed_by_hand} (not written again)")
    console.print(grid)
    _print_notes(summary.notes)
    _print_waiting(summary)
    if summary.stale:
        console.print("Decisions kept but not applied (settle these passages again):")
        for stale in summary.stale:
            s = stale.settlement
            where = f"line {stale.line}, " if stale.line is not None else ""
            console.print(
                f"  {escape(s.transcript)} {where}{s.start}–{s.end}, "
                f"{escape(', '.join(stale.codes))}: kept {escape(_kept(s.decision))}"
            )
            if s.memo:
                console.print(f"    [dim]memo: {escape(s.memo)}[/]")
            for change in stale.changes:
                console.print(f"    [dim]{escape(change)}[/]")
    if summary.open:
        console.print(
            f"See the open ones with [bold]qualcode disagreements {escape(str(args.dir))} --open[/]"
            "; others can read the consensus as `--coder consensus`."
        )
    return EXIT_OK


def _kept(decision: str) -> str:
    """What a decision keeps: `ingrid's codings`, `everyone's codings`, `no coding` or `the
    codings made by hand in the consensus layer`."""
    from qualcode.agreement.decisions import BOTH, HAND, NEITHER

    return {
        BOTH: "everyone's codings",
        NEITHER: "no coding",
        HAND: "the codings made by hand in the consensus layer",
    }.get(decision, f"{decision}'s codings")


def _decision_word(decision: str) -> str:
    """A decision in a word or two: `ingrid`, `both`, `neither`, `by hand`."""
    from qualcode.agreement.decisions import HAND

    return "by hand" if decision == HAND else decision


def _print_waiting(summary) -> None:
    """The memos written before a decision: with their disagreement, or kept apart."""
    if summary.waiting:
        console.print("Memos waiting for a decision:")
        for d in summary.waiting:
            console.print(
                f"  #{d.number} {escape(d.transcript)} line {d.line}: "
                f"[dim]{escape(d.pending.memo)}[/]"
            )
    if summary.stale_memos:
        console.print("Memos kept for passages that have changed since (write them again):")
        for memo in summary.stale_memos:
            where = f" «{escape(_excerpt(memo.quote, 60))}»" if memo.quote else ""
            console.print(f"  {escape(memo.transcript)}{where}: [dim]{escape(memo.memo)}[/]")


def _print_notes(notes: list[str]) -> None:
    for note in notes:
        _say(console, note, lead="Note:")


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
                "by_hand": settlement.by_hand,
                "codings": [list(c) for c in settlement.codings],
                "memo": settlement.memo,
            }
        )
        return EXIT_OK
    what = _kept(settlement.decision)
    console.print(
        f"Settled #{d.number} ({d.kind_label}, {escape(d.transcript)} line {d.line}): kept "
        f"{what} ({len(settlement.codings)} in the consensus). The consensus layer is up to date."
    )
    if settlement.by_hand and not settlement.codings:
        _say(
            console,
            "Nothing is coded in this passage of the consensus layer yet. Code it there with "
            f"`qualcode open {args.dir} --coder consensus`: what you code by hand stays in the "
            "consensus, also when it is refreshed.",
            lead="Note:",
        )
    return EXIT_OK
