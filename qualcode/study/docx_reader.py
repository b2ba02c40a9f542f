"""Reading the text of a Word document (.docx).

The body of the document is read in order: each paragraph becomes one paragraph of text, and each
table row becomes one paragraph whose cells are separated by tabs (a cell with several paragraphs
keeps them on separate lines). A table laid out as a dialogue, the speaker in one column and what
they said in the next (`I | Hvordan ...`), is read as turns: each row becomes `I: Hvordan ...`;
a table of facts (`Region | Agder`) stays a table. Paragraphs are separated by a blank line;
empty paragraphs are skipped. A line break inside a paragraph (Shift+Enter) stays a single line
break.

Text a reader of the document sees is kept: hyperlinks, fields, content controls, and text
inserted with tracked changes. Text deleted with tracked changes, page headers and footers,
footnotes, comments and text boxes are left out.

Every problem with the file (missing, an old .doc, password-protected, damaged, not a Word
document at all) becomes an `ImportFileError` that names the file and says what to do.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from os import PathLike
from pathlib import Path

from docx.oxml.ns import qn

from qualcode.errors import ImportFileError
from qualcode.study.config import DEFAULT_INTERVIEWER_LABELS
from qualcode.study.speakers import TIMESTAMP

__all__ = ["read_docx"]

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORD_97_STREAM = "WordDocument".encode("utf-16-le")
_SAVE_AS_DOCX = (
    "Open it in Word (or LibreOffice) and choose File > Save As > Word Document (.docx), then "
    "import the .docx file."
)

_LABEL_CELL = re.compile(r"^[^\W\d_][\w .\-]{0,39}$")
"""A cell that can be a speaker label: short, starting with a letter, no sentence punctuation."""
_TIME_CELL = re.compile(rf"^{TIMESTAMP}$")
_MIN_DIALOGUE_ROWS = 3
"""Rows a table needs to be read as a dialogue without an interviewer label in it."""
_MIN_WORDS_PER_TURN = 3
"""Words said in a turn on average, at least, in such a table (facts are a word or two)."""
_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_R, _SDT, _SDT_CONTENT = qn("w:r"), qn("w:sdt"), qn("w:sdtContent")
# Elements whose children are read as if they stood in their place.
_BLOCK_WRAPPERS = frozenset({_SDT, _SDT_CONTENT, qn("w:customXml")})
_INLINE_WRAPPERS = frozenset(
    {
        qn("w:hyperlink"),
        qn("w:ins"),
        qn("w:moveTo"),
        qn("w:smartTag"),
        qn("w:fldSimple"),
        qn("w:customXml"),
        qn("w:dir"),
        qn("w:bdo"),
        _SDT,
        _SDT_CONTENT,
    }
)


def read_docx(path: str | PathLike[str]) -> str:
    """The text of a .docx file: paragraphs and table rows in document order.

    Args:
        path: the .docx file.

    Returns:
        Plain text with paragraphs separated by blank lines ('' for a document without text).

    Raises:
        ImportFileError: the file is missing, unreadable, an old .doc, password-protected,
            damaged, or not a Word document.
    """
    path = Path(path)
    head = _read_head(path)
    if head.startswith(_OLE_SIGNATURE):
        raise _ole_error(path)
    if head.startswith(b"{\\rtf"):
        raise ImportFileError(
            "This is a Rich Text (RTF) file, not a Word document (.docx).",
            path=path,
            hint=_SAVE_AS_DOCX,
        )
    if not zipfile.is_zipfile(path):
        raise ImportFileError(
            "This is not a Word document (.docx), or the file is damaged.",
            path=path,
            hint="Check that the file opens in Word. If it does, save it again as Word "
            "Document (.docx) and import that file; if it does not, import a fresh copy.",
        )
    document = _open(path)
    blocks = [text for text in _blocks(document.element.body) if text.strip()]
    return "\n\n".join(blocks)


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(8)
    except FileNotFoundError:
        raise ImportFileError(
            "The file does not exist.",
            path=path,
            hint="Check the file name and folder, then import again.",
        ) from None
    except IsADirectoryError:
        raise ImportFileError(
            "This is a folder, not a Word document.",
            path=path,
            hint="Give the path of a .docx file.",
        ) from None
    except OSError as exc:
        raise ImportFileError(
            f"The file cannot be read: {exc.strerror or exc}.",
            path=path,
            hint="Check that you may read it and that it is not open with a lock in another "
            "program, then import again.",
        ) from None


def _ole_error(path: Path) -> ImportFileError:
    """Word files that are not zip archives: encrypted .docx or the old .doc format."""
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    old_word = _WORD_97_STREAM in data and _ENCRYPTED_STREAM not in data
    if old_word or (path.suffix.lower() == ".doc" and _ENCRYPTED_STREAM not in data):
        return ImportFileError(
            "This is a Word 97–2003 document (.doc); qualcode reads the newer .docx format.",
            path=path,
            hint=_SAVE_AS_DOCX,
        )
    return ImportFileError(
        "The document is protected with a password (encrypted), so its text cannot be read.",
        path=path,
        hint="Open it in Word, remove the password (File > Info > Protect Document > Encrypt "
        "with Password, clear the password and click OK), save it, and import again.",
    )


def _open(path: Path):  # -> docx.document.Document
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except (ValueError, PackageNotFoundError) as exc:
        # python-docx says "... is not a Word file, content type is ..." for .xlsx, .pptx,
        # .docm and templates saved with a .docx name.
        if "content type" not in str(exc):
            raise _damaged(path) from exc
        raise ImportFileError(
            "This file is an Office file but not a Word document (.docx), for example a "
            "spreadsheet, a presentation, a template or a document with macros.",
            path=path,
            hint=_SAVE_AS_DOCX,
        ) from None
    except Exception as exc:  # a damaged archive can fail in many ways inside the parser
        raise _damaged(path) from exc


def _damaged(path: Path) -> ImportFileError:
    return ImportFileError(
        "The Word document is damaged and its text cannot be read.",
        path=path,
        hint="Open it in Word; if Word offers to repair it, accept, save it as a new .docx and "
        "import that file. Otherwise import a fresh copy of the document.",
    )


def _blocks(container) -> Iterator[str]:
    """Paragraph texts and table rows of a body or cell, in document order."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == _P:
            yield _paragraph_text(child)
        elif tag == _TBL:
            yield from _table_rows(child)
        elif tag in _BLOCK_WRAPPERS:
            yield from _blocks(child)


def _table_rows(table) -> Iterator[str]:
    rows = []
    for row in _children(table, _TR):
        cells = []
        for cell in _children(row, _TC):
            text = "\n".join(block for block in _blocks(cell) if block.strip())
            if text.strip():
                cells.append(text)
        if cells:
            rows.append(cells)
    turns = _dialogue_turns(rows)
    if turns is not None:
        yield from turns
        return
    for cells in rows:
        yield "\t".join(cells)


def _dialogue_turns(rows: list[list[str]]) -> list[str] | None:
    """A table laid out as a dialogue, one row per turn, as `label: text` lines; else None.

    Transcribers often put the speaker in the first column and the speech in the second
    (`I | Hvordan ...`), sometimes with the time in a column before them. A first row naming
    the columns (`Taler | Tekst`) stays as it is.
    """
    turns = [_row_as_turn(cells) for cells in rows]
    found = [turn for turn in turns if turn is not None]
    if not _looks_like_dialogue(found, len(rows)):
        return None
    labels = [label for label, _ in found]
    first = turns[0]
    if first is not None and labels.count(first[0]) == 1 and _is_heading(first[0], rows[0][-1]):
        turns[0] = None
    return [
        turn[1] if turn else "\t".join(cells) for turn, cells in zip(turns, rows, strict=True)
    ]


def _looks_like_dialogue(turns: list[tuple[str, str]], rows: int) -> bool:
    """Do these rows read as turns rather than as a table of facts?

    Most rows must be `label | speech`, and the labels must be speakers: an interviewer label
    (`I`, `Intervjuer`, `Moderator` ...) among them, or, in a table of at least three such rows,
    labels that come back as speakers take turns, with more than a word or two said in a turn.
    A table of facts (`Region | Agder`, `Form | case`) has a new label in every row and short
    values, so it stays a table.
    """
    if len(turns) < 2 or len(turns) < 0.6 * rows:
        return False
    labels = [label for label, _ in turns]
    if any(label in DEFAULT_INTERVIEWER_LABELS for label in labels):
        return True
    if len(turns) < _MIN_DIALOGUE_ROWS:
        return False
    counts = Counter(labels)
    heard_once = sum(1 for n in counts.values() if n == 1)
    if max(counts.values()) < 2 or heard_once > len(labels) / 2:
        return False
    words = [len(line.split(": ", 1)[-1].split()) for _, line in turns]
    return sum(words) / len(words) >= _MIN_WORDS_PER_TURN


def _is_heading(label: str, cell: str) -> bool:
    """A first row that names the columns (`Taler | Tekst`) rather than holding a turn."""
    cell = cell.strip()
    return (
        label not in DEFAULT_INTERVIEWER_LABELS
        and bool(_LABEL_CELL.match(cell))
        and len(cell.split()) <= 2
        and not cell.endswith(".")
    )


def _row_as_turn(cells: list[str]) -> tuple[str, str] | None:
    """(label, `I: text`) for a row `I | text` or `00:12:33 | I | text`; None for other rows."""
    time = ""
    if len(cells) == 3 and _TIME_CELL.match(cells[0].strip()):
        time, cells = cells[0].strip() + " ", cells[1:]
    if len(cells) != 2:
        return None
    label = cells[0].strip().strip("*_").strip().rstrip(":").strip()
    if not _LABEL_CELL.match(label) or len(label.split()) > 3:
        return None
    return label, f"{time}{label}: {cells[1].strip()}"


def _children(element, tag: str) -> Iterator:
    """Children with `tag`, looking through content controls and custom XML wrappers."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tag)


def _paragraph_text(paragraph) -> str:
    return "".join(_inline_text(paragraph))


def _inline_text(element) -> Iterator[str]:
    for child in element.iterchildren():
        if child.tag == _R:
            yield child.text  # python-docx maps w:t, w:tab, w:br, w:cr, w:noBreakHyphen
        elif child.tag in _INLINE_WRAPPERS:
            yield from _inline_text(child)
