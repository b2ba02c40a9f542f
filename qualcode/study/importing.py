"""`qualcode import`: bring transcript files into a study, cleaned, with a report of every change.

The user's own files are only read. Each imported transcript is written to `transcripts/<id>.md`
(text cleaned, front matter kept or started), and what cleaning changed is written to
`import-reports/<id>.md`. All files are prepared first; if any cannot be imported, nothing is
written. Importing the same file again gives the same transcript and reports it unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import ImportFileError
from qualcode.study.cleaning import Change, clean_text, decode_bytes, format_report
from qualcode.study.files import write_atomic
from qualcode.study.study import Study
from qualcode.study.transcript import TRANSCRIPT_SUFFIXES, split_front_matter

REPORTS_DIR = "import-reports"
_LABEL_LINE = re.compile(r"^([A-ZÆØÅ][\wÆØÅæøå.\-]{0,20}(?: [\wÆØÅæøå.\-]{1,20}){0,2}):[ \t]", re.MULTILINE)


@dataclass
class ImportedFile:
    """One file brought in (or about to be)."""

    source: Path
    target: Path
    report_path: Path
    encoding: str
    changes: list[Change] = field(default_factory=list)
    warnings: list[Change] = field(default_factory=list)
    """Things worth a look that cleaning did not change (e.g. footnote numbers glued to words)."""
    status: str = "new"
    """`new`, `updated` (replaced a different transcript) or `unchanged`."""
    content: str = ""
    report: str = ""

    @property
    def id(self) -> str:
        return self.target.stem


def prepare_import(study: Study, source: Path) -> ImportedFile:
    """Read and clean one file without writing anything."""
    if not source.exists():
        raise ImportFileError(
            "The file does not exist.", path=source, hint="Check the file name and folder."
        )
    if source.is_dir():
        raise ImportFileError(
            "This is a folder, not a file.",
            path=source,
            hint=f"Give the files, e.g. `qualcode import {study.root} {source}/*.docx`.",
        )
    suffix = source.suffix.lower()
    if suffix not in TRANSCRIPT_SUFFIXES:
        raise ImportFileError(
            f"qualcode cannot read `{suffix or 'files without extension'}` transcripts.",
            path=source,
            hint="Save the transcript as .docx, .txt or .md and import that.",
        )
    front_text = ""
    if suffix == ".docx":
        from qualcode.study.docx_reader import read_docx

        body, encoding = read_docx(source), "docx"
    else:
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise ImportFileError(
                f"The file cannot be read: {exc.strerror}.", path=source
            ) from None
        raw, encoding = decode_bytes(data, source)
        front, body, _line, problems = split_front_matter(raw.replace("\r\n", "\n"), source)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            first = errors[0]
            raise ImportFileError(
                first.message, path=source, line=first.line, column=first.column, hint=first.hint
            )
        if front is not None:
            lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
            front_text = unicodedata.normalize("NFC", "\n".join(lines[1:end]))
    result = clean_text(body, speaker_pattern=study.config.speaker_pattern)
    text = result.text.strip("\n")
    if not front_text:
        front_text = _starter_front_matter(source.stem, text, study)
    content = f"---\n{front_text.rstrip()}\n---\n\n{text}\n"
    target = study.transcripts_dir / f"{source.stem}.md"
    item = ImportedFile(
        source=source,
        target=target,
        report_path=study.root / REPORTS_DIR / f"{source.stem}.md",
        encoding=encoding,
        changes=list(result.changes),
        warnings=list(result.warnings),
        content=content,
    )
    if target.exists():
        item.status = "unchanged" if target.read_text(encoding="utf-8") == content else "updated"
    item.report = format_report(source, encoding, item.changes, item.warnings)
    return item


def _starter_front_matter(stem: str, text: str, study: Study) -> str:
    """Front matter for a file that had none: title, language and the speakers found."""
    interviewer = set(study.config.interviewer_labels)
    counts: dict[str, int] = {}
    for match in _LABEL_LINE.finditer(text):
        label = match.group(1)
        if label not in interviewer:
            counts[label] = counts.get(label, 0) + 1
    labels = [label for label, n in counts.items() if n >= 2 or len(counts) == 1]
    lines = [f'title: "{stem}"', f"language: {study.config.language}"]
    if labels:
        lines.append("informants:   # fill in each speaker's attributes")
        for label in labels:
            lines.append(f'  "{label}": {{role: "", region: ""}}')
    return "\n".join(lines)


def import_files(
    study: Study, sources: list[Path], replace: bool = False
) -> list[ImportedFile]:
    """Import files into the study; all or nothing.

    Args:
        study: the study to bring the files into.
        sources: the user's files (never modified).
        replace: allow replacing a transcript that exists with different text (codings on it
            are re-anchored by `qualcode check --fix`).
    """
    items = [prepare_import(study, Path(source)) for source in sources]
    seen: dict[str, Path] = {}
    for item in items:
        if item.id in seen:
            raise ImportFileError(
                f"Two files would both become transcript `{item.id}`: {seen[item.id]} and "
                f"{item.source}.",
                path=item.source,
                hint="Rename one of them; a transcript's id is its file name without extension.",
            )
        seen[item.id] = item.source
        if item.status == "updated" and not replace:
            raise ImportFileError(
                f"The study already has a different transcript `{item.id}`.",
                path=item.target,
                hint="Import with `--replace` to put the new text in its place (codings are "
                "kept and re-anchored by `qualcode check --fix`), or rename the file.",
            )
    for item in items:
        if item.status != "unchanged":
            write_atomic(item.target, item.content)
        write_atomic(item.report_path, item.report)
    return items
