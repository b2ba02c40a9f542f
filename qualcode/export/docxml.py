"""Fast paragraph building for long Word documents.

Adding paragraphs one by one through python-docx's object model slows down as the document
grows (each addition searches the body and the style list). A quote sheet has tens of thousands
of paragraphs, so its body is written as WordprocessingML text and parsed once per batch.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BREAKS = re.compile(r"(\n|\t)")

Run = tuple[str, str | None, bool, bool]
"""(text, character style id or None, bold, italic)."""


def clean(text: str) -> str:
    """Text Word can hold: control characters (invisible anyway) are removed."""
    return _NOT_XML.sub("", text)


def run(text: str, style: str | None = None, bold: bool = False, italic: bool = False) -> Run:
    return (text, style, bold, italic)


def run_xml(item: Run) -> str:
    text, style, bold, italic = item
    props = ""
    if style:
        props += f'<w:rStyle w:val="{style}"/>'
    if bold:
        props += "<w:b/>"
    if italic:
        props += "<w:i/>"
    parts = []
    for piece in _BREAKS.split(clean(text).replace("\r", "")):
        if piece == "\n":
            parts.append("<w:br/>")
        elif piece == "\t":
            parts.append("<w:tab/>")
        elif piece:
            parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "<w:r>" + (f"<w:rPr>{props}</w:rPr>" if props else "") + "".join(parts) + "</w:r>"


def paragraph_xml(style: str, *runs: Run) -> str:
    """One paragraph in the paragraph style with id `style`."""
    body = "".join(run_xml(r) for r in runs if r[0])
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{body}</w:p>'


class BodyWriter:
    """Collects paragraph XML and appends it to a document's body in batches."""

    def __init__(self, document, batch: int = 2000) -> None:
        self.body = document.element.body
        self.chunks: list[str] = []
        self.batch = batch

    def add(self, style: str, *runs: Run) -> None:
        self.chunks.append(paragraph_xml(style, *runs))
        if len(self.chunks) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Move what was collected into the document, before its final section settings."""
        if not self.chunks:
            return
        holder = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self.chunks)}</w:body>")
        self.chunks = []
        end = self.body.sectPr
        for child in list(holder):
            if end is not None:
                end.addprevious(child)
            else:
                self.body.append(child)
