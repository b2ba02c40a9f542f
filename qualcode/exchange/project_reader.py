"""Reading a `.qdpx` project into plain data, before anything is written.

Only what qualcode can use is kept: users, the code tree, variables and cases, text sources
with their selections and codings, and notes. Sources of other kinds (PDF, pictures, audio,
video) and text sources without plain text are listed in `skipped`, with how many codings they
carried.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import ImportFileError
from qualcode.exchange.archive import Archive
from qualcode.exchange.ids import norm_guid
from qualcode.exchange.positions import SourceText, Span
from qualcode.exchange.refi_codebook import RefiCode, read_codes
from qualcode.exchange.xmltools import kid, kid_text, kids, local, parse_xml
from qualcode.study.cleaning import decode_bytes

_OTHER_SOURCES = {
    "PDFSource": "a PDF",
    "PictureSource": "a picture",
    "AudioSource": "an audio recording",
    "VideoSource": "a video",
}
_VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue",
               "DateTimeValue")


@dataclass
class RefiCoding:
    guid: str
    code: str
    """GUID of the code."""
    user: str
    """GUID of the user who made it ('' when not given)."""
    notes: list[str] = field(default_factory=list)


@dataclass
class RefiSelection:
    guid: str
    span: Span
    user: str
    codings: list[RefiCoding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    description: str = ""


@dataclass
class RefiSource:
    guid: str
    name: str
    text: SourceText
    description: str = ""
    encoding: str = "utf-8"
    selections: list[RefiSelection] = field(default_factory=list)
    whole: list[RefiCoding] = field(default_factory=list)
    """Codings of the source as a whole."""
    notes: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    """Variable GUID -> value."""


@dataclass
class RefiCase:
    guid: str
    name: str
    values: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


@dataclass
class RefiNote:
    guid: str
    name: str
    text: str
    user: str


@dataclass
class RefiProject:
    name: str
    origin: str
    user: str
    users: dict[str, str] = field(default_factory=dict)
    codes: list[RefiCode] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    cases: list[RefiCase] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    notes: dict[str, RefiNote] = field(default_factory=dict)
    project_notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_project(archive: Archive) -> RefiProject:
    """Everything qualcode can take from the archive's `.qde` and source files."""
    where = Path(f"{archive.path}/{archive.qde}")
    root = parse_xml(archive.read(archive.qde), where, "Project")
    project = RefiProject(
        name=(root.get("name") or "").strip() or archive.path.stem,
        origin=(root.get("origin") or "").strip(),
        user=norm_guid(root.get("creatingUserGUID")),
    )
    users = kid(root, "Users")
    for user in kids(users, "User") if users is not None else ():
        name = (user.get("name") or user.get("id") or "").strip()
        project.users[norm_guid(user.get("guid"))] = name
    book = kid(root, "CodeBook")
    project.codes = read_codes(kid(book, "Codes") if book is not None else None)
    variables = kid(root, "Variables")
    for variable in kids(variables, "Variable") if variables is not None else ():
        project.variables[norm_guid(variable.get("guid"))] = (variable.get("name") or "").strip()
    cases = kid(root, "Cases")
    for case in kids(cases, "Case") if cases is not None else ():
        project.cases.append(
            RefiCase(
                guid=norm_guid(case.get("guid")),
                name=(case.get("name") or "").strip(),
                values=_values(case),
                sources=[norm_guid(r.get("targetGUID")) for r in kids(case, "SourceRef")],
            )
        )
    notes = kid(root, "Notes")
    for note in kids(notes, "Note") if notes is not None else ():
        _read_note(archive, note, project)
    project.project_notes = [norm_guid(n.get("targetGUID")) for n in kids(root, "NoteRef")]
    sources = kid(root, "Sources")
    for element in list(sources) if sources is not None else []:
        kind = local(element.tag)
        name = (element.get("name") or "").strip() or norm_guid(element.get("guid"))
        if kind == "TextSource":
            source = _read_text_source(archive, element, project)
            if source is not None:
                project.sources.append(source)
        elif kind in _OTHER_SOURCES:
            project.skipped.append(
                f"{name}: {_OTHER_SOURCES[kind]} (qualcode codes text only)"
                + _codings_lost(element)
            )
    for element in root:
        if local(element.tag) in ("Sets", "Graphs", "Links") and len(element):
            project.skipped.append(
                f"{len(element)} {local(element.tag).lower()} (qualcode has no place for them)"
            )
    return project


def _codings_lost(element: ET.Element) -> str:
    count = sum(1 for e in element.iter() if local(e.tag) == "Coding")
    return f"; its {count} coding(s) were not imported" if count else ""


def _values(element: ET.Element) -> dict[str, str]:
    """VariableValue children as variable GUID -> value text."""
    out: dict[str, str] = {}
    for value in kids(element, "VariableValue"):
        ref = kid(value, "VariableRef")
        if ref is None:
            continue
        for tag in _VALUE_TAGS:
            found = kid(value, tag)
            if found is not None and (found.text or "").strip():
                out[norm_guid(ref.get("targetGUID"))] = found.text.strip()
                break
    return out


def _read_note(archive: Archive, element: ET.Element, project: RefiProject) -> None:
    guid = norm_guid(element.get("guid"))
    name = (element.get("name") or "").strip()
    text = kid_text(element, "PlainTextContent")
    path = element.get("plainTextPath")
    if not text and path:
        entry = archive.find_source(path)
        if entry is None:
            project.skipped.append(f"note {name or guid}: its text file {path} is missing")
            return
        text, _encoding = decode_bytes(archive.read(entry), f"{archive.path}/{entry}")
    text = text.strip() or kid_text(element, "Description").strip()
    if text:
        project.notes[guid] = RefiNote(guid, name, text, norm_guid(element.get("creatingUser")))


def _read_text_source(
    archive: Archive, element: ET.Element, project: RefiProject
) -> RefiSource | None:
    guid = norm_guid(element.get("guid"))
    name = (element.get("name") or "").strip()
    path = (element.get("plainTextPath") or "").strip()
    content = kid(element, "PlainTextContent")
    encoding = "utf-8"
    if content is not None and content.text:
        raw = content.text
    elif path:
        entry = archive.find_source(path)
        if entry is None:
            raise ImportFileError(
                f"The source `{name or guid}` refers to the text file `{path}`, which is not "
                "in the project file.",
                path=archive.path,
                hint="The export is incomplete. Export the project again with its sources "
                "included (embedded), then import that file.",
            )
        raw, encoding = decode_bytes(archive.read(entry), f"{archive.path}/{entry}")
        name = name or Path(path).name
    else:
        reason = "formatted text without a plain-text version" if element.get(
            "richTextPath") else "no text"
        project.skipped.append(f"{name or guid}: {reason}" + _codings_lost(element))
        return None
    raw = raw.removeprefix("\ufeff")
    source = RefiSource(
        guid=guid,
        name=name or guid,
        text=SourceText.of(raw),
        description=kid_text(element, "Description").strip(),
        encoding=encoding,
        notes=[norm_guid(n.get("targetGUID")) for n in kids(element, "NoteRef")],
        values=_values(element),
        whole=[_coding(c, element) for c in kids(element, "Coding")],
    )
    owner = norm_guid(element.get("creatingUser"))
    for selection in kids(element, "PlainTextSelection"):
        try:
            start = int((selection.get("startPosition") or "").strip())
            end = int((selection.get("endPosition") or "").strip())
        except ValueError:
            project.skipped.append(
                f"{source.name}: a selection without valid positions"
                + _codings_lost(selection)
            )
            continue
        user = norm_guid(selection.get("creatingUser")) or owner
        source.selections.append(
            RefiSelection(
                guid=norm_guid(selection.get("guid")),
                span=Span(start, end, (selection.get("name") or "").strip()),
                user=user,
                codings=[_coding(c, selection, user) for c in kids(selection, "Coding")],
                notes=[norm_guid(n.get("targetGUID")) for n in kids(selection, "NoteRef")],
                description=kid_text(selection, "Description").strip(),
            )
        )
    return source


def _coding(element: ET.Element, parent: ET.Element, default_user: str = "") -> RefiCoding:
    ref = kid(element, "CodeRef")
    return RefiCoding(
        guid=norm_guid(element.get("guid")),
        code=norm_guid(ref.get("targetGUID")) if ref is not None else "",
        user=norm_guid(element.get("creatingUser"))
        or default_user
        or norm_guid(parent.get("creatingUser")),
        notes=[norm_guid(n.get("targetGUID")) for n in kids(element, "NoteRef")],
    )
