"""`qualcode check`: everything that can be wrong with a study, found in one pass.

Settings, codebooks, transcripts, the informant table and every coder's codings (unknown code
ids, passages outside the text, codings whose transcript changed since they were made).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.study.config import attribution_fields
from qualcode.study.problems import Problem
from qualcode.study.study import Study


@dataclass
class CoderSummary:
    coder: str
    codings: int = 0
    transcripts: int = 0
    moved: int = 0
    lost: int = 0
    fixed: int = 0


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
    def clean(self) -> bool:
        return not self.problems

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
            "problems": [p.to_dict() for p in self.problems],
        }


def check_study(root: str | Path, fix: bool = False) -> CheckReport:
    """Check a study folder. With `fix`, codings whose passage moved are re-anchored."""
    root = Path(root)
    report = CheckReport(root=root)
    study, problems = Study.read(root)
    report.problems.extend(problems)
    if study is None:
        return report
    report.name = study.config.name
    report.codes = len(study.codebook)
    transcripts = {}
    for tid in study.transcript_ids:
        try:
            transcript = study.transcript(tid)
        except QualcodeError as exc:
            report.problems.append(Problem.from_error(exc, kind="transcript"))
            continue
        transcripts[tid] = transcript
        _check_transcript(transcript, report)
    if not study.transcript_paths():
        report.problems.append(
            Problem(
                "warning",
                "no-transcripts",
                "The study has no transcripts yet.",
                study.transcripts_dir,
                hint="Bring them in with `qualcode import STUDY FILE...`.",
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
    for coder in study.coders(include_consensus=True):
        report.coders.append(_check_coder(study, coder, transcripts, report, fix))
    return report


def _check_transcript(transcript, report: CheckReport) -> None:
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
    if not any(not t.is_interviewer for t in transcript.turns):
        report.problems.append(
            Problem(
                "warning",
                "no-informant-turns",
                "No informant turns were found: every turn belongs to the interviewer.",
                transcript.path,
                hint="Check the speaker labels and `interviewer_labels` in qualcode.yaml.",
            )
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
    known = {"informant", "speaker", "transcript"}
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


def _check_coder(
    study: Study, coder: str, transcripts: dict, report: CheckReport, fix: bool
) -> CoderSummary:
    from qualcode.store.anchoring import anchor_all

    summary = CoderSummary(coder)
    path = study.coder_path(coder)
    try:
        store = study.store(coder)
    except QualcodeError as exc:
        report.problems.append(Problem.from_error(exc, kind="codings-file"))
        return summary
    with store:
        codings = store.codings()
        summary.codings = len(codings)
        by_transcript: dict[str, list] = {}
        for coding in codings:
            by_transcript.setdefault(coding.transcript, []).append(coding)
        summary.transcripts = len(by_transcript)
        unknown_codes: dict[str, int] = {}
        for coding in codings:
            if coding.code not in study.codebook:
                unknown_codes[coding.code] = unknown_codes.get(coding.code, 0) + 1
        for code, count in unknown_codes.items():
            report.problems.append(
                Problem(
                    "error",
                    "unknown-code",
                    f"{coder}: {count} coding(s) use the code id `{code}`, which no codebook has.",
                    path,
                    hint=study.codebook.suggest_hint(code)
                    + " Put the id back in a codebook (ids must never change once used).",
                )
            )
        moves = []
        for tid, items in by_transcript.items():
            transcript = transcripts.get(tid)
            if transcript is None:
                report.problems.append(
                    Problem(
                        "error",
                        "unknown-transcript",
                        f"{coder}: {len(items)} coding(s) refer to transcript `{tid}`, "
                        "which is not in transcripts/.",
                        path,
                        hint="Put the transcript back (same file name), or the codings stay "
                        "unused.",
                    )
                )
                continue
            for a in anchor_all(items, transcript):
                if a.status == "ok":
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
                else:
                    summary.moved += 1
                    moves.append(
                        (a.coding, a.start, a.end, transcript.text[a.start : a.end], transcript.hash)
                    )
                    if fix:
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
        if fix and moves:
            store.update_anchors(moves)
            summary.fixed = len(moves)
    return summary
