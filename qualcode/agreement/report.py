"""An agreement report for the method chapter, as Markdown or as a Word document.

The report names the coders and the transcripts compared (and those left out, and why), gives
the figures per code and over all codes at each level with the number of units each rests on,
and ends with a paragraph on method (level, unit, statistic, how overlaps and missing data were
treated) that can be adapted for the chapter. Files are written atomically: a failed write
leaves no half-written report.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

from qualcode import __version__
from qualcode.agreement.compare import AgreementResult
from qualcode.agreement.levels import Figures, LevelResult
from qualcode.agreement.reading import CONVENTIONS, reading, thousands
from qualcode.errors import AgreementError
from qualcode.study.files import write_atomic

__all__ = ["figure_columns", "method_paragraphs", "report_docx", "report_markdown", "write_report"]

REPORT_FORMATS = (".md", ".docx")
LEVEL_TITLES = {
    "character": "Character level",
    "segment": "Segment level",
    "span": "Span level (unitizing alpha)",
    "group": "Mutually exclusive codes",
}


def number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f} %"


def _units_header(level: LevelResult) -> str:
    return {"character": "characters", "span": "stretches"}.get(level.level, f"{level.unit}s")


def figure_columns(level: LevelResult, coders: int) -> list[tuple[str, Callable[[Figures], str]]]:
    """Table columns for a level: (header, how to show one row's cell)."""
    kappa = "Cohen's κ" if coders == 2 else "Fleiss' κ"

    def stat(key: str, fmt: Callable[[float | None], str] = number) -> Callable[[Figures], str]:
        return lambda f: fmt(f.value(key))

    columns: list[tuple[str, Callable[[Figures], str]]] = [
        ("code", lambda f: f.label if f.code == "*" else f.code),
        (_units_header(level), lambda f: thousands(f.units)),
    ]
    if level.level == "span":
        columns.append(("uα", stat("ualpha")))
    else:
        columns += [
            ("% agreement", stat("percent", percent)),
            (kappa + (" (mean)" if level.level == "character" else ""), stat("kappa")),
            ("α", stat("alpha")),
        ]
    columns.append(("reading", lambda f: reading(level.main, f.value(level.main))))
    return columns


def _rows(level: LevelResult) -> list[Figures]:
    return [*level.ordered(), *([level.overall] if level.overall else [])]


def _names(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def method_paragraphs(result: AgreementResult) -> list[str]:
    """Sentences on method for the chapter, one paragraph per topic."""
    coders = result.coders
    who = "both" if len(coders) == 2 else f"all {len(coders)}"
    kappa = "Cohen's kappa" if len(coders) == 2 else "Fleiss' kappa"
    unit = result.unit
    text = [
        f"Agreement between {_names(coders)} was computed on the {len(result.transcripts)} "
        f"transcripts that {who} coders had coded ({thousands(result.characters)} characters; "
        f"{thousands(result.segments)} {unit}s). "
        + (
            f"{len(result.left_out)} transcript(s) coded by only some of the coders were left "
            "out: a transcript a coder has not coded is missing data, not text without codes. "
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
            "per code and transcript and pooled over transcripts as a mean weighted by "
            "transcript length; transcripts in which the coders agreed that a code was absent "
            "leave kappa undefined and were left out of that mean."
        )
    if "segment" in result.levels or "group" in result.levels:
        text.append(
            f"At the segment level, the units were the {thousands(result.segments)} {unit}s of these "
            f"transcripts. A {unit} counted as coded with a code when a coder's coding of that "
            "code covered at least one of its characters. Agreement on the presence of each code "
            f"was measured with {kappa} and Krippendorff's alpha (nominal)."
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
    summary = []
    for name, key in (("character", "kappa"), ("segment", "alpha"), ("span", "ualpha")):
        level = result.levels.get(name)
        if level is not None and level.overall is not None:
            symbol = {"kappa": "κ", "alpha": "α", "ualpha": "uα"}[key]
            summary.append(f"{symbol} = {number(level.overall.value(key))} ({name} level)")
    if summary:
        text.append("Over all codes: " + "; ".join(summary) + ".")
    text.append(CONVENTIONS)
    return text


def _material_lines(result: AgreementResult) -> list[str]:
    lines = [f"Coders: {_names(result.coders)}."]
    lines.append(
        f"Transcripts compared ({len(result.transcripts)}): "
        + ", ".join(
            f"{t['id']} ({thousands(t['characters'])} characters, {t['segments']} {result.unit}s)"
            for t in result.transcripts
        )
        + "."
    )
    for tid, by in result.left_out.items():
        lines.append(f"Left out: {tid}, coded by {_names(by) if by else 'no compared coder'} only.")
    return lines


def report_markdown(result: AgreementResult) -> str:
    """The report as Markdown."""
    out = [f"# Inter-coder agreement: {result.study}", "", f"{date.today().isoformat()}", ""]
    out += ["## Coders and material", ""]
    out += [f"- {line}" for line in _material_lines(result)]
    out += [""]
    for name, level in result.levels.items():
        title = LEVEL_TITLES[name] + (f" ({level.unit}s)" if name in ("segment", "group") else "")
        out += [f"## {title}", ""]
        columns = figure_columns(level, len(result.coders))
        out.append("| " + " | ".join(h for h, _ in columns) + " |")
        last = len(columns) - 1
        out.append("|" + "|".join("---" if i in (0, last) else "---:" for i in range(last + 1)) + "|")
        for f in _rows(level):
            cells = [cell(f).replace("|", "\\|") for _, cell in columns]
            if f.code == "*":
                cells = [f"**{c}**" for c in cells]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
        out += [f"- {n}" for n in level.notes]
        out.append("")
    if result.notes:
        out += ["## Notes", ""] + [f"- {n}" for n in result.notes] + [""]
    out += ["## Method", ""]
    for paragraph in method_paragraphs(result):
        out += [paragraph, ""]
    out.append(f"Computed with qualcode {__version__}.")
    return "\n".join(out) + "\n"


def report_docx(result: AgreementResult) -> bytes:
    """The report as a Word document (real heading and table styles)."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.add_heading(f"Inter-coder agreement: {result.study}", level=0)
    doc.add_paragraph(date.today().isoformat())
    doc.add_heading("Coders and material", level=1)
    for line in _material_lines(result):
        doc.add_paragraph(line, style="List Bullet")
    for name, level in result.levels.items():
        title = LEVEL_TITLES[name] + (f" ({level.unit}s)" if name in ("segment", "group") else "")
        doc.add_heading(title, level=1)
        columns = figure_columns(level, len(result.coders))
        rows = _rows(level)
        table = doc.add_table(rows=1 + len(rows), cols=len(columns))
        table.style = "Table Grid"
        for j, (header, _) in enumerate(columns):
            run = table.rows[0].cells[j].paragraphs[0].add_run(header)
            run.bold = True
        for i, f in enumerate(rows, start=1):
            for j, (_, cell) in enumerate(columns):
                run = table.rows[i].cells[j].paragraphs[0].add_run(cell(f))
                run.bold = f.code == "*"
                run.font.size = Pt(9)
        for note in level.notes:
            doc.add_paragraph(note)
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


def write_report(result: AgreementResult, path: str | Path) -> Path:
    """Write the report to `path` (.md or .docx), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in REPORT_FORMATS:
        raise AgreementError(
            f"A report can be written as .md or .docx, not `{path.suffix or path.name}`.",
            path=path,
            hint="Give a file name ending in .docx (Word) or .md (Markdown).",
        )
    if not path.parent.exists():
        raise AgreementError(
            "The folder for the report does not exist.",
            path=path.parent,
            hint="Create the folder first, or give a path inside an existing one.",
        )
    data: str | bytes = report_docx(result) if suffix == ".docx" else report_markdown(result)
    try:
        write_atomic(path, data)
    except PermissionError:
        raise AgreementError(
            "The report cannot be written here (no permission, or the file is open in Word).",
            path=path,
            hint="Close the document or choose another file name.",
        ) from None
    return path
