"""Turning a read project into what the new study will hold, before anything is written.

- sources -> transcripts (ids from their names; title, form, date, language from the source's
  description and variables; informants from cases);
- codes -> one codebook (ids as in `refi_codebook.assign_ids`);
- users -> coders, codings -> spans in each coder's transcripts, positions mapped as in
  `positions`;
- notes -> memos on codings, transcripts, codes or the study.

Whatever cannot be placed is listed in `skipped` with the reason. Selections whose positions
cannot belong to their text at all go to `damaged`, for the import to refuse or list.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from qualcode.exchange.codebook_yaml import CodeEntry
from qualcode.exchange.ids import slug, unique
from qualcode.exchange.positions import Reading, Span, Unplaced, choose_reading, resolve
from qualcode.exchange.project_reader import RefiCoding, RefiProject, RefiSource
from qualcode.exchange.refi_codebook import assign_ids, walk
from qualcode.study.config import DEFAULT_INTERVIEWER_LABELS, DEFAULT_SPEAKER_PATTERN
from qualcode.study.study import CONSENSUS
from qualcode.study.transcript import find_turns
from qualcode.wording import plural

_DOCUMENT_SUFFIX = re.compile(r"\.(txt|md|docx?|rtf|odt|pdf|html?)$", re.IGNORECASE)
_NB_WORDS = {"og", "jeg", "det", "ikke", "er", "som", "på", "en", "vi", "de", "med", "har",
             "for", "til", "av", "så", "hva", "hvordan", "hvis", "eller"}
_EN_WORDS = {"and", "the", "i", "is", "not", "that", "of", "we", "they", "with", "have",
             "for", "to", "so", "what", "how", "if", "or", "you", "it"}
_SOURCE_FIELDS = ("form", "date", "language")
_SAFE_ID = re.compile(r"^\w[\w.\-]{0,99}$")


@dataclass
class PlannedTranscript:
    id: str
    source: RefiSource
    front: dict[str, object]
    informants: int = 0


@dataclass
class PlannedCoding:
    start: int
    end: int
    code: str
    memo: str = ""


@dataclass(frozen=True)
class Misfit:
    """A selection whose positions cannot belong to its text."""

    line: int | None
    """Where the selection is written in the `.qde` file."""
    source: str
    codings: int
    reason: str

    def __str__(self) -> str:
        codings = plural(self.codings, "coding")
        return f"{self.source}: a selection with {codings} that {self.reason}"


@dataclass
class Plan:
    """Everything the new study will hold."""

    name: str
    language: str
    reading: Reading
    transcripts: list[PlannedTranscript] = field(default_factory=list)
    codes: list[CodeEntry] = field(default_factory=list)
    code_count: int = 0
    codings: dict[str, dict[str, list[PlannedCoding]]] = field(default_factory=dict)
    """coder -> transcript id -> codings."""
    memos: dict[str, dict[tuple[str, str], str]] = field(default_factory=dict)
    """coder -> (target kind, target) -> text, for memos not on codings."""
    skipped: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    damaged: list[Misfit] = field(default_factory=list)
    """Selections whose positions cannot belong to their text."""


def make_plan(project: RefiProject, end: str = "auto", language: str | None = None) -> Plan:
    """The new study's content (see the module's docstring)."""
    reading = choose_reading(
        [(s.text, [sel.span for sel in s.selections]) for s in project.sources], end
    )
    language = language or guess_language(" ".join(s.text.text[:20_000] for s in project.sources))
    plan = Plan(project.name, language, reading, skipped=list(project.skipped),
                remarks=list(project.remarks))
    ids = assign_ids(project.codes)
    plan.codes, plan.code_count = ids.entries, len(ids.by_guid)
    coders = _Coders(project)
    _plan_transcripts(project, plan)
    lost: Counter[str] = Counter()
    used_notes: set[str] = set()
    for item in plan.transcripts:
        _plan_selections(project, plan, item, ids.by_guid, coders, used_notes, lost)
        source = item.source
        for coding in source.whole:
            _add(plan, ids.by_guid, coders, item.id, coding, (0, len(source.text.text)), [],
                 project, used_notes, lost)
        for guid in source.notes:
            note = project.notes.get(guid)
            passage = _passage(source, note.span, reading) if note and note.span else ""
            _memo(plan, coders, project, guid, ("transcript", item.id), used_notes, passage)
    _plan_code_memos(project, plan, coders, ids.by_guid, used_notes)
    for note in project.project_notes:
        _memo(plan, coders, project, note, ("study", ""), used_notes)
    unused = len(set(project.notes) - used_notes)
    if unused:
        lost["notes not attached to a source, selection, coding or code"] += unused
    plan.skipped.extend(f"{text} ({n})" if n > 1 else text for text, n in lost.items())
    plan.remarks.extend(coders.remarks)
    idle = [name or guid for guid, name in project.users.items() if guid not in coders.names]
    if idle:
        plan.remarks.append(
            "Users without codings or memos (no codings file made for them): " + ", ".join(idle)
        )
    return plan


def _plan_selections(
    project: RefiProject,
    plan: Plan,
    item: PlannedTranscript,
    codes: dict[str, str],
    coders: _Coders,
    used_notes: set[str],
    lost: Counter[str],
) -> None:
    """A source's selections as codings; notes on selections without codes become memos on the
    transcript that quote the passage."""
    source = item.source
    for selection in source.selections:
        where = resolve(source.text, selection.span, plan.reading)
        if isinstance(where, Unplaced):
            misfit = Misfit(selection.line, source.name, len(selection.codings), where.reason)
            if where.damaged:
                plan.damaged.append(misfit)
            else:
                plan.skipped.append(str(misfit))
            continue
        extra = [selection.description, *_texts(project, selection.notes, used_notes)]
        if not selection.codings:
            comment = "\n\n".join(t for t in extra if t.strip())
            if comment:
                quote = _quote(source.text.text[where[0] : where[1]])
                _add_memo(plan, coders.name(selection.user), ("transcript", item.id),
                          f"{quote}: {comment}")
            else:
                lost["selections without any code or comment (qualcode keeps only coded "
                     "passages)"] += 1
            continue
        for coding in selection.codings:
            _add(plan, codes, coders, item.id, coding, where, extra, project, used_notes, lost)


def _passage(source: RefiSource, span: Span, reading: Reading) -> str:
    """The quoted passage a note on a source is about ('' when it cannot be placed)."""
    where = resolve(source.text, span, reading)
    return "" if isinstance(where, Unplaced) else _quote(source.text.text[where[0] : where[1]])


def _quote(text: str, limit: int = 100) -> str:
    """A passage as it heads a memo: `On “Det er liksom to ulike verdener …”`."""
    snippet = " ".join(text.split())
    if len(snippet) > limit:
        snippet = snippet[: limit - 1].rstrip() + " …"
    return f"On “{snippet}”"


def guess_language(text: str) -> str:
    """`nb` or `en`, by counting very common words (English when in doubt)."""
    words = Counter(w.lower() for w in re.findall(r"[A-Za-zÆØÅæøå]+", text[:400_000]))
    nb = sum(words[w] for w in _NB_WORDS)
    en = sum(words[w] for w in _EN_WORDS)
    return "nb" if nb > en else "en"


class _Coders:
    """Coder names for the project's users (unique and file-safe). A user called `consensus`
    stays the consensus layer only in a project exported by qualcode, where a lead built it."""

    def __init__(self, project: RefiProject) -> None:
        self.project = project
        self.names: dict[str, str] = {}
        self.from_qualcode = project.origin.startswith("qualcode ")
        self.taken: set[str] = set() if self.from_qualcode else {CONSENSUS}
        self.remarks: list[str] = []

    def name(self, user: str) -> str:
        user = user or self.project.user
        if user in self.names:
            return self.names[user]
        given = self.project.users.get(user, "")
        base = slug(given, keep="._") or (f"user-{user[:8]}" if user else "imported")
        if base == CONSENSUS and not self.from_qualcode:
            base = "consensus-import"
            self.remarks.append(
                f"The user `{given}` became coder `{base}`: qualcode keeps the consensus layer "
                "for a lead to build."
            )
        name = unique(base, self.taken)
        self.taken.add(name)
        self.names[user] = name
        return name


def _plan_transcripts(project: RefiProject, plan: Plan) -> None:
    taken: set[str] = set()
    cases = _cases_by_source(project)
    ignored_variables: set[str] = set()
    for source in project.sources:
        if not source.text.text.strip():
            plan.skipped.append(f"{source.name}: the text is empty")
            continue
        tid = _transcript_id(source.name, taken)
        values = {project.variables.get(g, g).strip(): v for g, v in source.values.items()}
        lowered = {k.lower(): v for k, v in values.items()}
        front: dict[str, object] = {"title": _title(source, lowered)}
        language = lowered.get("language", "").lower()
        front["language"] = language if language in ("nb", "en") else (
            guess_language(source.text.text) if len(source.text.text) > 400 else plan.language
        )
        for name in ("form", "date"):
            if lowered.get(name):
                front[name] = lowered[name]
        others = {k: v for k, v in values.items()
                  if k and k.lower() not in ("title", *_SOURCE_FIELDS)}
        item = PlannedTranscript(tid, source, front)
        informants, took_others = _informants(source, cases.get(source.guid, []), others, plan)
        if not took_others:
            ignored_variables |= set(others)
        if informants:
            front["informants"] = informants
            item.informants = sum(1 for attrs in informants.values() if attrs)
        plan.transcripts.append(item)
    if ignored_variables:
        plan.skipped.append(
            "source variables of texts with more than one informant, or none (qualcode keeps "
            "attributes per informant): " + ", ".join(sorted(ignored_variables))
        )


def _transcript_id(name: str, taken: set[str]) -> str:
    """The source's name without its extension when that is a safe file name (so a study
    that goes out and comes back keeps its ids), else a slug of it; unique in any case."""
    stem = unicodedata.normalize("NFC", _DOCUMENT_SUFFIX.sub("", name).strip())
    base = stem if _SAFE_ID.match(stem) else slug(stem, keep="_", limit=64) or "source"
    tid, n = base, 1
    while tid.lower() in taken:
        n += 1
        tid = f"{base}-{n}"
    taken.add(tid.lower())
    return tid


def _title(source: RefiSource, values: dict[str, str]) -> str:
    if values.get("title"):
        return values["title"]
    first = source.description.strip()
    if first and "\n" not in first and len(first) <= 200:
        return first
    return source.name


def _cases_by_source(project: RefiProject) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Source GUID -> [(case label, attributes)] from the cases that refer to the source."""
    out: dict[str, list[tuple[str, dict[str, str]]]] = defaultdict(list)
    for case in project.cases:
        attrs = {project.variables.get(g, g): v for g, v in case.values.items()}
        speaker = next((k for k in attrs if k.lower() == "speaker"), None)
        label = (attrs.pop(speaker) if speaker else "") or case.name
        for source in case.sources:
            out[source].append((label, attrs))
    return out


def _informants(
    source: RefiSource,
    cases: list[tuple[str, dict[str, str]]],
    source_attributes: dict[str, str],
    plan: Plan,
) -> tuple[dict[str, dict[str, str]], bool]:
    """Speaker label -> attributes for the transcript's front matter, and whether the source's
    own variables found a place.

    A case becomes an informant when its label (or the part of its name after `: `) is a
    speaker label in the text, or when it is the source's only case and the text has one
    informant label or none. The source's own variables (as MAXQDA keeps an interviewee's
    attributes) go to the informant when the text has exactly one. The text's other speaker
    labels are declared too, with no attributes, so that qualcode still finds all their turns.
    Informants come in the order of their cases.
    """
    if not cases and not source_attributes:
        return {}, False
    text = source.text.text
    pattern = re.compile(DEFAULT_SPEAKER_PATTERN, re.MULTILINE)
    interviewer = set(DEFAULT_INTERVIEWER_LABELS)
    found = [
        t.speaker for t in find_turns(text, pattern, interviewer, set())
        if t.speaker and not t.is_interviewer
    ]
    labels = list(dict.fromkeys(found))
    out: dict[str, dict[str, str]] = {label: {} for label in labels}
    took = bool(source_attributes) and len(labels) == 1
    if took:
        out[labels[0]] = {k: v for k, v in source_attributes.items() if v}
    matched: list[str] = []
    for label, attrs in cases:
        choices = [label, label.rsplit(": ", 1)[-1]]
        match = next((c for c in choices if c in out), None)
        if match is None and len(cases) == 1 and len(labels) <= 1:
            match = labels[0] if labels else label
        if match is None:
            plan.skipped.append(
                f"case `{label}`: not a speaker in {source.name}, so its attributes were not "
                "imported"
            )
            continue
        out[match] = {**out.get(match, {}), **{k: v for k, v in attrs.items() if k and v}}
        matched.append(match)
    ordered = {label: out[label] for label in [*matched, *out]}  # the cases' order first
    return (ordered if any(ordered.values()) else {}), took


def _texts(project: RefiProject, notes: list[str], used: set[str]) -> list[str]:
    out = []
    for guid in notes:
        note = project.notes.get(guid)
        if note is not None:
            used.add(guid)
            out.append(note.text)
    return out


def _add(
    plan: Plan,
    codes: dict[str, str],
    coders: _Coders,
    tid: str,
    coding: RefiCoding,
    where: tuple[int, int],
    extra: list[str],
    project: RefiProject,
    used: set[str],
    lost: Counter[str],
) -> None:
    code = codes.get(coding.code)
    if code is None and coding.code in project.case_guids:
        lost["codings that assign a passage to a case (qualcode knows informants by their "
             "speaker labels)"] += 1
        return
    if code is None:
        lost["codings of a code that is not in the codebook"] += 1
        return
    memo = "\n\n".join(t for t in [*extra, *_texts(project, coding.notes, used)] if t.strip())
    coder = coders.name(coding.user)
    plan.codings.setdefault(coder, {}).setdefault(tid, []).append(
        PlannedCoding(where[0], where[1], code, memo)
    )


def _memo(
    plan: Plan,
    coders: _Coders,
    project: RefiProject,
    guid: str,
    target: tuple[str, str],
    used: set[str],
    passage: str = "",
) -> None:
    note = project.notes.get(guid)
    if note is None:
        return
    used.add(guid)
    _add_memo(plan, coders.name(note.user), target,
              f"{passage}: {note.text}" if passage else note.text)


def _add_memo(plan: Plan, coder: str, target: tuple[str, str], text: str) -> None:
    memos = plan.memos.setdefault(coder, {})
    memos[target] = "\n\n".join(t for t in (memos.get(target, ""), text) if t)


def _plan_code_memos(
    project: RefiProject, plan: Plan, coders: _Coders, codes: dict[str, str], used: set[str]
) -> None:
    for code in walk(project.codes):
        for note in code.note_refs:
            if code.guid in codes:
                _memo(plan, coders, project, note, ("code", codes[code.guid]), used)
