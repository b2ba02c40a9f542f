"""Verbs about code suggestions: suggest, keywords, evaluate."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from qualcode.cli.output import EXIT_OK, console, print_json
from qualcode.errors import UsageError
from qualcode.study import Study
from qualcode.wording import plural


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
    p.add_argument(
        "--coder",
        action="append",
        metavar="NAME",
        help="learn from this coder's codings (repeatable; default: every coder, the consensus "
        "layer where it has coded)",
    )
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
        metavar="NAME",
        help="suggest for this coder: learn from their own codings and decisions only, and leave "
        "out what they have already coded (default: learn from every coder)",
    )
    p.add_argument(
        "--with-consensus",
        action="store_true",
        help="with --coder: also learn from the consensus layer, where the coder has not coded",
    )
    p.add_argument(
        "--learn-from",
        action="append",
        metavar="NAME",
        help="learn from exactly these coders (repeatable; `consensus` for the consensus layer)",
    )
    p.add_argument(
        "--keywords-only", action="store_true", help="use the codebook's keywords, learn nothing"
    )
    p.add_argument(
        "--show-coded",
        action="store_true",
        help="with --coder: also list the suggestions the coder has already coded, marked ✓",
    )


def _label(study: Study, code: str) -> str:
    return study.codebook.path_label(code, study.config.language)


# -- suggest ------------------------------------------------------------------------------------


def _suggester(study: Study, args: argparse.Namespace):
    """The Suggester the options ask for (mistakes in combining them explained)."""
    from qualcode.suggest import Suggester

    if args.learn_from and (args.coder or args.keywords_only):
        raise UsageError(
            "--learn-from names the coders to learn from; it cannot go with --coder or "
            "--keywords-only.",
            hint="Use --coder NAME alone to suggest for one coder, from their own codings.",
        )
    for option, given in (("--with-consensus", args.with_consensus), ("--show-coded", args.show_coded)):
        if given and not args.coder:
            raise UsageError(f"{option} goes with --coder NAME.", hint="Name the coder.")
    if args.coder:
        study.store(args.coder).close()  # an unknown coder is reported with the known ones
    options = {"unit": args.unit, "top": args.top}
    if args.keywords_only:
        return Suggester(study, learn_from=[], **options)
    if args.coder:
        return Suggester(study, coder=args.coder, with_consensus=args.with_consensus, **options)
    return Suggester(study, args.learn_from, **options)


def run_suggest(args: argparse.Namespace) -> int:
    if args.top < 1:
        raise UsageError("--top must be 1 or more.")
    study = Study.open(args.dir)
    suggester = _suggester(study, args)
    if args.min_score is not None:
        suggester.min_score = args.min_score
    if args.text is not None:
        return _print_text(study, suggester, args)
    transcripts = [study.transcript(tid) for tid in args.transcript or study.transcript_ids]
    shown, coded = {}, {}
    for transcript in transcripts:
        found = suggester.for_transcript(transcript)
        shown[transcript.id], coded[transcript.id] = _split_coded(study, args.coder, transcript, found)
    if args.json:
        print_json(_suggestions_json(suggester, args, transcripts, shown, coded))
        return EXIT_OK
    _print_model(suggester)
    for transcript in transcripts:
        _print_transcript(args, transcript, shown[transcript.id], coded[transcript.id])
    return EXIT_OK


def _split_coded(study: Study, coder: str | None, transcript, found: list) -> tuple[list, list]:
    """The suggestions the coder has not coded yet, and those they have (none without a coder)."""
    from qualcode.suggest import not_yet_coded

    if not coder:
        return found, []
    with study.store(coder) as store:
        codings = store.codings(transcript=transcript.id)
    return not_yet_coded(found, codings)


def _listed(args: argparse.Namespace, found: list, coded: list) -> list[tuple[object, bool]]:
    """(suggestion, already coded) in text order, best first per passage."""
    both = [(s, False) for s in found] + [(s, True) for s in (coded if args.show_coded else [])]
    return sorted(both, key=lambda pair: (pair[0].start, -pair[0].score))


def _suggestions_json(suggester, args, transcripts, shown: dict, coded: dict) -> dict:
    listed = []
    for transcript in transcripts:
        for suggestion, is_coded in _listed(args, shown[transcript.id], coded[transcript.id]):
            item = suggestion.to_dict()
            if args.coder:
                item["already_coded"] = is_coded
            listed.append(item)
    data = {"learned_from": suggester.model.learned_from, "suggestions": listed}
    if args.coder:
        data["coder"] = args.coder
        data["already_coded"] = sum(len(found) for found in coded.values())
    return data


def _print_text(study: Study, suggester, args: argparse.Namespace) -> int:
    found = suggester.for_text(args.text, language=args.language)
    if args.json:
        print_json([s.to_dict() for s in found])
        return EXIT_OK
    _print_model(suggester)
    if not found:
        console.print("No code scores high enough for this passage.")
    for s in found:
        console.print(f"[bold]{s.score:.2f}[/] {_label(study, s.code)} [dim]({s.code})[/]")
        console.print("     " + ", ".join(r.describe() for r in s.reasons))
    return EXIT_OK


def _print_transcript(args: argparse.Namespace, transcript, found: list, coded: list) -> None:
    title = f"{transcript.id}: {plural(len(found), 'suggestion')}"
    if coded and args.show_coded:
        title += f", and {len(coded)} already coded by {args.coder} (marked ✓)"
    elif coded:
        title += f" ({len(coded)} more already coded by {args.coder}: --show-coded lists them)"
    table = Table(title=title, title_justify="left")
    for column in ("line", "passage", "score", "code", "because of"):
        table.add_column(column, overflow="fold")
    last = None
    for s, is_coded in _listed(args, found, coded):
        same = (s.start, s.end) == last
        last = (s.start, s.end)
        table.add_row(
            "" if same else str(transcript.line_of(s.start)),
            "" if same else transcript.excerpt(s.start, s.end, 60),
            f"{s.score:.2f}",
            s.code + (" ✓" if is_coded else ""),
            ", ".join(r.describe() for r in s.reasons),
        )
    console.print(table)


def _print_model(suggester) -> None:
    model = suggester.model
    if suggester.coder and not model.learned:
        console.print(
            f"[dim]{suggester.coder} has no codings and no decisions on suggestions yet: the "
            "suggestions come from the codebook's keywords alone.[/]"
        )
    elif model.learned:
        console.print(
            f"[dim]Model learned from {', '.join(model.learned_from)} "
            f"({plural(model.examples, 'passage')}) on top of the codebook's keywords.[/]"
        )
    else:
        console.print("[dim]Model: the codebook's keywords (nothing learned).[/]")


# -- keywords -----------------------------------------------------------------------------------


def run_keywords(args: argparse.Namespace) -> int:
    from qualcode.suggest import Suggester, add_keywords, propose_keywords

    study = Study.open(args.dir)
    code = study.codebook[args.code]
    suggester = Suggester(study, learn_from=[])
    found = None
    if not args.add or args.add_top:
        limit = max(args.limit, args.add_top or 0)
        found = propose_keywords(suggester, code.id, args.coder, limit=limit)
    proposals = list(found or [])
    to_add = list(args.add or []) + [p.term for p in proposals[: args.add_top or 0]]
    added = add_keywords(code, to_add, weight=args.weight) if to_add else []
    why_none = found.why_none() if found is not None and not proposals else None
    if args.json:
        data = {
            "code": code.id,
            "proposals": [p.to_dict() for p in proposals[: args.limit]],
            "added": added,
            "codebook": str(code.path),
        }
        if why_none:
            data["nothing_to_propose"] = why_none
        print_json(data)
        return EXIT_OK
    if proposals:
        _print_proposals(study, code.id, proposals[: args.limit])
    elif why_none:
        console.print(f"Nothing to propose for {_label(study, code.id)} ({code.id}): {why_none}")
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


def _print_proposals(study: Study, code_id: str, proposals: list) -> None:
    table = Table(
        title=f"Proposed keywords for {_label(study, code_id)} ({code_id})", title_justify="left"
    )
    for column in ("#", "keyword", "z", "evidence", "for example"):
        table.add_column(column, overflow="fold")
    for i, p in enumerate(proposals, 1):
        examples = "; ".join(
            f"«{study.transcript(t).excerpt(max(0, s - 30), e + 30, 70)}» ({t})"
            for t, s, e, _w in p.examples[:2]
        )
        table.add_row(str(i), p.term, f"{p.z:.1f}", p.evidence, examples)
    console.print(table)


# -- evaluate -----------------------------------------------------------------------------------


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
        f"Coder [bold]{result.coder}[/]: {plural(result.transcripts, 'transcript')}, "
        f"{result.folds} folds by transcript, {plural(result.passages, result.unit)} "
        f"({result.coded_passages} coded); up to {result.top} suggestions per {result.unit} "
        f"scoring ≥ {result.min_score:g}."
    )
    _print_overall(data)
    _print_per_code(result, data)
    return EXIT_OK


def _print_overall(data: dict) -> None:
    summary = Table(
        title="Overall (micro-averaged; macro F1: the mean over the codes the coder used or the "
        "method suggested)",
        title_justify="left",
    )
    for column in ("method", "precision", "recall", "F1", "macro F1", "codes"):
        summary.add_column(column, justify="right" if column != "method" else "left")
    for name, method in data["methods"].items():
        o = method["overall"]
        summary.add_row(
            name, f"{o['precision']:.2f}", f"{o['recall']:.2f}", f"{o['f1']:.2f}",
            f"{method['macro_f1']:.2f}", str(method["macro_f1_codes"]),
        )
    console.print(summary)


def _print_per_code(result, data: dict) -> None:
    per_code = Table(
        title="Per code: the learned model, and the keywords alone (wrong: suggested, not coded)",
        title_justify="left",
    )
    per_code.add_column("code", overflow="fold", ratio=1)
    for column in ("coded", "precision", "recall", "F1", "wrong", "keywords F1", "wrong"):
        per_code.add_column(column, justify="right", max_width=9)
    model, keywords = data["methods"]["model"]["per_code"], data["methods"]["keywords"]["per_code"]
    for code in result.codes:
        m, k = model[code], keywords[code]
        per_code.add_row(
            code, str(result.coded(code)), f"{m['precision']:.2f}", f"{m['recall']:.2f}",
            f"{m['f1']:.2f}", str(m["fp"]), f"{k['f1']:.2f}", str(k["fp"]),
        )
    console.print(per_code)
