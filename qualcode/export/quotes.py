"""Choosing the quotes of a quote sheet: which coder, which codes, which informants.

`select_quotes(study, options)` reads the chosen coders' codings where they are in the current
text of their transcripts (see :func:`qualcode.store.anchoring.place_codings`; codings whose
text is gone are left out and counted in a warning) and turns each into a `Quote`:
the passage's exact text, who said it (with every informant attribute), the attribution made
from the study's template, where it is, and optionally its memo and the sentences around it.
The writers (Word, CSV, Excel) and the code-by-attribute matrix all work from this list.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from qualcode.errors import ExportError
from qualcode.export.checks import (
    CODE,
    attribution_warning,
    check_keys,
    check_where,
    code_scope,
    default_group_by,
    quote_attributes,
    quote_columns,
    resolve_coders,
    transcript_scope,
)
from qualcode.store.anchoring import Placement, place_in_transcripts, placement_notes
from qualcode.study.attribution import PEOPLE_SEPARATOR, format_attribution
from qualcode.study.study import Study
from qualcode.study.transcript import Informant, Transcript
from qualcode.wording import plural

Progress = Callable[[str, int, int], None]
"""`progress(stage, done, total)`: stage is `select` or `write`."""

_WORD = re.compile(r"\w+")
_CLOSERS = '"»”’)]'


@dataclass
class QuoteOptions:
    """What to put in a quote sheet. Empty lists mean "all"."""

    codes: list[str] = field(default_factory=list)
    """Code ids; each brings the codes below it. Empty: the whole codebook."""
    coders: list[str] = field(default_factory=list)
    """Coders (or `consensus`). Empty: consensus if it exists, else the only coder."""
    where: dict[str, list[str]] = field(default_factory=dict)
    """Attribute -> accepted values (any of them); several attributes must all match."""
    transcripts: list[str] = field(default_factory=list)
    """Transcript ids or patterns such as `nb-*`."""
    group_by: list[str] | None = None
    """Keys to group by, e.g. `["code", "role"]`. None: code, then role when informants have one."""
    min_words: int = 0
    context: int = 0
    """Sentences of context to show before and after each quote."""
    memos: bool = False
    language: str | None = None
    """Language of code labels and fixed texts; the study's language when None."""


@dataclass(frozen=True, slots=True)
class Quote:
    """One coded passage as it goes into a quote sheet."""

    code: str
    code_label: str
    code_path: str
    text: str
    """The passage exactly as in the transcript."""
    transcript: str
    start: int
    end: int
    line: int
    informants: tuple[Informant, ...]
    """Everyone whose turn the passage covers, in the order they speak (none for the
    interviewer's words)."""
    people: tuple[dict[str, str], ...]
    """Each informant's attributes plus `transcript`, `informant`, `speaker` and `form`; one
    entry with the transcript's keys only when the passage has no informant."""
    attributes: dict[str, str]
    """All speakers' values together, `; ` between different ones (one value for most quotes)."""
    attribution: str
    coders: tuple[str, ...]
    memo: str = ""
    before: str = ""
    after: str = ""
    words: int = 0
    stale: bool = False
    """True when the transcript was edited after coding and the passage was found at a new
    place there (the quote is the text at that place; `qualcode check --fix` stores it)."""

    @property
    def informant(self) -> Informant | None:
        """The first speaker (None for unattributed text)."""
        return self.informants[0] if self.informants else None

    def values(self, key: str) -> list[str]:
        """The speakers' different values of a grouping or filter key ('' for none)."""
        if key == CODE:
            return [self.code]
        return list(dict.fromkeys(person.get(key, "") for person in self.people))

    def value(self, key: str) -> str:
        """The quote's value for a key, as shown: `; ` between the speakers' different values
        (as in `attributes`)."""
        return self.code if key == CODE else self.attributes.get(key, "")

    def labels(self, keys: tuple[str, ...] | list[str]) -> list[str]:
        """Group labels for several keys, one per speaker: `Bedriftsleder · Agder`."""
        labels = []
        for person in self.people:
            parts = [self.code if key == CODE else person.get(key, "") for key in keys]
            labels.append(" · ".join(p for p in parts if p))
        return list(dict.fromkeys(labels))

    def informants_by(self, key: str) -> dict[str, list[tuple[str, str]]]:
        """Each value of `key` with the speakers (`informant_keys`) who have it."""
        if key == CODE or not self.informants:
            return {value: list(self.informant_keys) for value in self.values(key)}
        found: dict[str, list[tuple[str, str]]] = {}
        for informant, person in zip(self.informants, self.people, strict=True):
            found.setdefault(person.get(key, ""), []).append((self.transcript, informant.label))
        return found

    @property
    def informant_keys(self) -> tuple[tuple[str, str], ...]:
        """Identifies each speaker across the study."""
        return tuple((self.transcript, i.label) for i in self.informants)

    @property
    def informant_key(self) -> tuple[str, str] | None:
        """Identifies the first speaker across the study (None for unattributed text)."""
        keys = self.informant_keys
        return keys[0] if keys else None

    @property
    def coder(self) -> str:
        return ", ".join(self.coders)


@dataclass
class QuoteSelection:
    """The quotes chosen for a sheet, with what is needed to describe how they were chosen."""

    study: Study
    options: QuoteOptions
    coders: list[str]
    quotes: list[Quote]
    codes: list[str]
    """Code ids in scope, in codebook order."""
    group_by: list[str]
    language: str
    attributes: list[str]
    """Informant attributes used in the study (without `informant`)."""
    transcripts: list[str] = field(default_factory=list)
    """Transcript ids in scope."""
    warnings: list[str] = field(default_factory=list)

    def values(self, key: str) -> set[str]:
        """Values of `key` among the informants in scope (those the filters let through)."""
        accepted = {k: {v.casefold() for v in vs} for k, vs in self.options.where.items()}
        found: set[str] = set()
        for tid in self.transcripts:
            transcript = self.study.transcript(tid)
            for informant in transcript.informants.values():
                attributes = quote_attributes(transcript, informant)
                if all(attributes.get(k, "").casefold() in vs for k, vs in accepted.items()):
                    found.add(attributes.get(key, ""))
        return found

    @property
    def informant_count(self) -> int:
        return len({key for q in self.quotes for key in q.informant_keys})


# ---------------------------------------------------------------------------------------------
# Selecting


def select_quotes(
    study: Study, options: QuoteOptions, progress: Progress | None = None
) -> QuoteSelection:
    """The quotes the options ask for, in codebook order, then transcript order.

    Raises ExportError for an unknown coder, code, transcript or attribute, and when no
    quote is left after filtering (saying which filter removed them).
    """
    coders = resolve_coders(study, options.coders)
    scope = code_scope(study, options.codes)
    transcripts = transcript_scope(study, options.transcripts)
    group_by = options.group_by if options.group_by is not None else default_group_by(study)
    group_by = [g.strip() for g in group_by if g.strip()]
    check_keys(study, group_by, "--group-by")
    accepted = check_where(study, options.where)
    language = options.language or study.config.language

    in_scope = set(scope)
    chosen_transcripts = set(transcripts)
    merged: dict[tuple[str, int, int, str], dict] = {}
    counts = {"codings": 0, "codes": 0, "transcripts": 0, "placed": 0, "where": 0, "words": 0}
    unknown_codes: set[str] = set()
    known_transcripts = set(study.transcript_ids)
    lost_transcripts: set[str] = set()
    placements: dict[str, Placement] = {}
    texts: dict[str, Transcript] = {}
    for coder in coders:
        with study.store(coder) as store:
            codings = store.codings()
            memos = {m.target: m.text for m in store.memos("coding")} if options.memos else {}
        wanted = []
        for coding in codings:
            counts["codings"] += 1
            if coding.code not in study.codebook:
                unknown_codes.add(coding.code)
                continue
            if coding.code not in in_scope:
                continue
            counts["codes"] += 1
            if coding.transcript not in chosen_transcripts:
                if coding.transcript not in known_transcripts:
                    lost_transcripts.add(coding.transcript)
                continue
            counts["transcripts"] += 1
            wanted.append(coding)
        for tid in dict.fromkeys(c.transcript for c in wanted):
            if tid not in texts:
                texts[tid] = study.transcript(tid)
        placements[coder] = placement = place_in_transcripts(wanted, texts)
        counts["placed"] += len(placement.placed)
        moved = set(placement.moved)
        for coding in placement.placed:
            key = (coding.transcript, coding.start, coding.end, coding.code)
            entry = merged.get(key)
            if entry is None:
                entry = merged[key] = {"coding": coding, "coders": [], "memos": []}
                entry["moved"] = bool(moved) and coding in moved
            entry["coders"].append(coder)
            if memos.get(coding.id):
                entry["memos"].append((coder, memos[coding.id]))

    quotes: list[Quote] = []
    shared: list[Quote] = []
    total = len(merged)
    facts = _Facts(study, language)
    for done, (key, entry) in enumerate(sorted(merged.items(), key=lambda kv: kv[0])):
        if progress and done % 250 == 0:
            progress("select", done, total)
        quote = facts.quote(texts[key[0]], entry, options)
        if not _matches(quote, accepted):
            continue
        counts["where"] += 1
        if quote.words < options.min_words:
            continue
        counts["words"] += 1
        if len(quote.informants) > 1:
            shared.append(quote)
        quotes.append(quote)
    if progress:
        progress("select", total, total)

    order = {code_id: i for i, code_id in enumerate(study.codebook.ids)}
    quotes.sort(key=lambda q: (order[q.code], q.transcript, q.start, q.end))
    warnings = []
    if unknown_codes:
        warnings.append(
            "Codings with codes that are no longer in the codebook were left out: "
            + ", ".join(sorted(unknown_codes))
            + "."
        )
    if lost_transcripts:
        warnings.append(
            "Codings of transcripts that are no longer in the study were left out: "
            + ", ".join(sorted(lost_transcripts))
            + "."
        )
    warnings += placement_notes(placements)
    if shared:
        warnings.append(_shared_warning(shared))
    template_note = attribution_warning(study)
    if template_note:
        warnings.append(template_note)
    if not quotes:
        raise ExportError(
            "No quotes match: " + _funnel_text(counts, options, coders) + ".",
            hint="Loosen the filters (--codes, --where, --transcripts, --min-words) or choose "
            "another coder.",
        )
    attributes = quote_columns(study)
    return QuoteSelection(
        study,
        options,
        coders,
        quotes,
        scope,
        group_by,
        language,
        attributes,
        transcripts,
        warnings,
    )


def _shared_warning(quotes: list[Quote]) -> str:
    places = sorted({(q.transcript, q.line) for q in quotes})
    shown = ", ".join(f"{tid} line {line}" for tid, line in places[:3])
    more = f" and {len(places) - 3} more" if len(places) > 3 else ""
    return (
        f"{plural(len(quotes), 'quote')} {'spans' if len(quotes) == 1 else 'span'} the turns of "
        f"more than one informant ({shown}{more}); each is credited to all of them, in the "
        "attribution and in the counts."
    )


def speakers_of(transcript: Transcript, start: int, end: int) -> tuple[Informant, ...]:
    """Everyone whose turn the passage from `start` to `end` covers some words of.

    Interviewer turns and turns touched only at their label are left out.
    """
    first = transcript.turn_at(start)
    found: dict[str, Informant] = {}
    for turn in transcript.turns[first.index if first else 0 :]:
        if turn.label_start >= end:
            break
        if turn.is_interviewer:
            continue
        begin, stop = max(start, turn.start), min(end, turn.end)
        if begin >= stop or not transcript.text[begin:stop].strip():
            continue
        informant = transcript.informant_at(turn.start)
        if informant is not None:
            found.setdefault(informant.label, informant)
    return tuple(found.values())


def shared_attributes(people: tuple[dict[str, str], ...]) -> dict[str, str]:
    """Several speakers' attributes as one: their different values joined by `; `."""
    if len(people) == 1:
        return people[0]
    keys = dict.fromkeys(k for person in people for k in person)
    return {
        key: PEOPLE_SEPARATOR.join(v for v in dict.fromkeys(p.get(key, "") for p in people) if v)
        for key in keys
    }


class _Facts:
    """What many quotes share, worked out once: code labels, paths and attributions."""

    def __init__(self, study: Study, language: str) -> None:
        self.study = study
        self.language = language
        self.codes: dict[str, tuple[str, str]] = {}
        self.people: dict[tuple, tuple[tuple[dict[str, str], ...], dict[str, str], str]] = {}
        self.starts: dict[str, list[int]] = {}

    def code(self, code_id: str) -> tuple[str, str]:
        if code_id not in self.codes:
            code = self.study.codebook[code_id]
            path = self.study.codebook.path_label(code_id, self.language)
            self.codes[code_id] = (code.label(self.language), path)
        return self.codes[code_id]

    def person(self, transcript: Transcript, informants: tuple[Informant, ...]):
        """(each speaker's attributes, all of them together, the attribution)."""
        key = (transcript.id, *(i.label for i in informants))
        if key not in self.people:
            people = tuple(quote_attributes(transcript, i) for i in informants) or (
                quote_attributes(transcript, None),
            )
            extra = {"form": transcript.form} if transcript.form else {}
            attribution = format_attribution(self.study.config.attribution, informants, extra)
            self.people[key] = (people, shared_attributes(people), attribution)
        return self.people[key]

    def quote(self, transcript: Transcript, entry: dict, options: QuoteOptions) -> Quote:
        coding = entry["coding"]
        text = transcript.text[coding.start : coding.end]
        informants = speakers_of(transcript, coding.start, coding.end)
        before = after = ""
        if options.context > 0:
            if transcript.id not in self.starts:
                self.starts[transcript.id] = [s.start for s in transcript.sentences]
            before, after = context_around(
                transcript, coding.start, coding.end, options.context, self.starts[transcript.id]
            )
        memos = entry["memos"]
        if len(entry["coders"]) > 1:
            memo = "\n".join(f"{coder}: {text}" for coder, text in memos)
        else:
            memo = memos[0][1] if memos else ""
        label, path = self.code(coding.code)
        people, attributes, attribution = self.person(transcript, informants)
        return Quote(
            code=coding.code,
            code_label=label,
            code_path=path,
            text=text,
            transcript=transcript.id,
            start=coding.start,
            end=coding.end,
            line=transcript.line_of(coding.start),
            informants=informants,
            people=people,
            attributes=attributes,
            attribution=attribution,
            coders=tuple(entry["coders"]),
            memo=memo,
            before=before,
            after=after,
            words=len(_WORD.findall(text)),
            stale=entry["moved"],
        )


def _matches(quote: Quote, accepted: dict[str, set[str]]) -> bool:
    """True when one of the quote's speakers meets every condition."""
    return any(
        all(person.get(key, "").casefold() in values for key, values in accepted.items())
        for person in quote.people
    )


def context_around(
    transcript: Transcript, start: int, end: int, n: int, starts: list[int] | None = None
) -> tuple[str, str]:
    """The text of the `n` sentences before `start` and after `end`.

    A sentence the quote begins or ends inside contributes its remaining part on top of the
    `n` whole sentences, so the context always joins the quote seamlessly.
    """
    sentences = transcript.sentences
    if not sentences:
        return "", ""
    if starts is None:
        starts = [s.start for s in sentences]
    text = transcript.text
    i = bisect.bisect_left(starts, start) - 1  # last sentence starting before the quote
    before = ""
    if i >= 0:
        first = i - n + (0 if sentences[i].end > start else 1)
        first = max(first, 0)
        before = text[sentences[first].start : start] if first <= i else ""
    j = bisect.bisect_left(starts, end)  # first sentence starting at or after the end
    after = ""
    if j - 1 >= 0 and sentences[j - 1].end > end:  # the quote ends inside a sentence
        last = min(j - 1 + n, len(sentences) - 1)
    else:
        last = min(j + n - 1, len(sentences) - 1)
    if last >= j - 1 and last >= 0 and sentences[last].end > end:
        stop = sentences[last].end
        while stop < len(text) and text[stop] in _CLOSERS:  # `(…)`, `«…»` end after the stop
            stop += 1
        after = text[end:stop]
    return before.strip(), after.strip()


def _funnel_text(counts: dict[str, int], options: QuoteOptions, coders: list[str]) -> str:
    who = ", ".join(coders)
    if counts["codings"] == 0:
        return f"{who} has no codings"
    steps = [f"{plural(counts['codings'], 'coding')} by {who}"]
    if options.codes:
        steps.append(f"{counts['codes']} with the codes asked for")
    if options.transcripts:
        steps.append(f"{counts['transcripts']} in the transcripts asked for")
    if counts["placed"] < counts["transcripts"]:
        steps.append(f"{counts['placed']} whose text is still in the edited transcripts")
    if options.where:
        steps.append(f"{counts['where']} from the informants asked for")
    if options.min_words:
        steps.append(f"{counts['words']} of at least {options.min_words} words")
    return ", ".join(steps)
