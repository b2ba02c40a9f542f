"""The consensus layer: the coders' agreed codings plus the lead's settled decisions.

The consensus is an ordinary coder file, `codings/consensus.db`, so every command that takes
`--coder` can read it (`--coder consensus`). It is made from the compared coders' files, which
are never changed:

* codings every coder made exactly alike are copied;
* a settled disagreement contributes what the lead decided (one coder's codings, everyone's, or
  nothing); the decision is kept in the file's `settlements` table under the disagreement's key
  and applied again on every refresh;
* an open disagreement contributes nothing until it is settled.

Refreshing (`build_consensus`, `qualcode consensus`) can be repeated whenever coders add
codings. It only removes codings it wrote itself, so codings a lead added by hand in the
consensus layer stay. A decision whose passage a coder has since changed no longer matches any
disagreement: it is kept in the file, reported as *stale*, and not applied.

The review screen uses `find_disagreements` (in :mod:`qualcode.agreement.disagreements`),
`settle` and `reopen`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qualcode.agreement.disagreements import (
    Disagreement,
    Marked,
    Passages,
    Settlement,
    find_passages,
)
from qualcode.errors import AgreementError
from qualcode.store.anchoring import place_in_transcripts
from qualcode.study.study import CONSENSUS, Study
from qualcode.wording import joined, plural

__all__ = [
    "ConsensusSummary",
    "StaleDecision",
    "build_consensus",
    "consensus_coders",
    "outcome",
    "reopen",
    "resolve_decision",
    "settle",
    "what_changed",
]

META_CODERS = "consensus_coders"
META_BUILT = "consensus_built"


@dataclass(frozen=True)
class StaleDecision:
    """A decision kept in the consensus layer that no longer matches a disagreement."""

    settlement: Settlement
    line: int | None
    """File line where the settled passage starts (None when the transcript is gone)."""
    changes: list[str]
    """What changed since, in plain words: `jonas: distance.geographic 0–10 → 0–12`."""

    @property
    def key(self) -> str:
        return self.settlement.key

    @property
    def codes(self) -> list[str]:
        found = [m.code for m in self.settlement.marks] + [c for _, _, c in self.settlement.codings]
        return list(dict.fromkeys(found))

    def to_dict(self) -> dict[str, Any]:
        s = self.settlement
        return {
            "key": s.key,
            "transcript": s.transcript,
            "start": s.start,
            "end": s.end,
            "line": self.line,
            "codes": self.codes,
            "decision": s.decision,
            "memo": s.memo,
            "changes": self.changes,
        }


@dataclass
class ConsensusSummary:
    """What a refresh of the consensus layer found and did."""

    path: Path
    coders: tuple[str, ...]
    transcripts: list[str]
    agreed: int
    """Codings every coder made alike (copied)."""
    settled: int
    """Disagreements with a decision that was applied."""
    open: list[Disagreement]
    """Disagreements still waiting for a decision."""
    stale: list[StaleDecision] = field(default_factory=list)
    """Earlier decisions whose passage a coder has changed since: kept, not applied."""
    added: int = 0
    removed: int = 0
    by_hand: int = 0
    """Codings in the consensus layer that were added by hand (kept)."""
    left_out: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "coders": list(self.coders),
            "transcripts": self.transcripts,
            "agreed": self.agreed,
            "settled": self.settled,
            "open": len(self.open),
            "open_ids": [d.number for d in self.open],
            "stale": [s.to_dict() for s in self.stale],
            "added": self.added,
            "removed": self.removed,
            "by_hand": self.by_hand,
            "left_out": [{"transcript": t, "coded_by": list(b)} for t, b in self.left_out.items()],
            "notes": self.notes,
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def consensus_coders(study: Study) -> tuple[str, ...] | None:
    """The coders the study's consensus layer was made from (None when there is none yet)."""
    if not study.coder_path(CONSENSUS).exists():
        return None
    with study.store(CONSENSUS) as store:
        names = store.meta(META_CODERS)
    return tuple(names.split(",")) if names else None


def _open_consensus(study: Study, coders: tuple[str, ...]):
    """The consensus layer's file, created if needed; refuses a layer made from other coders."""
    store = study.store(CONSENSUS, create=True)
    made_from = store.meta(META_CODERS)
    if made_from and set(made_from.split(",")) != set(coders):
        store.close()
        raise AgreementError(
            f"The consensus layer was made from {made_from.replace(',', ', ')}, not from "
            f"{', '.join(coders)}.",
            path=store.path,
            hint="Use the same coders (`--coders " + made_from + "`). To start a new consensus "
            "from other coders, move codings/consensus.db out of the study first.",
        )
    if not made_from:
        store.set_meta(META_CODERS, ",".join(coders))
    return store


def resolve_decision(disagreement: Disagreement, decision: str) -> str:
    """`a`, `b`, ... (coders in the order compared), a coder's name, `both`/`all` or `neither`.

    Returns the coder's name, `both` or `neither`.
    """
    value = decision.strip()
    lowered = value.lower()
    if lowered in ("both", "all"):
        return "both"
    if lowered in ("neither", "none"):
        return "neither"
    if value in disagreement.coders:
        return value
    if len(lowered) == 1 and "a" <= lowered <= "z":
        index = ord(lowered) - ord("a")
        if index < len(disagreement.coders):
            return disagreement.coders[index]
    letters = ", ".join(f"{chr(ord('a') + i)} = {c}" for i, c in enumerate(disagreement.coders))
    raise AgreementError(
        f"`{decision}` is not a decision.",
        hint=f"Take one coder's codings ({letters}), `both` (everyone's) or `neither`.",
    )


def outcome(disagreement: Disagreement, decision: str) -> tuple[tuple[int, int, str], ...]:
    """The codings (start, end, code) the consensus keeps in the passage for a decision.

    One coder: that coder's codings there. `both`: every code any coder gave, over the stretch
    they marked, joined where the same code's stretches overlap. `neither`: nothing.
    """
    take = resolve_decision(disagreement, decision)
    if take == "neither":
        return ()
    if take != "both":
        return tuple(
            sorted((m.start, m.end, m.code) for m in disagreement.marks if m.coder == take)
        )
    out: list[tuple[int, int, str]] = []
    for code in disagreement.codes:
        reach: list[list[int]] = []
        for start, end in sorted((m.start, m.end) for m in disagreement.marks if m.code == code):
            if reach and start < reach[-1][1]:
                reach[-1][1] = max(reach[-1][1], end)
            else:
                reach.append([start, end])
        out.extend((a, b, code) for a, b in reach)
    return tuple(sorted(out))


def _span(mark: Marked) -> str:
    return f"{mark.code} {mark.start}–{mark.end}"


def _current_marks(passages: Passages, settlement: Settlement) -> list[Marked]:
    """Every compared coder's codings that now overlap a settled passage."""
    tid, start, end = settlement.transcript, settlement.start, settlement.end
    found = [
        Marked(coder, code, s, e)
        for t, s, e, code in passages.agreed
        if t == tid and s < end and e > start
        for coder in passages.coders
    ]
    for d in passages.disagreements:
        if d.transcript == tid:
            found += [m for m in d.marks if m.start < end and m.end > start]
    return found


def what_changed(passages: Passages, settlement: Settlement) -> list[str]:
    """How the coders' codings of a settled passage differ now from when it was settled."""
    if settlement.transcript not in passages.transcripts:
        return ["the transcript is no longer coded by every compared coder"]
    if not settlement.marks:
        return ["a coder changed the codings in this passage"]
    now = _current_marks(passages, settlement)
    changes = []
    for coder in passages.coders:
        before = sorted({(m.code, m.start, m.end) for m in settlement.marks if m.coder == coder})
        after = sorted({(m.code, m.start, m.end) for m in now if m.coder == coder})
        gone = [Marked(coder, *m) for m in before if m not in after]
        new = [Marked(coder, *m) for m in after if m not in before]
        if len(gone) == 1 and len(new) == 1 and gone[0].code == new[0].code:
            changes.append(f"{coder}: {_span(gone[0])} → {new[0].start}–{new[0].end}")
            continue
        changes += [f"{coder} removed {_span(m)}" for m in gone]
        changes += [f"{coder} added {_span(m)}" for m in new]
    return changes or ["codings next to the passage changed, so it is now part of another one"]


def _stale(study: Study, passages: Passages, settlement: Settlement) -> StaleDecision:
    line = None
    if settlement.transcript in study.transcript_ids:
        line = study.transcript(settlement.transcript).line_of(settlement.start)
    return StaleDecision(settlement, line, what_changed(passages, settlement))


def _where_now(
    study: Study, passages: Passages, codings: list
) -> dict[str, tuple[str, int, int, str] | None]:
    """Where each of the consensus layer's own codings is in the current text of the compared
    transcripts (None when its text is gone), so that an edited transcript does not make the
    layer throw away and copy again codings that are still right, only moved."""
    texts = {tid: study.transcript(tid) for tid in passages.transcripts}
    placement = place_in_transcripts(codings, texts)
    out: dict[str, tuple[str, int, int, str] | None] = {
        c.id: (c.transcript, c.start, c.end, c.code) for c in codings
    }
    out.update({c.id: None for c in placement.lost})
    out.update({c.id: (c.transcript, c.start, c.end, c.code) for c in placement.placed})
    return out


def _refresh(study: Study, passages: Passages, scope: list[str] | None) -> ConsensusSummary:
    """Bring the consensus layer in line with the passages (only `scope` transcripts if given)."""
    wanted = set(passages.agreed)
    settled = 0
    open_ones: list[Disagreement] = []
    matched: set[str] = set()
    for d in passages.disagreements:
        if d.settlement is None:
            open_ones.append(d)
            continue
        settled += 1
        matched.add(d.key)
        wanted |= {(d.transcript, s, e, c) for s, e, c in d.settlement.codings}
    in_scope = set(scope) if scope is not None else None
    summary = ConsensusSummary(
        path=study.coder_path(CONSENSUS),
        coders=passages.coders,
        transcripts=passages.transcripts,
        agreed=len(passages.agreed),
        settled=settled,
        open=open_ones,
        stale=[
            _stale(study, passages, s)
            for s in passages.settlements
            if s.key not in matched and (in_scope is None or s.transcript in in_scope)
        ],
        left_out=passages.left_out,
        notes=list(passages.notes),
    )
    with _open_consensus(study, passages.coders) as store:
        built = set(json.loads(store.meta(META_BUILT) or "[]"))
        if in_scope is None:
            current = store.codings()
        else:
            current = [c for t in sorted(in_scope) for c in store.codings(transcript=t)]
        now = _where_now(study, passages, current)
        remove = [
            c.id
            for c in current
            if c.id in built
            and (in_scope is None or c.transcript in in_scope)
            and now[c.id] not in wanted
        ]
        if remove:
            store.remove_codings(remove, "Refresh consensus: remove what no longer holds")
        gone = set(remove)
        present = {now[c.id] for c in current if c.id not in gone}
        adding: dict[str, list[tuple[int, int, str]]] = {}
        for tid, start, end, code in sorted(wanted - present):
            adding.setdefault(tid, []).append((start, end, code))
        who = joined(passages.coders)
        for tid, spans in adding.items():
            made = store.add_codings(study.transcript(tid), spans, f"Consensus of {who}: {tid}")
            built.update(c.id for c in made)
        built -= gone
        store.set_meta(META_BUILT, json.dumps(sorted(built)))
        summary.added = sum(len(s) for s in adding.values())
        summary.removed = len(remove)
        summary.by_hand = sum(1 for c in current if c.id not in built and c.id not in gone)
        if in_scope is not None:
            summary.by_hand = max(0, store.count() - len(built))
    if summary.stale:
        n = len(summary.stale)
        summary.notes.append(
            f"{plural(n, 'earlier decision')} no longer "
            f"{'matches' if n == 1 else 'match'} a disagreement, because a coder changed "
            f"{'that passage' if n == 1 else 'those passages'} since; "
            f"{'it was' if n == 1 else 'they were'} kept but not applied."
        )
    return summary


def build_consensus(
    study: Study, coders: list[str] | tuple[str, ...] | None = None
) -> ConsensusSummary:
    """Build or refresh the consensus layer from `coders`.

    Without coders: those the layer was made from, else every coder in the study.
    """
    chosen = tuple(coders) if coders else consensus_coders(study)
    passages = find_passages(study, chosen)
    return _refresh(study, passages, None)


def _current(study: Study, disagreement: Disagreement) -> Passages:
    passages = find_passages(study, disagreement.coders, transcripts=[disagreement.transcript])
    if disagreement.key not in {d.key for d in passages.disagreements}:
        raise AgreementError(
            f"Disagreement {disagreement.number} in `{disagreement.transcript}` has changed since "
            "it was listed: a coder has changed the codings in that passage.",
            hint="List the disagreements again (`qualcode disagreements`) and settle the new one.",
        )
    return passages


def settle(
    disagreement: Disagreement,
    decision: str,
    memo: str = "",
    *,
    study: Study | None = None,
) -> Settlement:
    """Settle a disagreement and apply the decision to the consensus layer at once.

    `decision` is `a`/`b`/... (the coders in the order compared), a coder's name, `both` or
    `neither`. Settling again replaces the earlier decision. Returns the stored settlement.
    """
    study = study or Study.open(disagreement.root)
    take = resolve_decision(disagreement, decision)
    passages = _current(study, disagreement)
    codings = outcome(disagreement, take)
    settlement = Settlement(
        key=disagreement.key,
        transcript=disagreement.transcript,
        start=disagreement.start,
        end=disagreement.end,
        decision=take,
        codings=codings,
        memo=memo.strip(),
        at=_now(),
    )
    detail = {
        "coders": list(disagreement.coders),
        "kind": disagreement.kind,
        "codings": [list(c) for c in codings],
        "marks": [[m.coder, m.code, m.start, m.end] for m in disagreement.marks],
    }
    with _open_consensus(study, disagreement.coders) as store:
        store.save_settlement(
            {
                "id": settlement.key,
                "transcript": settlement.transcript,
                "start": settlement.start,
                "end": settlement.end,
                "decision": settlement.decision,
                "detail": json.dumps(detail, ensure_ascii=False),
                "memo": settlement.memo,
                "at": settlement.at,
            }
        )
    _apply(study, passages, disagreement.key, settlement)
    return settlement


def _apply(study: Study, passages: Passages, key: str, settlement: Settlement | None) -> None:
    from dataclasses import replace

    passages.disagreements = [
        replace(d, settlement=settlement) if d.key == key else d for d in passages.disagreements
    ]
    _refresh(study, passages, [passages.transcripts[0]] if passages.transcripts else [])


def reopen(disagreement: Disagreement, *, study: Study | None = None) -> bool:
    """Forget the decision on a disagreement; its codings leave the consensus layer.

    Returns False when it had no decision.
    """
    study = study or Study.open(disagreement.root)
    if not study.coder_path(CONSENSUS).exists():
        return False
    with study.store(CONSENSUS) as store:
        removed = store.delete_settlement(disagreement.key)
    if removed:
        try:
            passages = _current(study, disagreement)
        except AgreementError:
            return True
        _apply(study, passages, disagreement.key, None)
    return removed
