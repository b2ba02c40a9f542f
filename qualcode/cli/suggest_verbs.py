"""Verbs about code suggestions: suggest, keywords, evaluate."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from qualcode.cli.output import EXIT_OK, console, print_json
from qualcode.errors import UsageError
from qualcode.study import Study


def register(verbs: argparse._SubParsersAction) -> None:
    p = verbs.add_parser("suggest", help="suggest codes for passages, with the words behind them")
    p.add_argument("dir", type=Path, help="the study folder")
    p.add_argument("--transcript", action="append", metavar="ID", help="only this transcript")
    p.add_argument("--text", help="score this one passage instead of the transcripts")
    _learning_options(p)
    p.add_argument("--unit", default="paragraph", choices=["turn", "paragraph", "sentence"])
    p.add_argument("--top", type=int, default=3, help="codes per passage at most (default 3)")
    p.add_argument("--min-score", type=float, default=None, help="default 0.35")
    p.add_argument("--language", choices=["nb", "en"], help="language of --text")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run_suggest)

    p = verbs.add_parser("keywords", help="propose new keywords for a code from its codings")
    p.add_argument("dir", type=Path, help="the study folder")
    p.add_argument("--code", required=True, metavar="ID", help="the code's id")
    p.add_argument("--coder", action="append", metavar="NAME", help="learn from this coder")
    p.add_argument("--limit", type=int, default=10, help="proposals to show (default 10)")
    p.add_argument("--add", action="append", metavar="TERM", help="add this keyword to the code")
    p.add_argument("--add-top", type=int, metavar="N", help="add the N best proposals")
    p.add_argument("--weight", type=float, default=1.0, help="weight of added keywords")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run_keywords)

    p = verbs.add_parser("evaluate", help="measure suggestions against a coder's codings")
    p.add_argument("dir", type=Path, help="the study folder")
    p.add_argument("--coder", required=True, metavar="NAME")
    p.add_argument("--folds", type=int, default=5, help="default 5")
    p.add_argument("--unit", default="paragraph", choices=["turn", "paragraph", "sentence"])
    p.add_argument("--top", type=int, default=2, help="suggestions counted per passage (2)")
    p.add_argument("--min-score", type=float, default=None, help="default 0.35")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run_evaluate)


def _learning_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--coder",
        action="append",
        metavar="NAME",
        help="learn from this coder's codings and decisions (repeatable; `consensus` for the "
        "consensus; default: the consensus if any, else every coder)",
    )
    p.add_argument(
        "--keywords-only", action="store_true", help="use the codebook's keywords, learn nothing"
    )


def _label(study: Study, code: str) -> str:
    return study.codebook.path_label(code, study.config.language)


def run_suggest(args: argparse.Namespace) -> int:
    from qualcode.suggest import Suggester

    if args.top < 1:
        raise UsageError("--top must be 1 or more.")
    study = Study.open(args.dir)
    if args.keywords_only and args.coder:
        raise UsageError("Use either --coder or --keywords-only, not both.")
    learn_from = [] if args.keywords_only else args.coder
    suggester = Suggester(study, learn_from, unit=args.unit, top=args.top)
    if args.min_score is not None:
        suggester.min_score = args.min_score
    if args.text is not None:
        found = suggester.for_text(args.text, language=args.language)
        if args.json:
            print_json([s.to_dict() for s in found])
            return EXIT_OK
        _print_model(study, suggester)
        if not found:
            console.print("No code scores high enough for this passage.")
        for s in found:
            console.print(f"[bold]{s.score:.2f}[/] {_label(study, s.code)} [dim]({s.code})[/]")
            console.print("     " + ", ".join(r.describe() for r in s.reasons))
        return EXIT_OK
    ids = args.transcript or study.transcript_ids
    transcripts = [study.transcript(tid) for tid in ids]
    results = {t.id: suggester.for_transcript(t) for t in transcripts}
    if args.json:
        print_json(
            {
                "learned_from": suggester.model.learned_from,
                "suggestions": [s.to_dict() for found in results.values() for s in found],
            }
        )
        return EXIT_OK
    _print_model(study, suggester)
    for transcript in transcripts:
        found = results[transcript.id]
        table = Table(title=f"{transcript.id}: {len(found)} suggestions", title_justify="left")
        for column in ("line", "passage", "score", "code", "because of"):
            table.add_column(column, overflow="fold")
        last = None
        for s in found:
            same = (s.start, s.end) == last
            last = (s.start, s.end)
            table.add_row(
                "" if same else str(transcript.line_of(s.start)),
                "" if same else transcript.excerpt(s.start, s.end, 60),
                f"{s.score:.2f}",
                s.code,
                ", ".join(r.describe() for r in s.reasons),
            )
        console.print(table)
    return EXIT_OK


def _print_model(study: Study, suggester) -> None:
    model = suggester.model
    if model.learned:
        console.print(
            f"[dim]Model learned from {', '.join(model.learned_from)} "
            f"({model.examples} passages) on top of the codebook's keywords.[/]"
        )
    else:
        console.print("[dim]Model: the codebook's keywords (nothing learned).[/]")


def run_keywords(args: argparse.Namespace) -> int:
    from qualcode.suggest import Suggester, add_keywords, propose_keywords

    study = Study.open(args.dir)
    code = study.codebook[args.code]
    suggester = Suggester(study, learn_from=[])
    proposals = []
    if not args.add or args.add_top:
        proposals = propose_keywords(suggester, code.id, args.coder, limit=max(args.limit, args.add_top or 0))
    to_add = list(args.add or []) + [p.term for p in proposals[: args.add_top or 0]]
    added = add_keywords(code, to_add, weight=args.weight) if to_add else []
    if args.json:
        print_json(
            {
                "code": code.id,
                "proposals": [p.to_dict() for p in proposals[: args.limit]],
                "added": added,
                "codebook": str(code.path),
            }
        )
        return EXIT_OK
    if proposals:
        table = Table(
            title=f"Proposed keywords for {_label(study, code.id)} ({code.id})", title_justify="left"
        )
        for column in ("#", "keyword", "z", "evidence", "for example"):
            table.add_column(column, overflow="fold")
        for i, p in enumerate(proposals[: args.limit], 1):
            examples = "; ".join(
                f"«{study.transcript(t).excerpt(max(0, s - 30), e + 30, 70)}» ({t})"
                for t, s, e, _w in p.examples[:2]
            )
            table.add_row(str(i), p.term, f"{p.z:.1f}", p.evidence, examples)
        console.print(table)
    if added:
        console.print(f"[green]Added to {code.path}:[/] " + ", ".join(added))
    elif to_add:
        console.print("The code already has these keywords; nothing was changed.")
    elif proposals:
        console.print(
            f"Add the ones you agree with in one go: [bold]qualcode keywords {args.dir} --code "
            f"{code.id} --add WORD --add WORD[/] (or --add-top N)."
        )
    return EXIT_OK


def run_evaluate(args: argparse.Namespace) -> int:
    from qualcode.suggest import evaluate
    from qualcode.suggest.suggester import DEFAULT_MIN_SCORE

    study = Study.open(args.dir)
    study.store(args.coder).close()  # an unknown coder is reported with the known ones
    result = evaluate(
        study,
        args.coder,
        folds=args.folds,
        unit=args.unit,
        top=args.top,
        min_score=DEFAULT_MIN_SCORE if args.min_score is None else args.min_score,
    )
    data = result.to_dict()
    if args.json:
        print_json(data)
        return EXIT_OK
    console.print(
        f"Coder [bold]{result.coder}[/]: {result.transcripts} transcripts, {result.folds} folds by "
        f"transcript, {result.passages} {result.unit}s ({result.coded_passages} coded); "
        f"up to {result.top} suggestions per {result.unit} scoring ≥ {result.min_score:g}."
    )
    summary = Table(title="Overall (micro-averaged)", title_justify="left")
    for column in ("method", "precision", "recall", "F1", "macro F1"):
        summary.add_column(column, justify="right" if column != "method" else "left")
    for name, method in data["methods"].items():
        o = method["overall"]
        summary.add_row(
            name, f"{o['precision']:.2f}", f"{o['recall']:.2f}", f"{o['f1']:.2f}",
            f"{method['macro_f1']:.2f}",
        )
    console.print(summary)
    per_code = Table(title="Per code (F1: model / keywords)", title_justify="left")
    for column in ("code", "coded", "precision", "recall", "F1", "keywords F1"):
        per_code.add_column(column, justify="left" if column == "code" else "right")
    model, keywords = data["methods"]["model"]["per_code"], data["methods"]["keywords"]["per_code"]
    for code in result.codes:
        m = model[code]
        per_code.add_row(
            code, str(m["tp"] + m["fn"]), f"{m['precision']:.2f}", f"{m['recall']:.2f}",
            f"{m['f1']:.2f}", f"{keywords[code]['f1']:.2f}",
        )
    console.print(per_code)
    return EXIT_OK
