"""An agreement report for the method chapter, as Markdown or as a Word document.

The report names the coders and the transcripts compared (and those left out, and why), gives
the figures per code and over all codes at each level with the number of units each rests on
(every coefficient, with a legend for the short headers, and why a figure is undefined where it
is), optionally the character-level figures per transcript, and ends with a paragraph on method
(level, unit, statistic, how overlaps and missing data were treated) that can be adapted for the
chapter. `check_report_path` lets a command refuse a bad file name before anything is written;
files are written atomically, so a failed write leaves no half-written report.
"""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

from qualcode import __version__
from qualcode.agreement.columns import (
    Column,
    figure_columns,
    legend,
    level_rows,
    number,
    transcript_columns,
    undefined_notes,
)
from qualcode.agreement.compare import AgreementResult
from qualcode.agreement.levels import ALL, Figures, LevelResult, kappa_name
from qualcode.agreement.reading import CONVENTIONS, thousands
from qualcode.errors import AgreementError
from qualcode.study.files import write_atomic
from qualcode.wording import joined, plural

__all__ = [
    "LEVEL_TITLES",
    "check_report_path",
    "level_title",
    "method_paragraphs",
    "report_docx",
    "report_markdown",
    "write_report",
]

REPORT_FORMATS = (".md", ".docx")
LEVEL_TITLES = {
    "character": "Character level",
    "segment": "Segment level",
    "span": "Span level (unitizing alpha)",
    "group": "Mutually exclusive codes",
}


def level_title(name: str, level: LevelResult) -> str:
    return LEVEL_TITLES[name] + (f" ({level.unit}s)" if name in ("segment", "group") else "")


def level_table(level: LevelResult, coders: int) -> tuple[list[Column], list[Figures], list[str]]:
    """A level's columns (all of them), its rows, and the lines to print under the table."""
    columns = figure_columns(level, coders)
    below = [f"Columns: {legend(columns)}.", *undefined_notes(level, columns), *level.notes]
    return columns, level_rows(level), below


def transcript_rows(level: LevelResult) -> list[tuple[str, list]]:
    """The character-level figures per transcript, grouped by code (lowest agreement first)."""
    return [(f.code, f.transcripts) for f in level.ordered() if f.transcripts]


def method_paragraphs(result: AgreementResult) -> list[str]:
    """Sentences on method for the chapter, one paragraph per topic."""
    coders = result.coders
    who = "both" if len(coders) == 2 else f"all {len(coders)}"
    kappa = kappa_name(len(coders))
    unit = result.unit
    text = [
        f"Agreement between {joined(coders)} was computed on the {len(result.transcripts)} "
        f"transcripts that {who} coders had coded ({thousands(result.characters)} characters; "
        f"{thousands(result.segments)} {unit}s). "
        + (
            f"{plural(len(result.left_out), 'transcript')} coded by only some of the coders "
            f"{'was' if len(result.left_out) == 1 else 'were'} left out ("
            + ", ".join(result.left_out)
            + "): a transcript a coder has not coded is missing data, not text without codes. "
            if result.left_out
            else ""
        )
        + "Before counting, each coder's overlapping codings of the same code were merged, so "
        "that no passage counted twice."
        + (
            f" Codes below level {result.depth} of the codebook were counted as their ancestor "
            "at that level."
            if result.depth
            else ""
        )
    ]
    if "character" in result.levels:
        text.append(
            "At the character level, every character of a transcript counted as coded or not "
            f"coded with each code by each coder. Percent agreement and {kappa} were computed "
            "per code and transcript, and kappa was averaged over the transcripts in which it is "
            "defined, weighted by transcript length. Where neither coder used a code in a "
            "transcript, kappa is 0/0 (undefined) there and that transcript was left out of the "
            "code's mean; the tables give the characters and transcripts each mean rests on "
            "(κ base). NVivo reports kappa 1 for such a transcript instead. Scott's pi, "
            "Krippendorff's alpha, Gwet's AC1 and Brennan and Prediger's coefficient pool all "
            "characters of the compared transcripts."
        )
    if "segment" in result.levels or "group" in result.levels:
        text.append(
            f"At the segment level, the units were the {thousands(result.segments)} {unit}s of these "
            f"transcripts. A {unit} counted as coded with a code when a coder's coding of that "
            "code covered at least one of its characters. Agreement on the presence of each code "
            f"was measured with {kappa} and Krippendorff's alpha (nominal), with percent "
            "agreement, "
            + ("Scott's pi, " if len(coders) == 2 else "")
            + "Gwet's AC1 and Brennan and Prediger's coefficient alongside."
        )
    if "group" in result.levels:
        for f in result.levels["group"].codes:
            text.append(
                f"For the codes below {f.code}, which exclude each other, the code each {unit} "
                "received was treated as one nominal variable (with 'none' for a "
                f"{unit} that received none of them)."
            )
    if "span" in result.levels:
        text.append(
            "At the span level, Krippendorff's unitizing alpha (uα) compared where the coders "
            "placed each code, with the transcripts laid end to end as one continuum. It weighs "
            "each disagreement by how far the coders' boundaries lie apart, so coders who mark "
            "the same stretch of text with slightly different boundaries lose little."
        )
    summary = [
        _overall_figure(name, result.levels[name], key, unit)
        for name, key in (("character", "kappa"), ("segment", "alpha"), ("span", "ualpha"))
        if name in result.levels and result.levels[name].overall is not None
    ]
    if summary:
        text.append("Over all codes: " + "; ".join(summary) + ".")
    text.append(CONVENTIONS)
    return text


def _overall_figure(name: str, level: LevelResult, key: str, unit: str) -> str:
    """`α = 0.712 (segment level, 7 476 code × paragraph units)`: a figure with its base."""
    f = level.overall
    symbol = {"kappa": "κ", "alpha": "α", "ualpha": "uα"}[key]
    if name == "character" and f.kappa_base is not None:
        base = (
            f"mean over {f.kappa_base.defined} of "
            f"{plural(f.kappa_base.compared, 'code × transcript pair')}, "
            f"{thousands(f.kappa_base.characters)} characters"
        )
    elif name == "span":
        base = plural(f.units, "coded stretch", "coded stretches")
    else:
        base = f"{thousands(f.units)} code × {unit} units"
    return f"{symbol} = {number(f.value(key))} ({name} level; {base})"


def _material_lines(result: AgreementResult) -> list[str]:
    lines = [f"Coders: {joined(result.coders)}."]
    lines.append(
        f"Transcripts compared ({len(result.transcripts)}): "
        + ", ".join(
            f"{t['id']} ({thousands(t['characters'])} characters, {t['segments']} {result.unit}s)"
            for t in result.transcripts
        )
        + "."
    )
    for tid, by in result.left_out.items():
        lines.append(f"Left out: {tid}, coded by {joined(by) if by else 'no compared coder'} only.")
    return lines


def _markdown_table(headers: list[str], rows: list[list[str]], numbers: list[bool]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |"]
    out.append("|" + "|".join("---:" if n else "---" for n in numbers) + "|")
    for cells in rows:
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return out


def report_markdown(result: AgreementResult, per_transcript: bool = False) -> str:
    """The report as Markdown (with the figures per transcript when `per_transcript`)."""
    out = [f"# Inter-coder agreement: {result.study}", "", f"{date.today().isoformat()}", ""]
    out += ["## Coders and material", ""]
    out += [f"- {line}" for line in _material_lines(result)]
    out += [""]
    for name, level in result.levels.items():
        out += [f"## {level_title(name, level)}", ""]
        columns, rows, below = level_table(level, len(result.coders))
        cells = []
        for f in rows:
            row = [c.cell(f) for c in columns]
            cells.append([f"**{c}**" for c in row] if f.code == ALL else row)
        out += _markdown_table([c.header for c in columns], cells, [c.number for c in columns])
        out += [""] + [f"- {line}" for line in below] + [""]
        if per_transcript and name == "character":
            out += _markdown_per_transcript(result, level)
    if result.notes:
        out += ["## Notes", ""] + [f"- {n}" for n in result.notes] + [""]
    out += ["## Method", ""]
    for paragraph in method_paragraphs(result):
        out += [paragraph, ""]
    out.append(f"Computed with qualcode {__version__}.")
    return "\n".join(out) + "\n"


def _markdown_per_transcript(result: AgreementResult, level: LevelResult) -> list[str]:
    columns = transcript_columns(result.coders)
    out = ["## Character level per transcript", ""]
    cells = []
    for code, parts in transcript_rows(level):
        for i, part in enumerate(parts):
            cells.append([code if i == 0 else "", *(c.cell(part) for c in columns)])
    out += _markdown_table(
        ["code", *(c.header for c in columns)], cells, [False, *(c.number for c in columns)]
    )
    return [*out, "", f"- Columns: {legend(columns)}.", ""]


def _docx_table(doc, headers: list[str], rows: list[tuple[list[str], bool]]) -> None:
    from docx.shared import Pt

    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    for j, header in enumerate(headers):
        run = table.rows[0].cells[j].paragraphs[0].add_run(header)
        run.bold = True
        run.font.size = Pt(9)
    for i, (cells, bold) in enumerate(rows, start=1):
        for j, text in enumerate(cells):
            run = table.rows[i].cells[j].paragraphs[0].add_run(text)
            run.bold = bold
            run.font.size = Pt(9)


def report_docx(result: AgreementResult, per_transcript: bool = False) -> bytes:
    """The report as a Word document (real heading and table styles)."""
    from docx import Document

    doc = Document()
    doc.add_heading(f"Inter-coder agreement: {result.study}", level=0)
    doc.add_paragraph(date.today().isoformat())
    doc.add_heading("Coders and material", level=1)
    for line in _material_lines(result):
        doc.add_paragraph(line, style="List Bullet")
    for name, level in result.levels.items():
        doc.add_heading(level_title(name, level), level=1)
        columns, rows, below = level_table(level, len(result.coders))
        _docx_table(
            doc,
            [c.header for c in columns],
            [([c.cell(f) for c in columns], f.code == ALL) for f in rows],
        )
        for line in below:
            doc.add_paragraph(line)
        if per_transcript and name == "character":
            doc.add_heading("Character level per transcript", level=1)
            columns = transcript_columns(result.coders)
            table_rows = [
                ([code if i == 0 else "", *(c.cell(p) for c in columns)], False)
                for code, parts in transcript_rows(level)
                for i, p in enumerate(parts)
            ]
            _docx_table(doc, ["code", *(c.header for c in columns)], table_rows)
            doc.add_paragraph(f"Columns: {legend(columns)}.")
    if result.notes:
        doc.add_heading("Notes", level=1)
        for note in result.notes:
            doc.add_paragraph(note, style="List Bullet")
    doc.add_heading("Method", level=1)
    for paragraph in method_paragraphs(result):
        doc.add_paragraph(paragraph)
    doc.add_paragraph(f"Computed with qualcode {__version__}.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def check_report_path(path: str | Path) -> Path:
    """Refuse a report file name that cannot be written, before anything is computed or written."""
    path = Path(path)
    if path.suffix.lower() not in REPORT_FORMATS:
        raise AgreementError(
            f"A report can be written as .md or .docx, not `{path.suffix or path.name}`.",
            path=path,
            hint="Give a file name ending in .docx (Word) or .md (Markdown).",
        )
    check_output_folder(path, "report")
    return path


def check_output_folder(path: Path, what: str) -> None:
    """Refuse a file whose folder is missing, or that cannot be written there."""
    folder = path.parent
    if not folder.is_dir():
        raise AgreementError(
            f"The folder for the {what} does not exist.",
            path=folder,
            hint="Create the folder first, or give a path inside an existing one.",
        )
    if path.is_dir():
        raise AgreementError(
            f"`{path.name}` is a folder, so the {what} cannot be written there.",
            path=path,
            hint="Give a file name, such as agreement.docx, inside that folder.",
        )
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise AgreementError(
            f"The {what} cannot be written here: no permission.",
            path=path,
            hint="Choose a folder you can write to, or another file name.",
        )


def render_report(result: AgreementResult, path: Path, per_transcript: bool = False):
    """The report's content for `path`'s format (.docx: bytes, .md: text)."""
    if path.suffix.lower() == ".docx":
        return report_docx(result, per_transcript)
    return report_markdown(result, per_transcript)


def save(path: Path, data: str | bytes, what: str) -> None:
    """Write a file atomically; explain a refusal by the system in plain words."""
    try:
        write_atomic(path, data)
    except PermissionError:
        raise AgreementError(
            f"The {what} cannot be written here (no permission, or the file is open in another "
            "program such as Word or Excel).",
            path=path,
            hint="Close the file or choose another file name.",
        ) from None


def write_report(result: AgreementResult, path: str | Path, per_transcript: bool = False) -> Path:
    """Write the report to `path` (.md or .docx), atomically."""
    path = check_report_path(path)
    save(path, render_report(result, path, per_transcript), "report")
    return path
