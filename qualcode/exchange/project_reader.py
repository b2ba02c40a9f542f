"""Reading a `.qdpx` project into plain data, before anything is written.

Only what qualcode can use is kept: users, the code tree, variables and cases, texts with their
selections and codings, and notes. Texts are found where the standard puts them:

- a `<TextSource>` with plain text (in the file or beside it); one with only a Word version
  keeps the text from the Word file, without its codings;
- the plain-text `<Representation>` of a `<PDFSource>`;
- the `<Transcript>`s of an `<AudioSource>` or `<VideoSource>`, whose selections run between
  two of the transcript's `<SyncPoint>`s.

Codings of parts of a page, a picture or a recording, and sources without any text, are listed
in `skipped` with how many codings they carried. Notes are attached where the project attaches
them: by `<NoteRef>`, by a `<Link>` between a note and a selection (as NVivo writes
annotations), or by a `<PlainTextSelection>` inside the note (a note on one passage).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from qualcode.errors import ImportFileError
from qualcode.exchange.archive import Archive
from qualcode.exchange.ids import norm_guid
from qualcode.exchange.positions import SourceText, Span
from qualcode.exchange.refi_codebook import RefiCode, read_codes
from qualcode.exchange.xmltools import (
    SKIP_PROBLEMS_HINT,
    Node,
    check_schema,
    kid,
    kid_text,
    kids,
    local,
    parse_xml,
)
from qualcode.study.cleaning import decode_bytes
from qualcode.study.docx_reader import read_docx
from qualcode.wording import plural

_VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue",
               "DateTimeValue")
_MEDIA = {"AudioSource": "an audio recording", "VideoSource": "a video"}
_REGIONS = {"PDFSelection": "parts of its pages", "PictureSelection": "parts of the picture",
            "AudioSelection": "stretches of the recording", "VideoSelection": "stretches of "
            "the video"}


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
    line: int | None = None
    """Where the selection is written in the `.qde` file."""


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
    span: Span | None = None
    """The passage the note is about, when the note names one."""


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
    remarks: list[str] = field(default_factory=list)
    skip_problems: bool = False
    """Read as far as possible: a missing text file is listed in `skipped`, not refused."""
    qde: Path = Path("project.qde")
    """The `.qde` file, named for messages (`project.qdpx/project.qde`)."""

    @property
    def case_guids(self) -> set[str]:
        return {case.guid for case in self.cases}


def read_project(archive: Archive, skip_problems: bool = False) -> RefiProject:
    """Everything qualcode can take from the archive's `.qde` and source files.

    A `.qde` that breaks the REFI-QDA schema is refused (ImportFileError naming the line), or
    with `skip_problems` read as far as it goes, with a remark saying so.
    """
    where = Path(f"{archive.path}/{archive.qde}")
    root = parse_xml(archive.read(archive.qde), where, "Project")
    remark = check_schema(root, where, skip_problems)
    project = RefiProject(
        name=(root.get("name") or "").strip() or archive.path.stem,
        origin=(root.get("origin") or "").strip(),
        user=norm_guid(root.get("creatingUserGUID")),
        remarks=[remark] if remark else [],
        skip_problems=skip_problems,
        qde=where,
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
        _read_source(archive, element, project)
    _attach_linked_notes(root, project)
    _move_source_variables(project)
    for element in root:
        if local(element.tag) in ("Sets", "Graphs") and len(element):
            project.skipped.append(
                f"{plural(len(element), local(element.tag).lower()[:-1])} (qualcode has no "
                "place for them)"
            )
    return project


# ---------------------------------------------------------------------------------------------
# Sources


def _read_source(archive: Archive, element: Node, project: RefiProject) -> None:
    kind = local(element.tag)
    path = element.get("plainTextPath") or element.get("richTextPath") or element.get("path")
    filename = PurePosixPath((path or "").replace("\\", "/")).name
    name = (element.get("name") or "").strip() or filename or norm_guid(element.get("guid"))
    if kind == "TextSource":
        _add_text(archive, element, project, name)
    elif kind == "PDFSource":
        representation = kid(element, "Representation")
        if representation is not None:
            _add_text(archive, representation, project, name, outer=element)
            _note_regions(element, name, project)
        else:
            project.skipped.append(
                f"{name}: a PDF without the plain text of its pages, and qualcode cannot read "
                "PDF files" + _codings_lost(element)
            )
    elif kind in _MEDIA:
        transcripts = list(kids(element, "Transcript"))
        for transcript in transcripts:
            label = (transcript.get("name") or "").strip() or name
            _add_text(archive, transcript, project, label, outer=element)
        if transcripts:
            _note_regions(element, name, project)
        else:
            project.skipped.append(
                f"{name}: {_MEDIA[kind]} without a transcript (qualcode codes text only)"
                + _codings_lost(element)
            )
    elif kind == "PictureSource":
        project.skipped.append(f"{name}: a picture (qualcode codes text only)"
                               + _codings_lost(element))


def _add_text(
    archive: Archive, element: Node, project: RefiProject, name: str, outer: Node | None = None
) -> None:
    """Add the source whose text `element` holds (a TextSource, a PDF's Representation or a
    recording's Transcript); `outer` is the PDF or recording it belongs to."""
    owner = outer if outer is not None else element
    raw = _plain_text(archive, element, project, name)
    if raw is None:
        return
    both = [owner] if owner is element else [owner, element]
    source = RefiSource(
        guid=norm_guid(owner.get("guid")),
        name=name,
        text=SourceText.of(raw[0].removeprefix("\ufeff")),
        description=(kid_text(owner, "Description") or kid_text(element, "Description")).strip(),
        encoding=raw[1],
        notes=[norm_guid(n.get("targetGUID")) for e in both for n in kids(e, "NoteRef")],
        values={k: v for e in both for k, v in _values(e).items()},
        whole=[_coding(c, e) for e in both for c in kids(e, "Coding")],
    )
    user = norm_guid(element.get("creatingUser")) or norm_guid(owner.get("creatingUser"))
    if raw[2]:
        project.skipped.append(raw[2] + _codings_lost(element, "PlainTextSelection"))
    else:
        _read_selections(element, source, user, project)
    project.sources.append(source)


def _plain_text(
    archive: Archive, element: Node, project: RefiProject, name: str
) -> tuple[str, str, str] | None:
    """(text, encoding, why its selections cannot be used or '') or None when there is none."""
    content = kid(element, "PlainTextContent")
    if content is not None and content.text:
        return content.text, "utf-8", ""
    path = (element.get("plainTextPath") or "").strip()
    if path:
        entry = archive.find_source(path)
        if entry is not None:
            text, encoding = decode_bytes(archive.read(entry), f"{archive.path}/{entry}")
            return text, encoding, ""
        if not project.skip_problems:
            raise _missing_text(archive, path, name)
        project.skipped.append(f"{name}: its text file `{path}` is not in the project file"
                               + _codings_lost(element))
        return None
    rich = (element.get("richTextPath") or "").strip()
    if rich.lower().endswith(".docx"):
        text = _word_text(archive, rich, name)
        if text is not None:
            return text, "docx", (
                f"{name}: only a Word version of the text came with the project, so the text was "
                "taken from it, but selections count in a plain-text version that is missing"
            )
    reason = "formatted text without a plain-text version" if rich else "no text"
    project.skipped.append(f"{name}: {reason}" + _codings_lost(element))
    return None


def _missing_text(archive: Archive, path: str, name: str) -> ImportFileError:
    return ImportFileError(
        f"The source `{name}` refers to the text file `{path}`, which is not in the project "
        "file.",
        path=archive.path,
        hint="The export is incomplete, or the program kept that text outside the project. "
        "Export the project again with its sources included (embedded). "
        + SKIP_PROBLEMS_HINT,
    )


def _word_text(archive: Archive, path: str, name: str) -> str | None:
    """The text of a Word file inside the project, or None when it cannot be read."""
    entry = archive.find_source(path)
    if entry is None:
        return None
    with tempfile.TemporaryDirectory(prefix="qualcode-refi-") as folder:
        copy = Path(folder) / "source.docx"
        copy.write_bytes(archive.read(entry))
        try:
            return read_docx(copy) or None
        except ImportFileError:
            return None


def _read_selections(element: Node, source: RefiSource, owner: str, project: RefiProject) -> None:
    syncs = {norm_guid(s.get("guid")): s.get("position") for s in kids(element, "SyncPoint")}
    for selection in element:
        kind = local(selection.tag)
        if kind == "PlainTextSelection":
            ends = selection.get("startPosition"), selection.get("endPosition")
        elif kind == "TranscriptSelection":
            ends = (syncs.get(norm_guid(selection.get("fromSyncPoint"))),
                    syncs.get(norm_guid(selection.get("toSyncPoint"))))
        else:
            continue
        try:
            start, end = (int((value or "").strip()) for value in ends)
        except ValueError:
            project.skipped.append(
                f"{source.name}: a selection without valid positions (line "
                f"{selection.sourceline})" + _codings_lost(selection)
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
                line=selection.sourceline,
            )
        )


def _note_regions(element: Node, name: str, project: RefiProject) -> None:
    """Report codings of parts of a page, picture or recording, which qualcode cannot hold."""
    for kind, what in _REGIONS.items():
        count = sum(1 for s in kids(element, kind) for _c in kids(s, "Coding"))
        if count:
            project.skipped.append(
                f"{name}: {plural(count, 'coding')} of {what} (qualcode codes text only)"
            )


def _codings_lost(element: Node, inside: str = "") -> str:
    places = [element] if not inside else list(kids(element, inside))
    count = sum(1 for place in places for e in place.iter() if local(e.tag) == "Coding")
    if not count:
        return ""
    return f"; its {plural(count, 'coding')} {'was' if count == 1 else 'were'} not imported"


def _values(element: Node) -> dict[str, str]:
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


def _move_source_variables(project: RefiProject) -> None:
    """Cases without a name that refer to one source hold that source's variables (MAXQDA and
    Quirkos write document variables so): they become the source's values."""
    sources = {source.guid: source for source in project.sources}
    kept = []
    for case in project.cases:
        if not case.name and len(case.sources) == 1 and case.sources[0] in sources:
            source = sources[case.sources[0]]
            source.values = {**case.values, **source.values}
        else:
            kept.append(case)
    project.cases = kept


# ---------------------------------------------------------------------------------------------
# Codings and notes


def _coding(element: Node, parent: Node, default_user: str = "") -> RefiCoding:
    ref = kid(element, "CodeRef")
    return RefiCoding(
        guid=norm_guid(element.get("guid")),
        code=norm_guid(ref.get("targetGUID")) if ref is not None else "",
        user=norm_guid(element.get("creatingUser"))
        or default_user
        or norm_guid(parent.get("creatingUser")),
        notes=[norm_guid(n.get("targetGUID")) for n in kids(element, "NoteRef")],
    )


def _read_note(archive: Archive, element: Node, project: RefiProject) -> None:
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
    if not text:
        return
    passage = kid(element, "PlainTextSelection")
    span = None
    if passage is not None:
        try:
            span = Span(int(passage.get("startPosition") or ""),
                        int(passage.get("endPosition") or ""))
        except ValueError:
            span = None
    project.notes[guid] = RefiNote(guid, name, text, norm_guid(element.get("creatingUser"))
                                   or norm_guid(element.get("modifyingUser")), span)


def _attach_linked_notes(root: Node, project: RefiProject) -> None:
    """A `<Link>` between a note and a selection attaches the note to the selection (NVivo
    writes annotations so); other links are reported."""
    links = kid(root, "Links")
    if links is None:
        return
    selections = {s.guid: s for source in project.sources for s in source.selections}
    other = 0
    for link in kids(links, "Link"):
        ends = norm_guid(link.get("originGUID")), norm_guid(link.get("targetGUID"))
        note = next((e for e in ends if e in project.notes), None)
        selection = next((selections[e] for e in ends if e in selections), None)
        if note and selection is not None:
            selection.notes.append(note)
        else:
            other += 1
    if other:
        project.skipped.append(f"{plural(other, 'link')} (qualcode has no place for them)")
