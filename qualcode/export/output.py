"""Writing an export file safely, and the one call that makes a quote sheet.

`export_quotes(study, options, out, progress)` checks the output path first (folder, extension,
one of the study's own files, a document open in Word or LibreOffice, a read-only file), then
selects the quotes and writes them to a temporary file beside `out`, which replaces `out` only
once it is complete. A failure at any point leaves no partial file behind.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import ExportError
from qualcode.export.quotes import Progress, QuoteOptions, QuoteSelection, select_quotes
from qualcode.study.config import CONFIG_NAME
from qualcode.study.files import replacing
from qualcode.study.importing import REPORTS_DIR
from qualcode.study.informants import TABLE_NAMES
from qualcode.study.study import CODEBOOKS_DIR, CODINGS_DIR, TRANSCRIPTS_DIR, Study

FORMATS = {".docx": "Word document", ".csv": "CSV table", ".xlsx": "Excel workbook"}
EXPORTS_DIR = "exports"
"""The folder in a study where the workbench puts exports unless told otherwise."""


@dataclass
class ExportResult:
    """What an export wrote."""

    path: Path
    format: str
    quotes: int
    codes: int
    informants: int
    coders: list[str]
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "format": self.format,
            "quotes": self.quotes,
            "codes": self.codes,
            "informants": self.informants,
            "coders": self.coders,
            "warnings": self.warnings,
            "seconds": round(self.seconds, 3),
        }


def lock_files(path: Path) -> list[Path]:
    """Files that Word, Excel or LibreOffice keep beside a document while it is open."""
    stem_length = len(path.stem)
    names = {f"~${path.name}", f".~lock.{path.name}#"}
    if stem_length == 7:
        names.add(f"~${path.name[1:]}")
    elif stem_length >= 8:
        names.add(f"~${path.name[2:]}")
    return [path.with_name(n) for n in sorted(names)]


def check_output(
    path: Path,
    formats: dict[str, str] | None = FORMATS,
    study: Study | None = None,
    option: str = "--out",
    example: str = "quotes.docx",
) -> str:
    """Raise ExportError unless `path` can be written; return its (lower-case) extension.

    `formats` are the extensions accepted (all when None), `study` the study whose own files
    must never be replaced, and `option` and `example` shape the advice (`--out quotes.docx`).
    """
    suffix = path.suffix.lower()
    if path.is_dir():
        raise ExportError(
            "That is a folder, not a file name.",
            path=path,
            hint=f"Give a file name inside it, e.g. `{option} {path / example}`.",
        )
    if study is not None:
        _refuse_study_file(study, path, option, example)
    if formats is not None and suffix not in formats:
        raise ExportError(
            f"The file name `{path.name}` should end in " + _either(list(formats)) + ".",
            path=path,
            hint="Name the output "
            + ", ".join(f"`{s}` ({name})" for s, name in formats.items())
            + f", e.g. `{option} {example}`.",
        )
    if not path.parent.is_dir():
        raise ExportError(
            "The folder to write the file in does not exist.",
            path=path.parent,
            hint="Create the folder first, or give a path inside an existing folder.",
        )
    for lock in lock_files(path):
        if lock.exists():
            raise ExportError(
                "The file is open in another program (its lock file is beside it).",
                path=path,
                hint=f"Close it there and try again, or write to another name. (If nothing has "
                f"it open, delete the leftover `{lock.name}`.)",
            )
    if path.is_file() and is_read_only(path):
        raise ExportError(
            "The file is read-only, so qualcode will not replace it.",
            path=path,
            hint=f"Write to another name, or make the file writable first (in its properties, "
            f"or `chmod u+w {path.name}`) if it may be replaced.",
        )
    return suffix


def _either(names: list[str]) -> str:
    quoted = [f"`{n}`" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def is_read_only(path: Path) -> bool:
    """True when the file may not be written, or is marked read-only for everyone.

    The permission bits are read as well as asked about, because an administrator account may
    write any file: a file its owner made read-only is still left alone.
    """
    mode = path.stat().st_mode
    return not os.access(path, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


STUDY_FOLDERS = {
    CODEBOOKS_DIR: "the codebooks",
    CODINGS_DIR: "the coders' codings",
    TRANSCRIPTS_DIR: "the transcripts",
    REPORTS_DIR: "the import reports",
    ".qualcode": "qualcode's own working files",
}


def study_file_kind(study: Study, path: Path) -> str | None:
    """What `path` is to the study, when it is one of the study's own files or folders."""
    target = path.resolve()
    tables = [study.root / name for name in TABLE_NAMES]
    if study.informant_table is not None:
        tables.append(study.informant_table)
    if _same(target, study.root / CONFIG_NAME):
        return "the study's settings (qualcode.yaml)"
    if any(_same(target, table) for table in tables):
        return "the study's informant table"
    try:
        inside = target.relative_to(study.root.resolve()).parts
    except ValueError:
        return None
    for folder, holds in STUDY_FOLDERS.items():
        if inside and inside[0].casefold() == folder.casefold():
            return f"in the study's `{folder}` folder, which holds {holds}"
    return None


def _same(target: Path, path: Path) -> bool:
    """The same file name, as a case-insensitive disk (Windows, macOS) would see it."""
    return str(target).casefold() == str(path.resolve()).casefold()


def _refuse_study_file(study: Study, path: Path, option: str, example: str) -> None:
    kind = study_file_kind(study, path)
    if kind is None:
        return
    exports = study.root / EXPORTS_DIR
    elsewhere = exports / example if exports.is_dir() else study.root.parent / example
    raise ExportError(
        f"That file is {kind}: qualcode will not write an export over it.",
        path=path,
        hint=f"Give a name outside the study's own files and folders, e.g. `{option} {elsewhere}`.",
    )


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` that replaces `path` when the block succeeds.

    Problems with the folder or the file become an `ExportError` that says what to do.
    """
    started = False
    try:
        with replacing(path) as tmp:
            started = True
            yield tmp
    except OSError as exc:
        if not started:  # not even a temporary file could be made there
            raise ExportError(
                f"qualcode may not write in this folder ({exc.strerror}).",
                path=path.parent,
                hint="Choose a folder you can write to.",
            ) from None
        if isinstance(exc, PermissionError):
            raise ExportError(
                "The file cannot be replaced: it is open in another program, or read-only.",
                path=path,
                hint="Close it (e.g. in Word or Excel) and try again, or write to another name.",
            ) from None
        raise ExportError(f"The file could not be written ({exc.strerror}).", path=path) from None


def writer_for(suffix: str) -> Callable[[QuoteSelection, Path, Progress | None], None]:
    if suffix == ".docx":
        from qualcode.export.word import write_docx

        return write_docx
    from qualcode.export.tables import write_csv, write_xlsx

    return write_csv if suffix == ".csv" else write_xlsx


def export_quotes(
    study: Study,
    options: QuoteOptions,
    out: str | Path,
    progress: Progress | None = None,
) -> ExportResult:
    """Make a quote sheet: `.docx`, `.csv` or `.xlsx`, chosen by the name of `out`.

    `progress(stage, done, total)` is called now and then with stage `select` (reading
    codings) and `write` (writing quotes), so a dialog can show a progress bar. Raises
    ExportError for bad options or an output that cannot be written; `out` is then untouched.
    """
    began = time.perf_counter()
    out = Path(out)
    suffix = check_output(out, study=study)
    with atomic_output(out) as tmp:
        selection = select_quotes(study, options, progress)
        try:
            writer_for(suffix)(selection, tmp, progress)
        except PermissionError as exc:
            raise ExportError(
                f"The file could not be written ({exc.strerror}).",
                path=out,
                hint="Close it in other programs, or choose a folder you can write to.",
            ) from None
    return ExportResult(
        path=out,
        format=FORMATS[suffix],
        quotes=len(selection.quotes),
        codes=len({q.code for q in selection.quotes}),
        informants=selection.informant_count,
        coders=selection.coders,
        warnings=selection.warnings,
        seconds=time.perf_counter() - began,
    )
