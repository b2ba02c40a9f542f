"""Writing an import plan as a new study folder, all or nothing.

The study is built in a hidden folder beside the target (`.<name>.<random>.importing`) and
renamed into place only when every file is written and every coding is stored; on any error the
hidden folder is removed and the target is left as it was.
"""

from __future__ import annotations

import io
import secrets
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ruamel.yaml import YAML

from qualcode.errors import ImportFileError, StudyError
from qualcode.exchange.codebook_yaml import render_codebook
from qualcode.exchange.ids import slug
from qualcode.exchange.import_plan import Plan, PlannedTranscript
from qualcode.study.create import init_study
from qualcode.study.files import write_atomic
from qualcode.study.importing import REPORTS_DIR
from qualcode.study.study import CODEBOOKS_DIR, TRANSCRIPTS_DIR, Study
from qualcode.study.transcript import read_transcript_source
from qualcode.wording import plural


@dataclass
class ImportReport:
    """What an import brought into the new study, and what it left out."""

    file: Path
    target: Path
    origin: str
    transcripts: int = 0
    codes: int = 0
    coders: dict[str, int] = field(default_factory=dict)
    """Coder -> codings stored."""
    memos: int = 0
    informants: int = 0
    reading: str = ""
    skipped: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)

    @property
    def codings(self) -> int:
        return sum(self.coders.values())

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.update(file=str(self.file), target=str(self.target), codings=self.codings)
        return data

    def to_markdown(self) -> str:
        lines = [
            f"# Imported from {self.file.name}",
            "",
            f"- made by: {self.origin or 'not stated'}",
            f"- imported: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M')} UTC",
            f"- {plural(self.transcripts, 'transcript')}",
            f"- {plural(self.codes, 'code')}",
            f"- {plural(self.informants, 'informant')} with attributes",
            f"- {plural(self.memos, 'memo')}",
            f"- positions: {self.reading}",
        ]
        lines += [f"- coder {c}: {plural(n, 'coding')}" for c, n in self.coders.items()]
        if self.remarks:
            lines += ["", "## Remarks", ""] + [f"- {r}" for r in self.remarks]
        lines += ["", "## Not imported", ""]
        lines += [f"- {s}" for s in self.skipped] or ["- nothing"]
        return "\n".join(lines) + "\n"


def check_target(target: Path) -> None:
    """The target must be a new or empty folder in an existing one."""
    if target.exists() and not target.is_dir():
        raise StudyError(
            "There is a file with that name, not a folder.",
            path=target,
            hint="Give the name of a new folder for the imported study.",
        )
    if target.is_dir() and any(target.iterdir()):
        raise StudyError(
            "The folder is not empty; the project is imported into a new study folder.",
            path=target,
            hint="Give the name of a new (or empty) folder.",
        )
    if not target.parent.is_dir():
        raise StudyError(
            "The folder above it does not exist.",
            path=target.parent,
            hint="Create that folder first, or give a path inside an existing one.",
        )


def write_study(plan: Plan, target: Path, file: Path, origin: str) -> ImportReport:
    """Create the study folder `target` from `plan`; returns the report."""
    check_target(target)
    staging = _staging_folder(target)
    try:
        report = _fill(plan, staging, file, origin)
        report.target = target
        write_atomic(staging / REPORTS_DIR / f"{slug(file.stem, keep='_') or 'project'}.md",
                     report.to_markdown())
        if target.exists():
            target.rmdir()  # empty, checked above
        staging.rename(target)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise StudyError(
                f"The new study could not be written ({exc.strerror or exc}).",
                path=target,
                hint="Check that the disk has room and that you may write in that folder. "
                "Nothing was written.",
            ) from None
        raise
    return report


def _staging_folder(target: Path) -> Path:
    """A new hidden folder beside `target`, with the permissions a new folder gets (unlike
    `tempfile.mkdtemp`, which makes it private to the user)."""
    while True:
        staging = target.parent / f".{target.name}.{secrets.token_hex(4)}.importing"
        try:
            staging.mkdir()
        except FileExistsError:
            continue
        except OSError as exc:
            raise StudyError(
                f"The new study could not be created ({exc.strerror or exc}).",
                path=target.parent,
                hint="Check that you may write in that folder. Nothing was written.",
            ) from None
        return staging


def _fill(plan: Plan, root: Path, file: Path, origin: str) -> ImportReport:
    roles = any(
        "role" in attrs
        for item in plan.transcripts
        for attrs in dict(item.front.get("informants") or {}).values()
    )
    init_study(root, name=plan.name, language=plan.language, codebooks=[],
               attribution="({role} {informant})" if roles else "({informant}, {transcript})")
    report = ImportReport(file, root, origin, reading=plan.reading.evidence,
                          skipped=plan.skipped, remarks=plan.remarks)
    if plan.codes:
        book = slug(plan.name, keep="_") or "codebook"
        text = render_codebook(
            book, plan.name, f"Imported from {file.name}.", plan.codes,
            f"Imported from {file.name} ({origin or 'origin not stated'}).\n"
            "Ids were made from the code names; keep them stable once coding has started.",
        )
        write_atomic(root / CODEBOOKS_DIR / f"{book}.yaml", text)
        report.codes = plan.code_count
    else:
        report.remarks.append(
            "The project has no codes: put a codebook in codebooks/ before coding."
        )
    for item in plan.transcripts:
        _write_transcript(root, item)
        report.informants += item.informants
    report.transcripts = len(plan.transcripts)
    if plan.codings or plan.memos:
        study = Study.open(root)
        for coder in dict.fromkeys([*plan.codings, *plan.memos]):
            report.coders[coder], memos = _store(study, coder, plan, file)
            report.memos += memos
    return report


def _write_transcript(root: Path, item: PlannedTranscript) -> None:
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.allow_unicode = True
    front = io.StringIO()
    yaml.dump(item.front, front)
    path = root / TRANSCRIPTS_DIR / f"{item.id}.md"
    write_atomic(path, f"---\n{front.getvalue()}---\n\n{item.source.text.body}")
    if read_transcript_source(path).text != item.source.text.text:
        raise ImportFileError(
            f"The text of `{item.source.name}` did not come out as expected in {path.name}.",
            path=path,
            hint="Please report this with the project file; nothing was imported.",
        )


def _store(study: Study, coder: str, plan: Plan, file: Path) -> tuple[int, int]:
    """Store one coder's codings and memos; returns (codings, memos)."""
    written = 0
    with study.store(coder, create=True) as store:
        for tid, items in plan.codings.get(coder, {}).items():
            transcript = study.transcript(tid)
            spans = [(c.start, c.end, c.code) for c in items]
            made = store.add_codings(transcript, spans, f"Import {tid} from {file.name}")
            texts: dict[str, list[str]] = {}
            for planned, coding in zip(items, made, strict=True):
                if planned.memo and planned.memo not in texts.setdefault(coding.id, []):
                    texts[coding.id].append(planned.memo)
            for coding_id, memo in texts.items():
                if memo:
                    store.set_memo("coding", coding_id, "\n\n".join(memo))
                    written += 1
        for (kind, target), text in plan.memos.get(coder, {}).items():
            store.set_memo(kind, target, text)
            written += 1
        return store.count(), written
