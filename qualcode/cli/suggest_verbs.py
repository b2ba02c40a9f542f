"""Verbs about code suggestions: suggest, keywords, evaluate."""

from __future__ import annotations

import argparse
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

from rich import box
from rich.markup import escape
from rich.table import Table

from qualcode.cli.output import EXIT_OK, console, print_json
from qualcode.errors import UsageError
from qualcode.study import Study
from qualcode.wording import fold_id, joined, plural, plural_form

CODE_COLUMN = (16, 24)
"""The narrowest and widest a column of code ids gets: ids fold at their dots and dashes."""
GAP = 2
"""Characters between two columns of the evaluation tables."""
EVIDENCE_WIDTH = 22
"""The width of the evidence column of proposed keywords (the words wrap)."""


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
    _check_text_options(args)
    study = Study.open(args.dir)
    suggester = _suggester(study, args)
    if args.min_score is not None:
        suggester.min_score = args.min_score
    if args.text is not None:
        return _print_text(study, suggester, args)
    transcripts = [study.transcript(tid) for tid in args.transcript or study.transcript_ids]
    codings = _codings_of(study, args.coder, transcripts)
    shown, coded = {}, {}
    for transcript in transcripts:
        found = suggester.for_transcript(transcript)
        shown[transcript.id], coded[transcript.id] = _split_coded(codings, transcript, found)
    if args.json:
        print_json(_suggestions_json(suggester, args, transcripts, shown, coded))
        return EXIT_OK
    _print_model(suggester)
    for transcript in transcripts:
        _print_transcript(
            study, suggester, args, transcript, shown[transcript.id], coded[transcript.id]
        )
    return EXIT_OK


def _check_text_options(args: argparse.Namespace) -> None:
    """--text scores a passage from outside the study: options about the study's transcripts
    cannot go with it, nor --language without it."""
    if args.text is None and args.language:
        raise UsageError(
            "--language gives the language of a passage given with --text.",
            hint="Each transcript's language comes from its front matter or qualcode.yaml; "
            "leave out --language, or give the passage with --text.",
        )
    if args.text is None:
        return
    if args.transcript:
        raise UsageError(
            "--text scores the passage you give, and --transcript picks transcripts of the "
            "study: they cannot go together.",
            hint="Leave out --transcript to score the passage, or --text to suggest codes for "
            "the transcript.",
        )
    if args.show_coded:
        raise UsageError(
            "--show-coded lists what the coder has already coded in the study's transcripts; "
            "a passage given with --text has nothing coded.",
            hint="Leave out --show-coded.",
        )


def _codings_of(study: Study, coder: str | None, transcripts: list) -> dict[str, list] | None:
    """The coder's codings of each transcript (None without a coder), taken where they are in
    the current text, as learning takes them: a coding moved by an edit of the transcript still
    hides its suggestion."""
    from qualcode.store.anchoring import place_codings

    if not coder:
        return None
    with study.store(coder) as store:
        return {t.id: place_codings(store.codings(transcript=t.id), t).placed for t in transcripts}


def _split_coded(codings: dict[str, list] | None, transcript, found: list) -> tuple[list, list]:
    """The suggestions the coder has not coded yet, and those they have (none without a coder);
    `codings` as `_codings_of` gives them."""
    from qualcode.suggest import not_yet_coded

    if codings is None:
        return found, []
    return not_yet_coded(found, codings[transcript.id])


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
    data = {**_model_json(suggester.model), "suggestions": listed}
    if args.coder:
        data["coder"] = args.coder
        data["already_coded"] = sum(len(found) for found in coded.values())
    return data


def _model_json(model) -> dict:
    """What the model learned from, which codes it learned, and what it could not use."""
    return {
        "learned_from": model.learned_from,
        "learned_codes": model.learned_codes,
        "notes": model.notes,
    }


def _print_text(study: Study, suggester, args: argparse.Namespace) -> int:
    found = suggester.for_text(args.text, language=args.language)
    why_none = None if found else _why_none(study, suggester, _closest_for_text(suggester, args))
    if args.json:
        data = {
            **_model_json(suggester.model),
            "text": args.text,
            "suggestions": [s.to_dict() for s in found],
        }
        if args.coder:
            data["coder"] = args.coder
        if why_none:
            data["nothing_suggested"] = why_none
        print_json(data)
        return EXIT_OK
    _print_model(suggester)
    if why_none:
        console.print(f"No suggestions for this passage: {why_none}", markup=False)
    for s in found:
        console.print(
            f"[bold]{s.score:.2f}[/] {escape(_label(study, s.code))} [dim]({escape(s.code)})[/]"
        )
        console.print("     " + ", ".join(r.describe() for r in s.reasons), markup=False)
    return EXIT_OK


def _closest_for_text(suggester, args: argparse.Namespace) -> list:
    """Every code's score for the --text passage, however low."""
    return suggester.for_text(
        args.text, language=args.language, min_score=0.0, top=len(suggester.model.codes)
    )


def _closest_in(suggester, transcript) -> list:
    """The three best codes of every passage of a transcript, however low they score."""
    return suggester.for_transcript(transcript, min_score=0.0, top=3)


def _matched_keywords(suggestion) -> bool:
    return any(r.how != "learned" and r.weight > 0 for r in suggestion.reasons)


def _why_none(study: Study, suggester, closest: list, where: str = "") -> str:
    """Why nothing was suggested, and what to try, given the codes that came closest.

    `where` says where the words were looked for in a transcript (`in its paragraphs`); without
    it, they were looked for in a passage given with --text.
    """
    if not suggester.model.learned and not suggester.entries:
        return (
            "the codebook has no keywords and nothing has been learned yet. Add keywords to "
            "the codes (qualcode keywords STUDY --code ID --add WORD), or code a few passages."
        )
    if not closest:
        return "there are no words to go on."
    matched = [s for s in closest if _matched_keywords(s)]
    if matched:
        return _below_the_floor(study, suggester, max(matched, key=lambda s: s.score), where)
    found = f"no keyword of the codebook occurs {where or 'in it'}"
    if suggester.model.learned:
        found += (
            f", and the words learned from {joined(suggester.model.learned_from)} give no "
            f"code more than {max(s.score for s in closest):.2f}"
        )
    advice = "Add" if where else "Try a longer passage, or add"
    return f"{found}. {advice} keywords to the codes that should match (qualcode keywords)."


def _below_the_floor(study: Study, suggester, best, where: str) -> str:
    """The closest code, its score and its strongest reasons, below the score needed."""
    strongest = sorted(best.reasons, key=lambda r: -r.weight)[:3]
    because = ", ".join(r.describe() for r in strongest)
    more = " ..." if len(best.reasons) > len(strongest) else ""
    advice = (
        "A lower --min-score shows weaker suggestions."
        if where
        else "Try a longer passage, or a lower --min-score."
    )
    return (
        f"the closest is {_label(study, best.code)} ({best.code}) at {best.score:.2f}, below "
        f"the {suggester.min_score:g} needed (because of {because}{more}). {advice}"
    )


def _print_transcript(study: Study, suggester, args, transcript, found: list, coded: list) -> None:
    listed = _listed(args, found, coded)
    title = f"{transcript.id}: {plural(len(found), 'suggestion')}"
    if coded and args.show_coded:
        title += f", and {len(coded)} already coded by {args.coder} (marked ✓)"
    elif coded:
        title += f" ({len(coded)} more already coded by {args.coder}: --show-coded lists them)"
    if not listed:
        console.print(_none_in_transcript(study, suggester, args, transcript, coded), markup=False)
        return
    code_width = _code_column(s.code + (" ✓" if is_coded else "") for s, is_coded in listed)
    table = Table(title=escape(title), title_justify="left")
    table.add_column("line", justify="right", no_wrap=True)
    table.add_column("passage")
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("code", width=code_width, no_wrap=True)
    table.add_column("because of")
    last = None
    for s, is_coded in listed:
        same = (s.start, s.end) == last
        last = (s.start, s.end)
        table.add_row(
            "" if same else str(transcript.line_of(s.start)),
            "" if same else escape(transcript.excerpt(s.start, s.end, 60)),
            f"{s.score:.2f}",
            escape(fold_id(s.code + (" ✓" if is_coded else ""), code_width)),
            escape(", ".join(r.describe() for r in s.reasons)),
        )
    console.print(table)


def _none_in_transcript(study: Study, suggester, args, transcript, coded: list) -> str:
    """One sentence for a transcript with nothing to list, saying why."""
    if coded:
        return (
            f"{transcript.id}: no new suggestions; {plural(len(coded), 'suggestion')} "
            f"{plural_form(len(coded), 'is', 'are')} already coded by {args.coder} (--show-coded "
            "lists them)."
        )
    closest = _closest_in(suggester, transcript)
    where = f"in its {args.unit}s"
    return f"{transcript.id}: no suggestions: {_why_none(study, suggester, closest, where)}"


def _code_column(ids) -> int:
    """The width of a column of code ids: room for the longest part between dots (so the ids
    fold only there), the whole id when it is short, within CODE_COLUMN."""
    least, most = CODE_COLUMN
    ids = list(ids)
    longest = max((len(i) for i in ids), default=len("code"))
    part = max((len(p) for i in ids for p in re.findall(r"[^.]*\.?", i)), default=0)
    return max(min(longest, least), min(part, most), len("code"))


def _print_model(suggester) -> None:
    """Where the suggestions come from, then what could not be learned from."""
    console.print(_model_sentence(suggester), style="dim", markup=False)
    _print_notes(suggester.model.notes)


def _print_notes(notes: list[str]) -> None:
    for note in notes:
        console.print(f"[yellow]Note:[/] {escape(note)}")


def _model_sentence(suggester) -> str:
    """One sentence on what the model learned, and from whom."""
    from qualcode.suggest.learning import MIN_EVIDENCE, MIN_READ

    model = suggester.model
    waiting = (
        f"a code is learned once {MIN_EVIDENCE} passages have been coded with it (accepted and "
        f"rejected suggestions count too), and every code once {MIN_READ} passages have been "
        "read (each transcript counted up to its last coding)"
    )
    if not model.learned_from:
        if suggester.coder:
            return (
                f"{suggester.coder} has no codings and no decisions on suggestions yet: the "
                "suggestions come from the codebook's keywords alone."
            )
        return "Model: the codebook's keywords (nothing learned)."
    given = f"{joined(model.learned_from)} ({plural(model.examples, 'passage')})"
    if not model.learned:
        return (
            f"Too little to learn from yet in {given}: {waiting}. Until then the suggestions "
            "come from the codebook's keywords alone."
        )
    sentence = (
        f"Model learned from {given} on top of the codebook's keywords, for "
        f"{plural(len(model.learned_codes), 'code')}"
    )
    others = len(model.codes) - len(model.learned_codes)
    if others:
        sentence += (
            f"; the other {plural(others, 'code')} {plural_form(others, 'keeps', 'keep')} the "
            f"codebook's weights until there is more evidence ({waiting})"
        )
    return sentence + "."


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
        console.print(
            f"Nothing to propose for {_label(study, code.id)} ({code.id}): {why_none}",
            markup=False,
        )
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
    """The proposals in a table, each with two of its passages: the word in context."""
    from qualcode.suggest.proposals import in_context

    widths = {
        "#": len(str(len(proposals))),
        "keyword": max(len("keyword"), *(len(p.term) for p in proposals)),
        "z": max(len(f"{p.z:.1f}") for p in proposals),
        "evidence": EVIDENCE_WIDTH,
    }
    example_width = max(console.width - sum(widths.values()) - 3 * len(widths) - 4, 20)
    title = f"Proposed keywords for {_label(study, code_id)} ({code_id})"
    table = Table(title=escape(title), title_justify="left")
    for column, width in widths.items():
        table.add_column(column, width=width, justify="right" if column in "#z" else "left")
    table.add_column("for example", width=example_width)
    for i, p in enumerate(proposals, 1):
        examples = []
        for tid, start, end, _word in p.examples[:2]:
            transcript = study.transcript(tid)
            where = f"{tid}, line\u00a0{transcript.line_of(start)}"  # the number with its word
            examples.append(
                f"«{in_context(transcript.text, start, end)}»\n{fold_id(where, example_width)}"
            )
        table.add_row(str(i), escape(p.term), f"{p.z:.1f}", p.evidence, escape("\n".join(examples)))
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
        f"{plural(result.folds, 'fold')} by transcript, {plural(result.passages, result.unit)} "
        f"read ({result.coded_passages} coded); up to {plural(result.top, 'suggestion')} per "
        f"{result.unit} scoring ≥ {result.min_score:g}."
    )
    _print_notes(result.notes)
    _print_overall(data)
    _print_per_code(result, data)
    return EXIT_OK


Figure = tuple[str, Callable[[str], str]]
"""A column of figures: its header, and its cell for a row's name."""


def _print_overall(data: dict) -> None:
    methods = data["methods"]
    columns: list[Figure] = [
        ("precision", lambda name: f"{methods[name]['overall']['precision']:.2f}"),
        ("recall", lambda name: f"{methods[name]['overall']['recall']:.2f}"),
        ("F1", lambda name: f"{methods[name]['overall']['f1']:.2f}"),
        ("macro F1", lambda name: f"{methods[name]['macro_f1']:.2f}"),
        ("codes", lambda name: str(methods[name]["macro_f1_codes"])),
    ]
    console.print()
    console.print(
        "[bold]Overall[/] (micro-averaged; macro F1: the mean over the codes the coder used or "
        "the method suggested)"
    )
    names = list(methods)
    longest = max(len(name) for name in names)
    if _first_room(names, columns) >= longest:
        console.print(_figures_table("method", names, columns, longest))
    else:
        _print_figure_list(names, columns)


def _print_per_code(result, data: dict) -> None:
    """Per code, the learned model and the keywords alone: in one table, in two if one is too
    wide, and as a list if even two are."""
    model, keywords = data["methods"]["model"]["per_code"], data["methods"]["keywords"]["per_code"]
    learned: list[Figure] = [
        ("coded", lambda code: str(result.coded(code))),
        ("precision", lambda code: f"{model[code]['precision']:.2f}"),
        ("recall", lambda code: f"{model[code]['recall']:.2f}"),
        ("F1", lambda code: f"{model[code]['f1']:.2f}"),
        ("wrong", lambda code: str(model[code]["fp"])),
    ]
    keywords_only: list[Figure] = [
        ("keywords F1", lambda code: f"{keywords[code]['f1']:.2f}"),
        ("wrong", lambda code: str(keywords[code]["fp"])),
    ]
    console.print()
    console.print(
        "[bold]Per code[/]: the learned model, and the keywords alone (wrong: suggested, not coded)"
    )
    codes = result.codes
    longest = max([len("code"), *(len(code) for code in codes)])
    tables = [learned + keywords_only]
    if _first_room(codes, tables[0]) < min(longest, CODE_COLUMN[0]):
        tables = [learned, [learned[0], *keywords_only]]
    rooms = [_first_room(codes, columns) for columns in tables]
    if min(rooms) < min(longest, CODE_COLUMN[0]):
        _print_figure_list(codes, learned + keywords_only)
        return
    for columns, room in zip(tables, rooms, strict=True):
        console.print(_figures_table("code", codes, columns, min(longest, room)))


def _number_widths(names: list[str], columns: list[Figure], whole: bool = False) -> list[int]:
    """Each figure column's width: its widest cell, or its header's longest word (its whole
    header if `whole`)."""
    return [
        max(
            [len(header) if whole else max(len(w) for w in header.split())]
            + [len(cell(name)) for name in names]
        )
        for header, cell in columns
    ]


def _first_room(names: list[str], columns: list[Figure]) -> int:
    """The width left for the first column, beside the figures, on this terminal."""
    return console.width - sum(_number_widths(names, columns)) - GAP * len(columns)


def _figures_table(first: str, names: list[str], columns: list[Figure], width: int) -> Table:
    """Names (code ids folded at their dots and dashes to `width`) beside columns of figures,
    which are never wrapped or cut."""
    widths = _number_widths(names, columns, whole=True)
    if width + sum(widths) + GAP * len(columns) > console.width:
        widths = _number_widths(names, columns)  # headers wrap between their words
    table = Table(
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        collapse_padding=True,
        show_edge=False,
        pad_edge=False,
    )
    table.add_column(first, width=width, no_wrap=True)
    for (header, _cell), size in zip(columns, widths, strict=True):
        table.add_column(textwrap.fill(header, size), justify="right", width=size, no_wrap=True)
    for name in names:
        table.add_row(escape(fold_id(name, width)), *[cell(name) for _header, cell in columns])
    return table


def _print_figure_list(names: list[str], columns: list[Figure]) -> None:
    """For terminals too narrow for a table: each name, then its figures on the next lines."""
    for name in names:
        console.print(name, style="bold", markup=False)
        figures = [f"{header} {cell(name)}".replace(" ", "\u00a0") for header, cell in columns]
        for line in textwrap.wrap("\u00a0· ".join(figures), console.width - 2):
            console.print("  " + line.replace("\u00a0", " "), markup=False, no_wrap=True)
