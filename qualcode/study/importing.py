"""`qualcode import`: bring transcript files into a study, cleaned, with a report of every change.

The user's own files are only read. Each imported transcript is written to `transcripts/<id>.md`
(text cleaned, front matter kept or started), and what cleaning changed is written to
`import-reports/<id>.md`. All files are prepared first; if any cannot be imported, nothing is
written.

Importing the same file again gives the same transcript: only the text after the front matter
is compared, so the attributes a researcher filled in are no obstacle. With `--replace`, a
transcript whose text differs gets the new text and keeps its front matter.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import ImportFileError, QualcodeError
from qualcode.study.cleaning import Change, clean_text, decode_bytes, format_report
from qualcode.study.files import write_atomic
from qualcode.study.speakers import SpeakerLabels
from qualcode.study.study import Study
from qualcode.study.transcript import (
    TRANSCRIPT_SUFFIXES,
    canonical_text,
    line_starts,
    read_transcript_source,
    split_front_matter,
)

REPORTS_DIR = "import-reports"
_MAX_STARTER_LABEL_WORDS = 3


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
    kept_front_matter: bool = False
    """The study's transcript had front matter, which is kept (`updated` only)."""

    @property
    def id(self) -> str:
        return self.target.stem


@dataclass
class _Source:
    """What one file to import says: its body, front matter and where the body starts."""

    body: str
    encoding: str
    front_text: str = ""
    language: str | None = None
    body_line: int = 1


def prepare_import(study: Study, source: Path) -> ImportedFile:
    """Read and clean one file without writing anything."""
    _check_importable(study, source)
    read = _read_source(source)
    result = clean_text(
        read.body,
        speaker_pattern=study.config.speaker_pattern,
        language=read.language or study.config.language,
    )
    text = result.text.strip("\n")
    warnings = _on_file_lines(result.warnings, read.body_line)
    if not text.strip():
        warnings.insert(0, _empty_file_warning())
    target = study.transcripts_dir / f"{source.stem}.md"
    item = ImportedFile(
        source=source,
        target=target,
        report_path=study.root / REPORTS_DIR / f"{source.stem}.md",
        encoding=read.encoding,
        changes=_on_file_lines(result.changes, read.body_line),
        warnings=warnings,
    )
    front_text = read.front_text or _starter_front_matter(source.stem, text, study)
    _compare_with_study(study, item, text, front_text)
    item.report = format_report(source, read.encoding, item.changes, item.warnings)
    return item


def _check_importable(study: Study, source: Path) -> None:
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


def _read_source(source: Path) -> _Source:
    """Decode a file to import and separate its front matter (if any) from its body."""
    if source.suffix.lower() == ".docx":
        from qualcode.study.docx_reader import read_docx

        return _Source(read_docx(source), "docx")
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"The file cannot be read: {exc.strerror}.", path=source) from None
    raw, encoding = decode_bytes(data, source)
    raw = raw.replace("\r\n", "\n")
    front, body, body_line, problems = split_front_matter(raw, source)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = errors[0]
        raise ImportFileError(
            first.message, path=source, line=first.line, column=first.column, hint=first.hint
        )
    if front is None:
        return _Source(body, encoding)
    language = front.get("language")
    return _Source(
        body,
        encoding,
        front_text=_front_matter_text(raw),
        language=str(language) if language in ("nb", "en") else None,
        body_line=body_line,
    )


def _front_matter_text(raw: str) -> str:
    """The lines between the opening and closing `---` of a file's front matter ('' if none)."""
    lines = raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        return ""
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return ""
    return unicodedata.normalize("NFC", "\n".join(lines[1:end])).rstrip()


def _on_file_lines(changes: list[Change], body_line: int) -> list[Change]:
    """Changes counted from the body's first line, renumbered as lines of the whole file."""
    if body_line == 1:
        return list(changes)
    return [dataclasses.replace(c, line=c.line + body_line - 1) for c in changes]


def _empty_file_warning() -> Change:
    return Change(
        "empty-file",
        1,
        "",
        "",
        "The file has no text, so the transcript is empty. Check that the right file was "
        "given (a Word file saved before the text was pasted in, or an export that failed), "
        "and import it again once it holds the transcript.",
    )


def _compare_with_study(study: Study, item: ImportedFile, text: str, front_text: str) -> None:
    """Set the status and the content to write, from the transcript the study may have."""
    item.content = f"---\n{front_text.rstrip()}\n---\n\n{text}\n"
    existing = _existing_file(study, item.id)
    if existing is None:
        return
    raw, existing_text = _study_copy(existing)
    same = existing_text == canonical_text(text)
    if existing != item.target:
        if same:
            item.target, item.status = existing, "unchanged"
            return
        raise ImportFileError(
            f"The study already has transcript `{existing.stem}`, as {existing}; importing "
            "this file would give a second file with that id.",
            path=item.source,
            hint=f"Rename {item.source.name} before importing it (a transcript's id is its "
            f"file name without extension), or move {existing.name} out of transcripts/ first "
            "if the new file should take its place.",
        )
    if same:
        item.status, item.content = "unchanged", raw
        return
    item.status = "updated"
    kept = _front_matter_text(raw)
    if kept:
        item.kept_front_matter = True
        item.content = f"---\n{kept}\n---\n\n{text}\n"


def _existing_file(study: Study, transcript_id: str) -> Path | None:
    """The study's file for a transcript id, whatever its extension or letter case."""
    folder = study.transcripts_dir
    if not folder.is_dir():
        return None
    wanted = transcript_id.casefold()
    for path in sorted(folder.iterdir()):
        hidden = path.name.startswith((".", "~$"))
        readable = path.suffix.lower() in TRANSCRIPT_SUFFIXES
        if readable and not hidden and path.stem.casefold() == wanted:
            return path
    return None


def _study_copy(path: Path) -> tuple[str, str | None]:
    """The study's file for a transcript: its whole text ('' for .docx) and its canonical
    text (None when it cannot be read)."""
    if path.suffix.lower() == ".docx":
        try:
            return "", read_transcript_source(path).text
        except QualcodeError:
            return "", None
    try:
        raw, _encoding = decode_bytes(path.read_bytes(), path)
    except (OSError, QualcodeError):
        return "", None
    raw = raw.removeprefix("\ufeff").replace("\r\n", "\n")
    _front, body, _line, _problems = split_front_matter(raw, path)
    return raw, canonical_text(body)


def _starter_front_matter(stem: str, text: str, study: Study) -> str:
    """Front matter for a file that had none: title, language and every informant heard.

    Every label an informant speaks under is listed, however often: a declared list decides
    which labels start a turn, so a speaker left out would have their words run into the turn
    before.
    """
    labels = _informant_labels(text, study)
    lines = [f'title: "{stem}"', f"language: {study.config.language}"]
    if labels:
        lines.append("informants:   # fill in each speaker's attributes")
        for label in labels:
            lines.append(f'  "{label}": {{role: "", region: ""}}')
    return "\n".join(lines)


def _informant_labels(text: str, study: Study) -> list[str]:
    """The speaker labels at the start of a line that are not the interviewer's, in order."""
    interviewer = set(study.config.interviewer_labels)
    labels_in_text = SpeakerLabels(study.config.speaker_pattern)
    found: dict[str, None] = {}
    for pos in line_starts(text):
        match = labels_in_text.at(text, pos)
        if match is not None and _is_informant_label(match.label, interviewer):
            found.setdefault(match.label, None)
    return list(found)


def _is_informant_label(label: str, interviewer: set[str]) -> bool:
    return len(label.split()) <= _MAX_STARTER_LABEL_WORDS and label not in interviewer


def import_files(
    study: Study, sources: list[Path], replace: bool = False
) -> list[ImportedFile]:
    """Import files into the study; all or nothing.

    Args:
        study: the study to bring the files into.
        sources: the user's files (never modified).
        replace: allow replacing a transcript that exists with different text (its front
            matter is kept; codings on it are re-anchored by `qualcode check --fix`).
    """
    items = [prepare_import(study, Path(source)) for source in sources]
    seen: dict[str, Path] = {}
    for item in items:
        key = item.id.casefold()
        if key in seen:
            raise ImportFileError(
                f"Two files would both become transcript `{item.id}`: {seen[key]} and "
                f"{item.source}.",
                path=item.source,
                hint="Rename one of them; a transcript's id is its file name without extension.",
            )
        seen[key] = item.source
        if item.status == "updated" and not replace:
            raise ImportFileError(
                f"The study already has a transcript `{item.id}`, {item.target}, with a "
                "different text.",
                path=item.source,
                hint="Import with `--replace` to put the new text in its place (its front "
                "matter is kept; codings are kept and re-anchored by `qualcode check --fix`), "
                "or rename the file.",
            )
    for item in items:
        if item.status != "unchanged":
            write_atomic(item.target, item.content)
        write_atomic(item.report_path, item.report)
    return items
