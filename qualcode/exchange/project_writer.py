"""Writing a study as a REFI-QDA project (`project.qde` and `sources/<guid>.txt` in a zip).

- every coder (the consensus layer too) is a `<User>`;
- the codebook is written as in `refi_codebook`;
- every informant is a `<Case>` linked to its transcript, with one text `<Variable>` per
  attribute and `speaker` for the label used in the transcript;
- every transcript is a `<TextSource>` whose plain text is qualcode's canonical text (UTF-8,
  `\\n` line endings), with its title as description and form, date and language as variables;
- a coder's codings of one passage share a `<PlainTextSelection>` (start and end in code points,
  end exclusive), one `<Coding>` per code, made by that coder;
- memos are `<Note>`s, referred to from the coding, transcript or code they belong to (memos on
  the study from the project itself).

GUIDs are derived from what the elements are (a code's id, a transcript's id, a coder's name,
a coding's coder, passage and code, a memo's coder and target), never from internal row ids: the
same study exported twice gives the same GUIDs, and so does a study that went out and came back,
so another program can match what it has seen before. The zip file itself is the same byte for
byte when nothing in the study changed.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from qualcode import __version__
from qualcode.exchange.ids import guid
from qualcode.exchange.refi_codebook import code_element
from qualcode.exchange.xmltools import PROJECT_NS as NS
from qualcode.exchange.xmltools import sub, text_child, to_bytes, xml_datetime
from qualcode.store.anchoring import Placement, place_in_transcripts, placement_notes
from qualcode.store.coder_store import Coding, Memo
from qualcode.study.study import Study
from qualcode.study.transcript import Transcript
from qualcode.wording import plural

_SOURCE_VARIABLES = ("form", "date", "language")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip file can hold


@dataclass
class ExportReport:
    """What an export wrote and what it had to leave out."""

    transcripts: int = 0
    codes: int = 0
    coders: dict[str, int] = field(default_factory=dict)
    memos: int = 0
    informants: int = 0
    skipped: list[str] = field(default_factory=list)
    """What was left out, counted: `3 codings of codes that are no longer in the codebook`."""
    notes: list[str] = field(default_factory=list)
    """Whole sentences on codings in edited transcripts: left out, or exported where moved."""

    @property
    def codings(self) -> int:
        return sum(self.coders.values())


@dataclass
class _Layer:
    """One coder's codings and memos, read once."""

    coder: str
    user: str
    codings: list[Coding]
    memos: list[Memo]


def build_qdpx(study: Study) -> tuple[bytes, ExportReport]:
    """The bytes of the `.qdpx` file and what went into it."""
    report = ExportReport(codes=len(study.codebook))
    layers = _read_layers(study)
    transcripts = study.transcripts
    root = ET.Element(
        f"{{{NS}}}Project", {"name": study.config.name, "origin": f"qualcode {__version__}"}
    )
    if layers:
        users = sub(root, NS, "Users")
        for layer in layers:
            sub(users, NS, "User", guid=layer.user, name=layer.coder)
    by_id = {t.id: t for t in transcripts}
    by_transcript = _codings_by_transcript(study, layers, by_id, report)
    exported: dict[str, dict[str, Coding]] = defaultdict(dict)
    for items in by_transcript.values():
        for layer, coding in items:
            exported[layer.coder][coding.id] = coding
    notes = _Notes(study, layers, by_id, exported, report)
    book = sub(sub(root, NS, "CodeBook"), NS, "Codes")
    for code in study.codebook.roots:
        code_element(book, NS, code, study.config.language, notes.on_codes)
    _variables_and_cases(root, transcripts, report)
    sources = sub(root, NS, "Sources")
    files: dict[str, str] = {}
    for transcript in transcripts:
        source_guid = guid("transcript", transcript.id)
        files[f"sources/{source_guid}.txt"] = transcript.text
        _source(sources, transcript, source_guid, by_transcript.get(transcript.id, []), notes)
    report.transcripts = len(transcripts)
    if not len(sources):
        root.remove(sources)
    notes.write(root)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _add_entry(archive, "project.qde", to_bytes(root, NS))
        for name, text in files.items():
            _add_entry(archive, name, text.encode("utf-8"))
    return buffer.getvalue(), report


def _add_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    """One file in the zip, with a fixed date and ordinary permissions (readable by all)."""
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def coding_key(coder: str, coding: Coding) -> str:
    """What a coding is, for its GUID: coder, transcript, passage and code."""
    return f"{coder}:{coding.transcript}:{coding.start}:{coding.end}:{coding.code}"


def _read_layers(study: Study) -> list[_Layer]:
    layers = []
    for coder in study.coders(include_consensus=True):
        with study.store(coder) as store:
            layers.append(_Layer(coder, guid("user", coder), store.codings(), store.memos()))
    return layers


def _codings_by_transcript(
    study: Study, layers: list[_Layer], transcripts: dict[str, Transcript], report: ExportReport
) -> dict[str, list[tuple[_Layer, Coding]]]:
    """Codings that can be exported, by transcript, where they are in the current text.

    Codings on a transcript edited since are found again as `qualcode check` finds them and
    exported at their new place; those whose text is gone, or whose code or transcript is no
    longer in the study, are left out and said so in the report.
    """
    out: dict[str, list[tuple[_Layer, Coding]]] = defaultdict(list)
    unknown = gone = 0
    placements: dict[str, Placement] = {}
    for layer in layers:
        report.coders[layer.coder] = 0
        wanted = []
        for coding in layer.codings:
            if coding.code not in study.codebook:
                unknown += 1
            elif coding.transcript not in transcripts:
                gone += 1
            else:
                wanted.append(coding)
        placement = placements[layer.coder] = place_in_transcripts(wanted, transcripts)
        for coding in placement.placed:
            out[coding.transcript].append((layer, coding))
            report.coders[layer.coder] += 1
    if unknown:
        report.skipped.append(
            f"{plural(unknown, 'coding')} of codes that are no longer in the codebook")
    if gone:
        report.skipped.append(
            f"{plural(gone, 'coding')} of transcripts that are no longer in the study")
    report.notes.extend(placement_notes(placements))
    return out


def _variables_and_cases(
    root: ET.Element, transcripts: list[Transcript], report: ExportReport
) -> None:
    names: dict[str, None] = {"speaker": None}
    for transcript in transcripts:
        for informant in transcript.informants.values():
            names.update(dict.fromkeys(informant.attributes))
    used_source = [n for n in _SOURCE_VARIABLES if any(t.meta.get(n) for t in transcripts)]
    informants = [i for t in transcripts for i in t.informants.values()]
    if not informants and not used_source:
        return
    variables = sub(root, NS, "Variables")
    for name in used_source:
        sub(variables, NS, "Variable", guid=guid("source-variable", name), name=name,
            typeOfVariable="Text")
    for name in names if informants else ():
        sub(variables, NS, "Variable", guid=guid("variable", name), name=name,
            typeOfVariable="Text")
    if not informants:
        return
    cases = sub(root, NS, "Cases")
    for transcript in transcripts:
        for label, informant in transcript.informants.items():
            case = sub(cases, NS, "Case", guid=guid("case", f"{transcript.id}:{label}"),
                       name=f"{transcript.id}: {label}")
            _value(case, guid("variable", "speaker"), label)
            for name, value in informant.attributes.items():
                if value:
                    _value(case, guid("variable", name), value)
            sub(case, NS, "SourceRef", targetGUID=guid("transcript", transcript.id))
            report.informants += 1


def _value(parent: ET.Element, variable: str, value: str) -> None:
    element = sub(parent, NS, "VariableValue")
    sub(element, NS, "VariableRef", targetGUID=variable)
    text_child(element, NS, "TextValue", str(value))


def _source(
    sources: ET.Element,
    transcript: Transcript,
    source_guid: str,
    codings: list[tuple[_Layer, Coding]],
    notes: _Notes,
) -> None:
    element = sub(sources, NS, "TextSource", guid=source_guid, name=transcript.id,
                  plainTextPath=f"internal://{source_guid}.txt")
    if transcript.title and transcript.title != transcript.id:
        text_child(element, NS, "Description", transcript.title)
    passages: dict[tuple[str, int, int], list[tuple[_Layer, Coding]]] = defaultdict(list)
    for layer, coding in codings:
        passages[(layer.coder, coding.start, coding.end)].append((layer, coding))
    in_text_order = sorted(passages.items(), key=lambda kv: kv[0][1:] + kv[0][:1])
    for (coder, start, end), items in in_text_order:
        layer = items[0][0]
        selection = sub(
            element, NS, "PlainTextSelection",
            guid=guid("selection", f"{coder}:{transcript.id}:{start}:{end}"),
            name=transcript.excerpt(start, end, 60), startPosition=str(start),
            endPosition=str(end), creatingUser=layer.user,
            creationDateTime=xml_datetime(min(c.created for _l, c in items)),
        )
        for _layer, coding in items:
            made = sub(selection, NS, "Coding", guid=guid("coding", coding_key(coder, coding)),
                       creatingUser=layer.user, creationDateTime=xml_datetime(coding.created))
            sub(made, NS, "CodeRef", targetGUID=guid("code", coding.code))
            for note in notes.on(("coding", coding.id), coder):
                sub(made, NS, "NoteRef", targetGUID=note)
    for note in notes.on_transcripts.get(transcript.id, []):
        sub(element, NS, "NoteRef", targetGUID=note)
    for name in _SOURCE_VARIABLES:
        if transcript.meta.get(name):
            _value(element, guid("source-variable", name), str(transcript.meta[name]))


class _Notes:
    """Memos as `<Note>` elements, and which element refers to each."""

    def __init__(
        self,
        study: Study,
        layers: list[_Layer],
        transcripts: dict[str, Transcript],
        exported: dict[str, dict[str, Coding]],
        report: ExportReport,
    ) -> None:
        """`exported`: coder -> coding id -> the codings that are written."""
        self.layers = layers
        self.by_target: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self.on_codes: dict[str, list[str]] = defaultdict(list)
        self.on_transcripts: dict[str, list[str]] = defaultdict(list)
        self.on_study: list[str] = []
        self.written: list[tuple[_Layer, Memo, str]] = []
        orphans = 0
        for layer in layers:
            codings = exported.get(layer.coder, {})
            for memo in layer.memos:
                kind, target = memo.target_kind, memo.target
                about = coding_key(layer.coder, codings[target]) if (
                    kind == "coding" and target in codings) else target
                note = guid("memo", f"{layer.coder}:{kind}:{about}")
                if kind == "coding" and target in codings:
                    self.by_target[(layer.coder, kind, target)].append(note)
                elif kind == "transcript" and target in transcripts:
                    self.on_transcripts[target].append(note)
                elif kind == "code" and target in study.codebook:
                    self.on_codes[target].append(note)
                elif kind == "study":
                    self.on_study.append(note)
                else:
                    orphans += 1
                    continue
                self.written.append((layer, memo, note))
        # In the order of coder and target, so that the same memos are written the same way.
        self.written.sort(key=lambda item: (item[0].coder, item[1].target_kind, item[2]))
        report.memos = len(self.written)
        if orphans:
            report.skipped.append(f"{plural(orphans, 'memo')} on codings that were left out, "
                                  "or on codes or transcripts that no longer exist")

    def on(self, target: tuple[str, str], coder: str) -> list[str]:
        return self.by_target.get((coder, *target), [])

    def write(self, root: ET.Element) -> None:
        """The `<Notes>` and the project's own `<NoteRef>`s, at the end of the project."""
        if not self.written:
            return
        notes = sub(root, NS, "Notes")
        for layer, memo, note in self.written:
            element = sub(
                notes, NS, "Note", guid=note, name=f"Memo by {layer.coder}",
                creatingUser=layer.user, creationDateTime=xml_datetime(memo.created),
                modifiedDateTime=xml_datetime(memo.modified),
            )
            text_child(element, NS, "PlainTextContent", memo.text)
        for note in self.on_study:
            sub(root, NS, "NoteRef", targetGUID=note)
