"""Where coders disagree: passages to look at, one by one, and settle.

For every transcript all compared coders have coded, each coder's codings of one code are first
merged where they overlap. Then, per code, stretches that overlap across coders form a
*cluster*:

* every coder marked the cluster with exactly the same stretches → **agreed**;
* every coder marked it, but the stretches differ → **boundaries differ**;
* some coders did not mark it at all → the cluster is *partial*.

Partial clusters of different codes that overlap in the text are looked at together: when every
coder coded something there, only with different codes, the disagreement is a **different
code**; otherwise it is **one coder only** (or, with three or more coders, **not every coder**).

Codings are compared where they are in the current text of their transcript: one whose
transcript was edited is found again as `qualcode check` finds it, and one whose text is gone is
left out and counted in a note (see :func:`qualcode.store.anchoring.place_codings`).

Each disagreement has a number (its place in text order, over the compared transcripts) and a
key made of the codings it consists of. A settled decision, and a memo written before it, are
remembered under that key with the passage's text, so they follow the passage when the
transcript is edited (see :mod:`qualcode.agreement.decisions`); a coder who changes the codings
makes it a new disagreement.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from qualcode.agreement.decisions import (
    Found,
    Marked,
    Settlement,
    follow,
    passage_key,
    read_settlements,
)
from qualcode.agreement.material import (
    check_coders,
    common_transcripts,
    place_coders,
    read_codings,
    select_transcripts,
)
from qualcode.agreement.review_notes import PendingMemo, read_pending_memos
from qualcode.errors import AgreementError
from qualcode.store.anchoring import placement_notes
from qualcode.study.study import Study
from qualcode.study.transcript import Transcript

__all__ = [
    "KINDS",
    "Disagreement",
    "Marked",
    "Passages",
    "Settlement",
    "find_disagreements",
    "find_passages",
    "select_disagreements",
]

KINDS = {
    "one-coder-only": "one coder only",
    "not-every-coder": "not every coder",
    "different-code": "different code",
    "boundaries-differ": "boundaries differ",
}
"""Kind of disagreement -> how it reads."""


@dataclass(frozen=True)
class Disagreement:
    """A passage where the compared coders did not code alike."""

    number: int
    """Its place in text order over the compared transcripts (1-based), for `--id`."""
    key: str
    """Stays the same while nobody changes the codings it is made of."""
    root: Path
    """The study folder."""
    coders: tuple[str, ...]
    """The compared coders, in the order given (`a` is the first, `b` the second, ...)."""
    transcript: str
    start: int
    end: int
    kind: str
    """One of KINDS."""
    marks: tuple[Marked, ...]
    """Every compared coder's codings that make up the disagreement."""
    text: str
    """The transcript's text from `start` to `end`."""
    line: int
    """File line where the passage starts."""
    settlement: Settlement | None = None
    pending: PendingMemo | None = None
    """A memo on why written before the decision, waiting for it (None: none)."""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.code for m in self.marks))

    @property
    def settled(self) -> bool:
        return self.settlement is not None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def by_coder(self) -> dict[str, list[Marked]]:
        """Each compared coder's marks (an empty list for a coder who coded nothing here)."""
        out: dict[str, list[Marked]] = {c: [] for c in self.coders}
        for mark in self.marks:
            out[mark.coder].append(mark)
        return out

    def to_dict(self) -> dict:
        settlement = self.settlement
        return {
            "id": self.number,
            "key": self.key,
            "transcript": self.transcript,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "kind": self.kind,
            "text": self.text,
            "coders": {
                coder: [{"code": m.code, "start": m.start, "end": m.end} for m in marks]
                for coder, marks in self.by_coder().items()
            },
            "settled": None
            if settlement is None
            else {
                "decision": settlement.decision,
                "by_hand": settlement.by_hand,
                "codings": [list(c) for c in settlement.codings],
                "memo": settlement.memo,
                "at": settlement.at,
            },
            "pending_memo": None if self.pending is None else self.pending.memo,
        }


@dataclass
class Passages:
    """Agreed codings and disagreements over the transcripts all compared coders coded."""

    coders: tuple[str, ...]
    transcripts: list[str]
    agreed: list[tuple[str, int, int, str]]
    """(transcript, start, end, code) that every coder coded exactly alike."""
    disagreements: list[Disagreement]
    left_out: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    settlements: list[Settlement] = field(default_factory=list)
    """Every settlement in the consensus layer (also those that no longer match), at its
    passage's place in the current text where it can be found there."""
    found: dict[str, Found] = field(default_factory=dict)
    """Settlement key -> where its passage is in the current text (`gone`: not there)."""
    pending_memos: list[PendingMemo] = field(default_factory=list)
    """Every memo waiting for a decision (also those whose passage has changed)."""


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _clusters(marks: list[Marked]) -> list[list[Marked]]:
    """Marks joined wherever they overlap (transitively), in text order."""
    out: list[list[Marked]] = []
    reach = -1
    for mark in sorted(marks, key=lambda m: (m.start, m.end, m.coder, m.code)):
        if out and mark.start < reach:
            out[-1].append(mark)
            reach = max(reach, mark.end)
        else:
            out.append([mark])
            reach = mark.end
    return out


def transcript_passages(
    transcript: str, coders: tuple[str, ...], codings: dict[str, list]
) -> tuple[list[tuple[str, int, int, str]], list[tuple[str, list[Marked]]]]:
    """Agreed codings and disagreements (kind, marks) in one transcript.

    `codings` holds each coder's codings of this transcript.
    """
    by_code: dict[str, list[Marked]] = {}
    for coder in coders:
        spans: dict[str, list[tuple[int, int]]] = {}
        for c in codings.get(coder, []):
            spans.setdefault(c.code, []).append((c.start, c.end))
        for code, found in spans.items():
            by_code.setdefault(code, []).extend(Marked(coder, code, s, e) for s, e in _merge(found))
    agreed: list[tuple[str, int, int, str]] = []
    found_disagreements: list[tuple[str, list[Marked]]] = []
    partial: list[Marked] = []
    everyone = set(coders)
    for code in sorted(by_code):
        for cluster in _clusters(by_code[code]):
            present = {m.coder for m in cluster}
            if present != everyone:
                partial.extend(cluster)
                continue
            shapes = {
                coder: sorted((m.start, m.end) for m in cluster if m.coder == coder)
                for coder in coders
            }
            first = shapes[coders[0]]
            if all(shape == first for shape in shapes.values()):
                agreed.extend((transcript, s, e, code) for s, e in first)
            else:
                found_disagreements.append(("boundaries-differ", cluster))
    # Partial clusters of different codes that overlap are one passage.
    for group in _clusters(partial):
        present = {m.coder for m in group}
        if present == everyone:
            kind = "different-code"
        elif len(present) == 1:
            kind = "one-coder-only"
        else:
            kind = "not-every-coder"
        found_disagreements.append((kind, group))
    return agreed, found_disagreements


def find_passages(
    study: Study,
    coders: list[str] | tuple[str, ...] | None = None,
    *,
    transcripts: list[str] | None = None,
) -> Passages:
    """Agreed codings and every disagreement, numbered in text order, with their settlements."""
    chosen = check_coders(study, list(coders) if coders else None, allow_consensus=False)
    wanted = select_transcripts(study, transcripts)
    codings = read_codings(study, chosen, wanted)
    common, left_out, notes = common_transcripts(study, chosen, codings, wanted)
    texts = {tid: study.transcript(tid) for tid in common}
    placed = place_coders(codings, texts)
    notes += placement_notes(placed)
    per_transcript: dict[str, dict[str, list]] = {t: {c: [] for c in chosen} for t in common}
    for coder in chosen:
        for c in placed[coder].placed:
            per_transcript[c.transcript][coder].append(c)
    agreed: list[tuple[str, int, int, str]] = []
    found: list[Disagreement] = []
    for tid in common:
        ok, disputed = transcript_passages(tid, chosen, per_transcript[tid])
        agreed.extend(ok)
        found += [_disagreement(study, chosen, texts[tid], kind, marks) for kind, marks in disputed]
    order = {tid: i for i, tid in enumerate(common)}
    found.sort(key=lambda d: (order[d.transcript], d.start, d.end, d.key))
    keys = [d.key for d in found]
    settled = follow(read_settlements(study), keys, texts)
    waiting = follow(read_pending_memos(study), keys, texts)
    numbered = [
        replace(d, number=i, settlement=settled.matched.get(d.key),
                pending=waiting.matched.get(d.key))
        for i, d in enumerate(found, start=1)
    ]
    return Passages(chosen, common, agreed, numbered, left_out, notes, settled.placed,
                    settled.found, waiting.placed)


def _disagreement(
    study: Study, coders: tuple[str, ...], transcript: Transcript, kind: str, marks: list[Marked]
) -> Disagreement:
    key, start, end = passage_key(transcript.id, marks)
    return Disagreement(
        number=0,
        key=key,
        root=study.root,
        coders=coders,
        transcript=transcript.id,
        start=start,
        end=end,
        kind=kind,
        marks=tuple(sorted(marks, key=lambda m: (coders.index(m.coder), m.start, m.code))),
        text=transcript.text[start:end],
        line=transcript.line_of(start),
    )


def select_disagreements(
    study: Study,
    coders: list[str] | tuple[str, ...] | None = None,
    *,
    code: str | None = None,
    transcripts: list[str] | None = None,
    open_only: bool = False,
) -> Passages:
    """The disagreements to review, with the transcripts compared and those left out.

    `code` keeps those involving that code or a code below it; `open_only` those not settled
    yet. Numbers do not change when the list is filtered, so `settle --id N` always means the
    same passage.
    """
    if code is not None and code not in study.codebook:
        raise AgreementError(
            f"There is no code `{code}` in the codebook.", hint=study.codebook.suggest_hint(code)
        )
    passages = find_passages(study, coders, transcripts=transcripts)
    found = passages.disagreements
    if code is not None:
        family = {code, *(c.id for c in study.codebook.descendants(code))}
        found = [d for d in found if family & set(d.codes)]
    if open_only:
        found = [d for d in found if not d.settled]
    return replace(passages, disagreements=found)


def find_disagreements(
    study: Study,
    coders: list[str] | tuple[str, ...] | None = None,
    *,
    code: str | None = None,
    transcripts: list[str] | None = None,
    open_only: bool = False,
) -> list[Disagreement]:
    """Every disagreement between `coders` (all coders when None), in text order.

    As :func:`select_disagreements`, without the transcripts compared and left out.
    """
    return select_disagreements(
        study, coders, code=code, transcripts=transcripts, open_only=open_only
    ).disagreements
