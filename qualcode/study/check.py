"""`qualcode check`: everything that can be wrong with a study, found in one pass.

Settings, codebooks, transcripts, the informant table and every coder's codings (unknown code
ids, passages outside the text, codings whose transcript changed since they were made).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.errors import QualcodeError
from qualcode.study.config import attribution_fields
from qualcode.study.problems import Problem
from qualcode.study.study import CODEBOOKS_DIR, Study
from qualcode.study.transcript import Transcript
from qualcode.wording import plural, plural_form

if TYPE_CHECKING:
    from qualcode.store.coder_store import Coding


@dataclass
class CoderSummary:
    coder: str
    codings: int = 0
    transcripts: int = 0
    moved: int = 0
    lost: int = 0
    fixed: int = 0
    refused: str | None = None
    """Why the coder's file could not be read (then nothing else here is known)."""


@dataclass
class CheckReport:
    """What `check` found, and a summary of the study."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    name: str = ""
    transcripts: int = 0
    words: int = 0
    informants: int = 0
    codes: int = 0
    coders: list[CoderSummary] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notes(self) -> list[Problem]:
        """Things to know that are no problem, such as a new study having no transcripts yet."""
        return [p for p in self.problems if p.severity == "note"]

    @property
    def clean(self) -> bool:
        """No errors and no warnings (notes do not count)."""
        return not self.errors and not self.warnings

    def to_dict(self) -> dict[str, object]:
        return {
            "study": str(self.root),
            "name": self.name,
            "transcripts": self.transcripts,
            "words": self.words,
            "informants": self.informants,
            "codes": self.codes,
            "coders": [vars(c) for c in self.coders],
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.to_dict() for p in self.problems if p.severity != "note"],
            "notes": [p.to_dict() for p in self.notes],
        }


def check_study(root: str | Path, fix: bool = False) -> CheckReport:
    """Check a study folder. With `fix`, codings whose passage moved are re-anchored.

    Nothing is written without `fix`: coder files are opened only for reading. With `fix`,
    only codings on transcripts without errors are moved.
    """
    root = Path(root)
    report = CheckReport(root=root)
    study, problems = Study.read(root)
    report.problems.extend(problems)
    if study is None:
        return report
    report.name = study.config.name
    report.codes = len(study.codebook)
    _check_unused_codebooks(study, report)
    transcripts: dict[str, Transcript] = {}
    unreadable: set[str] = set()
    for tid in study.transcript_ids:
        try:
            transcript = study.transcript(tid)
        except QualcodeError as exc:
            report.problems.append(Problem.from_error(exc, kind="transcript"))
            unreadable.add(tid)
            continue
        transcripts[tid] = transcript
        _check_transcript(transcript, report)
    if not study.transcript_paths():
        report.problems.append(
            Problem(
                "note",
                "no-transcripts",
                "The study has no transcripts yet.",
                study.transcripts_dir,
                hint=f"Bring them in with `qualcode import {study.root} FILE...`.",
            )
        )
    # Problems found while reading (front matter, informant table) were collected on the study.
    for problem in study.problems:
        if problem not in report.problems:
            report.problems.append(problem)
    report.transcripts = len(transcripts)
    report.words = sum(t.word_count for t in transcripts.values())
    report.informants = sum(len(t.informants) for t in transcripts.values())
    _check_informant_table(study, transcripts, report)
    _check_attribution(study, transcripts, report)
    broken = _transcripts_with_errors(transcripts, report)
    context = _CoderContext(study, transcripts, unreadable, broken, fix)
    for path in study.stray_codings_files():
        report.problems.append(_stray_codings_file(study, path))
    for coder in study.coders(include_consensus=True):
        report.coders.append(_check_coder(context, coder, report))
    return report


def _check_unused_codebooks(study: Study, report: CheckReport) -> None:
    """A codebook file in codebooks/ that qualcode.yaml does not list is not used: say so."""
    if not study.config.codebooks:
        return  # no list: every codebook in the folder is used
    listed = set(study.config.codebooks)
    folder = study.root / CODEBOOKS_DIR
    for path in sorted(folder.glob("*.y*ml")):
        if path.suffix not in (".yaml", ".yml") or path.name in listed:
            continue
        report.problems.append(
            Problem(
                "warning",
                "unused-codebook",
                f"The codebook {path.name} is not listed under `codebooks:` in qualcode.yaml, "
                "so its codes are not used.",
                path,
                hint=f"To use it, add the line `  - {path.name}` under `codebooks:` in "
                "qualcode.yaml; otherwise move it out of codebooks/.",
            )
        )


def _check_transcript(transcript: Transcript, report: CheckReport) -> None:
    if not transcript.text.strip():
        report.problems.append(
            Problem(
                "warning",
                "empty-transcript",
                "The transcript has no text.",
                transcript.path,
                hint="Add the text or remove the file.",
            )
        )
        return
    spoken = {t.speaker for t in transcript.turns if t.speaker}
    for label in transcript.informants:
        if label not in spoken and any(t.speaker for t in transcript.turns):
            report.problems.append(
                Problem(
                    "warning",
                    "silent-informant",
                    f"Speaker `{label}` has attributes but no turn in the text.",
                    transcript.path,
                    hint=f"Check that turns start with `{label}:` at the beginning of a line.",
                )
            )
    _check_informant_turns(transcript, report)


def _check_informant_turns(transcript: Transcript, report: CheckReport) -> None:
    """Warn when no passage of the text can be attributed to an informant."""
    labelled = [t for t in transcript.turns if t.speaker is not None]
    if any(not t.is_interviewer for t in labelled):
        return
    unlabelled = [t for t in transcript.turns if t.speaker is None]
    if unlabelled and len(transcript.informants) == 1:
        return  # e.g. a survey answer: the text is the only informant's
    if labelled:
        message = "No informant turns were found: every turn belongs to the interviewer."
        hint = "Check the speaker labels and `interviewer_labels` in qualcode.yaml."
    else:
        message = (
            "No speaker turns were found: no line starts with a speaker label such as `I:` "
            "or `A:`, so no passage can be attributed to an informant."
        )
        hint = (
            "Start each turn on a new line with its label and a colon (`A: ...`; `**A:**` and "
            "`[00:12:33] A:` are read too), or set `speaker_pattern` in qualcode.yaml to the "
            "way this transcript marks speakers. A text by one person, such as a survey "
            "answer, needs no labels: name that person under `informants:` in its front "
            "matter (`informants: {R01: {role: HR-leder}}`) or in the informant table."
        )
    report.problems.append(
        Problem("warning", "no-informant-turns", message, transcript.path, hint=hint)
    )


def _check_informant_table(study: Study, transcripts: dict, report: CheckReport) -> None:
    path = study.informant_table
    for row in study.informant_rows:
        if row.transcript not in transcripts:
            report.problems.append(
                Problem(
                    "warning",
                    "informant-table",
                    f"Row {row.line} names transcript `{row.transcript}`, which the study lacks.",
                    path,
                    row.line,
                    hint="Correct the transcript id (its file name without extension).",
                )
            )
        elif row.speaker not in {t.speaker for t in transcripts[row.transcript].turns}:
            report.problems.append(
                Problem(
                    "warning",
                    "informant-table",
                    f"Row {row.line}: `{row.transcript}` has no turns by speaker `{row.speaker}`.",
                    path,
                    row.line,
                    hint="Use the label exactly as it stands before the colon in the transcript.",
                )
            )


def _check_attribution(study: Study, transcripts: dict, report: CheckReport) -> None:
    if not any(t.informants for t in transcripts.values()):
        return
    known = {"informant", "speaker", "transcript", "form"}
    for t in transcripts.values():
        for inf in t.informants.values():
            known.update(inf.attributes)
    for name in attribution_fields(study.config.attribution):
        if name not in known:
            report.problems.append(
                Problem(
                    "warning",
                    "attribution",
                    f"The attribution template uses `{{{name}}}`, which no informant has.",
                    study.root / "qualcode.yaml",
                    hint="Known attributes: " + ", ".join(sorted(known)) + ".",
                )
            )


def _transcripts_with_errors(transcripts: dict[str, Transcript], report: CheckReport) -> set[str]:
    """Ids of transcripts whose file has an error (their text may not be what it seems)."""
    paths = {t.path: tid for tid, t in transcripts.items()}
    return {paths[p.path] for p in report.errors if p.path in paths}


def _stray_codings_file(study: Study, path: Path) -> Problem:
    """A `*.db` in codings/ whose name is no coder's name, such as a sync service's copy."""
    original = re.sub(r"\s*\(\d+\)$|[ _-]*conflict.*$|\s+copy.*$", "", path.stem, flags=re.IGNORECASE)
    twin = study.codings_dir / f"{original}.db" if original and original != path.stem else None
    if twin is not None and twin.exists():
        hint = (
            f"It is probably a copy that a sync service (Dropbox, OneDrive) made when "
            f"{twin.name} was changed on two computers at once. Compare the two (open each "
            f"under its own coder name), keep the codings you want in {twin.name}, then remove "
            "the copy or rename it to a coder name."
        )
    else:
        hint = (
            "It may be a copy made by a sync service (Dropbox, OneDrive). Rename it to a coder "
            "name (letters, digits, `.`, `-` or `_`, no spaces or brackets) or remove it."
        )
    return Problem(
        "error",
        "codings-file-name",
        f"The file name `{path.name}` is not a coder name, so its codings are not read.",
        path,
        hint=hint,
    )


@dataclass
class _CoderContext:
    """What checking each coder's codings needs to know about the study."""

    study: Study
    transcripts: dict[str, Transcript]
    unreadable: set[str]
    """Transcripts whose file could not be read."""
    broken: set[str]
    """Transcripts with errors: their codings are neither checked nor moved."""
    fix: bool


def _check_coder(context: _CoderContext, coder: str, report: CheckReport) -> CoderSummary:
    study = context.study
    summary = CoderSummary(coder)
    path = study.coder_path(coder)
    if path.is_file() and path.stat().st_size == 0:
        summary.refused = "an empty file"
        report.problems.append(
            Problem(
                "warning",
                "empty-codings-file",
                "The codings file is empty (0 bytes): it holds no codings.",
                path,
                hint="Remove it if nobody has coded under this name, or restore it from a "
                "backup if it should hold codings.",
            )
        )
        return summary
    try:
        store = study.store(coder, read_only=True)
    except QualcodeError as exc:
        summary.refused = _refusal(exc)
        report.problems.append(Problem.from_error(exc, kind="codings-file"))
        return summary
    with store:
        codings = store.codings()
    summary.codings = len(codings)
    by_transcript: dict[str, list[Coding]] = {}
    for coding in codings:
        by_transcript.setdefault(coding.transcript, []).append(coding)
    summary.transcripts = len(by_transcript)
    _check_codes(study, coder, path, codings, report)
    moves = []
    for tid, items in by_transcript.items():
        moves += _check_anchors(context, coder, path, tid, items, summary, report)
    if context.fix and moves:
        with study.store(coder) as writable:
            writable.update_anchors(moves)
        summary.fixed = len(moves)
    return summary


def _refusal(error: QualcodeError) -> str:
    """A few words for the summary on why a coder's file was not read."""
    if "newer version" in error.message:
        return "written by a newer qualcode"
    if "damaged" in error.message or "not a qualcode" in error.message:
        return "not a codings file, or damaged"
    return "could not be read"


def _check_codes(
    study: Study, coder: str, path: Path, codings: list[Coding], report: CheckReport
) -> None:
    unknown_codes: dict[str, int] = {}
    for coding in codings:
        if coding.code not in study.codebook:
            unknown_codes[coding.code] = unknown_codes.get(coding.code, 0) + 1
    for code, count in unknown_codes.items():
        guess = study.codebook.did_you_mean(code)
        report.problems.append(
            Problem(
                "error",
                "unknown-code",
                f"{coder}: {plural(count, 'coding')} {plural_form(count, 'uses', 'use')} the "
                f"code id `{code}`, which no codebook has.",
                path,
                hint=(f"{guess} " if guess else "") + f"Put `{code}` back in a codebook (ids must never change once "
                f"used), or recode {plural_form(count, 'this coding', 'these codings')} in "
                "qualcode.",
            )
        )


def _check_anchors(
    context: _CoderContext,
    coder: str,
    path: Path,
    tid: str,
    items: list[Coding],
    summary: CoderSummary,
    report: CheckReport,
) -> list[tuple[Coding, int, int, str, str]]:
    """Problems with the codings of one transcript; the moves `--fix` may store."""
    from qualcode.store.anchoring import anchor_all

    transcript = context.transcripts.get(tid)
    if transcript is None or tid in context.broken:
        report.problems.append(_unchecked_codings(context, coder, path, tid, len(items)))
        return []
    moves = []
    for a in anchor_all(items, transcript):
        if a.status == "ok":
            _check_labels(context, coder, a.coding, transcript, moves, report)
            continue
        line = transcript.line_of(min(a.start, len(transcript.text)))
        quote = " ".join(a.coding.quote.split())[:60]
        if a.status == "lost":
            summary.lost += 1
            report.problems.append(
                Problem(
                    "error",
                    "lost-anchor",
                    f"{coder}: the {a.coding.code} coding of «{quote}» cannot be found "
                    "in the edited transcript.",
                    transcript.path,
                    line,
                    hint="The coding is kept. Restore the passage, or recode it in "
                    "qualcode and remove the old coding.",
                )
            )
            continue
        summary.moved += 1
        moves.append((a.coding, a.start, a.end, transcript.text[a.start : a.end], transcript.hash))
        if context.fix:
            continue
        report.problems.append(
            Problem(
                "warning",
                "moved-anchor",
                f"{coder}: the {a.coding.code} coding of «{quote}» moved "
                f"({a.coding.start}→{a.start}"
                + (f", {a.score:.0f}% similar" if a.status == "fuzzy" else "")
                + ").",
                transcript.path,
                line,
                hint="Run `qualcode check --fix` to store the new positions.",
            )
        )
    return moves


def _check_labels(
    context: _CoderContext,
    coder: str,
    coding: Coding,
    transcript: Transcript,
    moves: list[tuple[Coding, int, int, str, str]],
    report: CheckReport,
) -> None:
    """A coding that takes in the next speaker's label (`…\n\nI:`), as could be made before
    the workbench left labels out: `--fix` trims it to the words."""
    start, end = transcript.speech_span(coding.start, coding.end)
    if start >= end or transcript.text[start:end] == coding.quote.strip():
        return  # no label at its edges (space around a passage is no problem)
    moves.append((coding, start, end, transcript.text[start:end], transcript.hash))
    if context.fix:
        return
    quote = " ".join(coding.quote.split())
    report.problems.append(
        Problem(
            "warning",
            "label-in-coding",
            f"{coder}: the {coding.code} coding of «…{quote[-40:]}» takes in a speaker label "
            "at its edge.",
            transcript.path,
            transcript.line_of(coding.start),
            hint="Run `qualcode check --fix` to trim it to the words said.",
        )
    )


def _unchecked_codings(
    context: _CoderContext, coder: str, path: Path, tid: str, count: int
) -> Problem:
    """Codings on a transcript that is missing, unreadable or has errors: kept, not checked."""
    codings = plural(count, "coding")
    kept = plural_form(count, "the coding is", "the codings are")
    if tid in context.unreadable or tid in context.broken:
        where = context.study.transcript_paths().get(tid)
        return Problem(
            "warning",
            "unchecked-codings",
            f"{coder}: {codings} on transcript `{tid}` {plural_form(count, 'was', 'were')} "
            "not checked, because the transcript has errors (see above).",
            path,
            hint=f"Fix {where.name if where else 'the transcript'} and run `qualcode check` "
            f"again; {kept} kept as {plural_form(count, 'it is', 'they are')}.",
        )
    return Problem(
        "error",
        "unknown-transcript",
        f"{coder}: {codings} {plural_form(count, 'refers', 'refer')} to transcript `{tid}`, "
        "which is not in transcripts/.",
        path,
        hint="Put the transcript back (same file name), or "
        f"{plural_form(count, 'the coding stays', 'the codings stay')} unused.",
    )
