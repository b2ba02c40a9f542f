"""A study's codebook to and from REFI-QDA `.qdc` (the `CodeBook` XML).

Export: one `<Code>` per code, in the study's tree. Its GUID is derived from the code id (the
same id always gives the same GUID), its name is the label in the study's language, its colour
is kept, and its `<Description>` holds the definition, inclusion, exclusion, examples, labels
in other languages and a last line `qualcode id: <id>`, in readable form (see `descriptions`).

Import: the reverse. A code keeps the id from its `qualcode id:` line when it has one (so a
codebook that went to another program and back still matches existing codings); other codes
get ids made from their names, below their parent's id (`distance.geografisk-distanse`),
unique and the same on every import of the same file. Adding the codes to a study, or
replacing the study's codebooks with them, is `codebook_import`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from qualcode import __version__
from qualcode.errors import ExportError, ImportFileError
from qualcode.exchange.archive import Archive
from qualcode.exchange.codebook_yaml import CodeEntry
from qualcode.exchange.descriptions import compose_description, split_description
from qualcode.exchange.ids import guid, norm_guid, slug, unique
from qualcode.exchange.xmltools import (
    CODEBOOK_NS,
    Node,
    check_schema,
    kid,
    kid_text,
    kids,
    parse_xml,
    sub,
    text_child,
    to_bytes,
)
from qualcode.study.codebook import ID_PATTERN, Code, Codebook
from qualcode.study.files import write_atomic
from qualcode.study.study import Study

_SHORT_RGB = re.compile(r"^#([0-9a-fA-F])([0-9a-fA-F])([0-9a-fA-F])$")
_RGB = re.compile(r"^#[0-9a-fA-F]{6}$")


# ---------------------------------------------------------------------------------------------
# Export


def code_element(
    parent: ET.Element,
    ns: str,
    code: Code,
    language: str,
    note_refs: dict[str, list[str]] | None = None,
) -> None:
    """Write `code` and the codes below it (with NoteRefs to memos on codes, in projects)."""
    element = sub(
        parent, ns, "Code", guid=guid("code", code.id), name=code.label(language),
        isCodable="true", color=code.colour,
    )
    text_child(element, ns, "Description", compose_description(code, language))
    for note in (note_refs or {}).get(code.id, []):
        sub(element, ns, "NoteRef", targetGUID=note)
    for child in code.children:
        code_element(element, ns, child, language, note_refs)


def codebook_xml(codebook: Codebook, language: str) -> bytes:
    """The `.qdc` document of a codebook."""
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": f"qualcode {__version__}"})
    codes = sub(root, CODEBOOK_NS, "Codes")
    for code in codebook.roots:
        code_element(codes, CODEBOOK_NS, code, language)
    return to_bytes(root, CODEBOOK_NS)


def export_codebook(study_dir: str | Path, out: str | Path) -> int:
    """Write the study's codebook to `out` (.qdc); returns the number of codes."""
    out = Path(out)
    check_output(out, (".qdc",))
    study = Study.open(study_dir)
    write_atomic(out, codebook_xml(study.codebook, study.config.language))
    return len(study.codebook)


_KINDS = {".qdpx": "the whole project", ".qdc": "the codebook only"}


def check_output(out: Path, suffixes: tuple[str, ...]) -> None:
    """Refuse an output path with the wrong extension or in a missing folder."""
    if out.suffix.lower() not in suffixes:
        wanted = " or ".join(f"{s} ({_KINDS[s]})" for s in suffixes)
        raise ExportError(
            f"The file name must end in {wanted}, not in "
            f"{f'`{out.suffix}`' if out.suffix else 'nothing'}.",
            path=out,
            hint=f"Give a file name such as study{suffixes[0]}.",
        )
    if out.is_dir():
        raise ExportError("This is a folder.", path=out,
                          hint=f"Give a file name, e.g. study{suffixes[0]}.")
    if not out.parent.is_dir():
        raise ExportError(
            "The folder to write into does not exist.",
            path=out.parent,
            hint="Create it first, or write the file somewhere else.",
        )


# ---------------------------------------------------------------------------------------------
# Import


@dataclass
class RefiCode:
    """A code as another program wrote it."""

    guid: str
    name: str
    codable: bool = True
    colour: str | None = None
    description: str = ""
    note_refs: list[str] = field(default_factory=list)
    children: list[RefiCode] = field(default_factory=list)


def read_codes(codes: Node | None) -> list[RefiCode]:
    """The tree of `<Code>` elements under `<Codes>`."""
    if codes is None:
        return []
    out = []
    for element in kids(codes, "Code"):
        code = RefiCode(
            guid=norm_guid(element.get("guid")),
            name=" ".join((element.get("name") or "").split()) or "(unnamed code)",
            codable=(element.get("isCodable") or "true").strip().lower() not in ("false", "0"),
            colour=_colour(element.get("color")),
            description=kid_text(element, "Description").strip(),
            note_refs=[norm_guid(n.get("targetGUID")) for n in kids(element, "NoteRef")],
            children=read_codes(element),
        )
        out.append(code)
    return out


def walk(codes: list[RefiCode]) -> Iterator[RefiCode]:
    for code in codes:
        yield code
        yield from walk(code.children)


def _colour(value: str | None) -> str | None:
    text = (value or "").strip()
    short = _SHORT_RGB.match(text)
    if short:
        text = "#" + "".join(c * 2 for c in short.groups())
    return text.lower() if _RGB.match(text) else None


@dataclass
class CodeIds:
    """Imported codes as qualcode codes: the entries to write and GUID -> id."""

    entries: list[CodeEntry]
    by_guid: dict[str, str]
    kept: int = 0
    """How many ids came from `qualcode id:` lines."""


def assign_ids(roots: list[RefiCode], taken: set[str] | None = None) -> CodeIds:
    """Give every imported code a unique qualcode id (see the module's docstring)."""
    used: set[str] = set(taken or ())
    result = CodeIds(entries=[], by_guid={})
    # Ids written by qualcode are claimed first, so a renamed code never steals one.
    claimed: dict[int, str] = {}
    for code in walk(roots):
        code_id = split_description(code.description).code_id
        if code_id and ID_PATTERN.match(code_id) and code_id not in used:
            claimed[id(code)] = code_id
            used.add(code_id)

    def build(code: RefiCode, parent_id: str | None) -> CodeEntry:
        parts = split_description(code.description)
        code_id = claimed.get(id(code))
        if code_id:
            result.kept += 1
        else:
            base = slug(code.name, keep="_") or "code"
            code_id = unique(f"{parent_id}.{base}" if parent_id else base, used)
            used.add(code_id)
        result.by_guid.setdefault(code.guid, code_id)
        entry = CodeEntry(code_id, code.name, parts.description, parts.inclusion,
                          parts.exclusion, code.colour, examples=parts.examples,
                          labels=_labels(code.name, parts.labels))
        entry.children = [build(child, code_id) for child in code.children]
        return entry

    result.entries = [build(code, None) for code in roots]
    return result


def _labels(name: str, written: dict[str, str]) -> dict[str, str]:
    """Labels by language from `Label (xx):` lines; the first is the language of the code's
    name, which wins when the code was renamed in the other program."""
    if len(written) < 2:
        return {}
    labels = dict(written)
    labels[next(iter(written))] = name
    return labels


def read_codebook_file(source: Path, skip_problems: bool) -> tuple[list[RefiCode], str | None]:
    """The codes of a `.qdc` or `.qdpx` file, and a remark when it breaks the schema."""
    if zipfile.is_zipfile(source):
        with Archive(source) as archive:
            where = Path(f"{source}/{archive.qde}")
            project = parse_xml(archive.read(archive.qde), where, "Project")
        remark = check_schema(project, where, skip_problems)
        book = kid(project, "CodeBook")
        return read_codes(kid(book, "Codes") if book is not None else None), remark
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"The file cannot be read: {exc.strerror}.", path=source) from None
    root = parse_xml(data, source, "CodeBook")
    return read_codes(kid(root, "Codes")), check_schema(root, source, skip_problems)
