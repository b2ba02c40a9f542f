"""What a lead decided on a disagreement, and how a decision finds its passage again.

A decision (a *settlement*) is kept in the consensus layer's `settlements` table under the key
of the disagreement it settled: a digest of the coders' codings it is made of. With it go the
passage's text and the fingerprint of the transcript it was settled on. When the transcript is
edited and the passage moves, the decision follows it: the passage's text is looked for in the
current text as a coding's quote is (:func:`qualcode.store.anchoring.anchor`), the coders'
codings it was settled on move with it, and the disagreement they make there now is the one it
settles. A decision whose passage's text is gone or was changed, or whose codings a coder has
changed since, settles nothing: it is kept and reported (see
:class:`qualcode.agreement.consensus.StaleDecision`), never dropped.

The kinds of decision: a coder's name (that coder's codings are kept), `both` (everyone's),
`neither` (none) and `hand` (the passage was coded by hand in the consensus layer, which keeps
what the lead coded there).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Generic, Literal, Protocol, TypeVar

from qualcode.store.anchoring import anchor
from qualcode.store.coder_store import Coding
from qualcode.study.study import CONSENSUS, Study
from qualcode.study.transcript import Transcript

__all__ = [
    "BOTH",
    "HAND",
    "NEITHER",
    "Following",
    "Marked",
    "Settlement",
    "follow",
    "marks_value",
    "passage_key",
    "read_marks",
    "read_settlements",
]

BOTH = "both"
"""Every coder's codings are kept."""
NEITHER = "neither"
"""No coding is kept: the passage stays uncoded."""
HAND = "hand"
"""The passage was coded by hand in the consensus layer: what the lead coded there is kept."""

LEGACY_BY_HAND = "review_by_hand"
"""Meta key of older consensus layers: keys of disagreements settled by coding by hand, which
were stored as `neither`. They are read as `hand`."""

Found = Literal["same", "moved", "edited", "gone"]
"""Where a passage is now: where it was, moved as it was, found with its text changed, or gone."""


@dataclass(frozen=True, slots=True)
class Marked:
    """A coder's (merged) coding of one code, as it takes part in a disagreement."""

    coder: str
    code: str
    start: int
    end: int

    def shifted(self, by: int) -> Marked:
        return replace(self, start=self.start + by, end=self.end + by)


def marks_value(marks: Iterable[Marked]) -> list[list]:
    """Marks as they are kept in the consensus layer: [coder, code, start, end] each."""
    return [[m.coder, m.code, m.start, m.end] for m in marks]


def read_marks(value: Iterable) -> tuple[Marked, ...]:
    """Marks kept as `marks_value` wrote them (TypeError or ValueError when they are not)."""
    return tuple(Marked(str(coder), str(code), int(s), int(e)) for coder, code, s, e in value)


def passage_key(transcript: str, marks: Iterable[Marked]) -> tuple[str, int, int]:
    """The key of the disagreement the marks make up, and the passage they cover."""
    ordered = sorted((m.coder, m.code, m.start, m.end) for m in marks)
    start = min(m[2] for m in ordered)
    end = max(m[3] for m in ordered)
    digest = hashlib.sha1(
        json.dumps([transcript, ordered], ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:10]
    return f"{transcript}:{start}-{end}:{digest}", start, end


@dataclass(frozen=True)
class Settlement:
    """A lead's decision on a disagreement, kept in the consensus layer."""

    key: str
    """The key it is stored under: that of the disagreement it settled, when it was settled."""
    transcript: str
    start: int
    end: int
    decision: str
    """A coder's name (their codings were taken), `both` (everyone's), `neither` or `hand`."""
    codings: tuple[tuple[int, int, str], ...]
    """What the consensus keeps in the passage: (start, end, code). For `hand`, what the
    consensus layer held there when it was settled."""
    memo: str = ""
    at: str = ""
    marks: tuple[Marked, ...] = ()
    """The coders' codings of the passage when it was settled."""
    quote: str = ""
    """The passage's text when it was settled (empty in older consensus layers)."""
    text_hash: str = ""
    """Fingerprint of the transcript's text it was settled on (empty in older layers)."""

    @property
    def by_hand(self) -> bool:
        return self.decision == HAND

    @classmethod
    def from_row(cls, row: dict, by_hand: bool = False) -> Settlement:
        """A settlement as stored; `by_hand` reads an older `neither` coded by hand as `hand`."""
        detail = json.loads(row["detail"] or "{}")
        codings = tuple((int(s), int(e), str(c)) for s, e, c in detail.get("codings", []))
        marks = read_marks(detail.get("marks", []))
        decision = HAND if by_hand and row["decision"] == NEITHER else row["decision"]
        return cls(
            row["id"],
            row["transcript"],
            int(row["start"]),
            int(row["end"]),
            decision,
            codings,
            row["memo"] or "",
            row["at"],
            marks,
            str(detail.get("quote", "")),
            str(detail.get("text_hash", "")),
        )

    def to_row(self, coders: Sequence[str], kind: str) -> dict:
        """The row the settlements table keeps (see `CoderStore.save_settlement`)."""
        detail = {
            "coders": list(coders),
            "kind": kind,
            "codings": [list(c) for c in self.codings],
            "marks": marks_value(self.marks),
            "quote": self.quote,
            "text_hash": self.text_hash,
        }
        return {
            "id": self.key,
            "transcript": self.transcript,
            "start": self.start,
            "end": self.end,
            "decision": self.decision,
            "detail": json.dumps(detail, ensure_ascii=False),
            "memo": self.memo,
            "at": self.at,
        }

    def placed(self, start: int, end: int) -> Settlement:
        """The settlement with its passage at `start`–`end`, everything in it moved alike."""
        by = start - self.start
        return replace(
            self,
            start=start,
            end=end,
            codings=tuple((s + by, e + by, c) for s, e, c in self.codings),
            marks=tuple(m.shifted(by) for m in self.marks),
        )


def legacy_by_hand(value: str | None) -> set[str]:
    """The keys an older consensus layer noted as settled by coding by hand."""
    try:
        found = json.loads(value) if value else []
    except ValueError:
        return set()
    return {str(k) for k in found} if isinstance(found, list) else set()


def read_settlements(study: Study) -> list[Settlement]:
    """Every settlement kept in the consensus layer (none when there is no consensus yet)."""
    if not study.coder_path(CONSENSUS).exists():
        return []
    with study.store(CONSENSUS) as store:
        by_hand = legacy_by_hand(store.meta(LEGACY_BY_HAND))
        return [Settlement.from_row(row, row["id"] in by_hand) for row in store.settlements()]


# -- finding a passage again ---------------------------------------------------------------------


class Kept(Protocol):
    """Something kept for a passage (a settlement, a memo waiting for its decision)."""

    key: str
    transcript: str
    start: int
    end: int
    quote: str
    text_hash: str
    marks: tuple[Marked, ...]

    def placed(self, start: int, end: int): ...


K = TypeVar("K", bound=Kept)


def find_again(item: Kept, transcript: Transcript) -> tuple[Found, int, int]:
    """Where the passage of `item` is in the transcript's current text."""
    if not item.quote or item.text_hash == transcript.hash:
        return "same", item.start, item.end
    probe = Coding(item.key, item.transcript, item.start, item.end, "", item.quote,
                   item.text_hash, "", "")
    found = anchor(probe, transcript)
    if found.status == "lost":
        return "gone", item.start, item.end
    if found.status == "fuzzy":
        return "edited", found.start, found.end
    return ("same" if found.status == "ok" else "moved"), found.start, found.end


@dataclass
class Following(Generic[K]):
    """Kept items matched with the disagreements of the current text."""

    matched: dict[str, K] = field(default_factory=dict)
    """Current disagreement key -> the item that goes with it (at its current place)."""
    placed: list[K] = field(default_factory=list)
    """Every item, at its place in the current text (where it was when it cannot be found)."""
    found: dict[str, Found] = field(default_factory=dict)
    """Stored key -> where its passage is now (`gone`: its text is no longer there)."""


def follow(
    items: Sequence[K], keys: Iterable[str], texts: Mapping[str, Transcript]
) -> Following[K]:
    """Match kept items with the current disagreements (`keys`) in the current `texts`.

    An item stored under a current key goes with that disagreement. Any other is looked for in
    the current text of its transcript: when its passage moved as it was, its codings move
    with it, and it goes with the disagreement they make there now (unless one stored under
    that key is kept already). Later items win over earlier ones for the same disagreement.
    """
    current = set(keys)
    out: Following[K] = Following()
    for item in items:
        out.found[item.key] = "same"
        if item.key in current:
            out.matched[item.key] = item
    for item in items:
        if item.key in current or item.transcript not in texts:
            out.placed.append(item)
            continue
        where, start, end = find_again(item, texts[item.transcript])
        out.found[item.key] = where
        if where == "gone":
            out.placed.append(item)
            continue
        moved = item.placed(start, end) if where != "same" else item
        out.placed.append(moved)
        if where == "edited" or not moved.marks:
            continue
        key = passage_key(moved.transcript, moved.marks)[0]
        if key in current and (key not in out.matched or out.matched[key].key != key):
            out.matched[key] = moved
    return out
