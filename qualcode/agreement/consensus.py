"""The consensus layer: the coders' agreed codings plus the lead's settled decisions.

The consensus is an ordinary coder file, `codings/consensus.db`, so every command that takes
`--coder` can read it (`--coder consensus`). It is made from the compared coders' files, which
are never changed:

* codings every coder made exactly alike are copied;
* a settled disagreement contributes what the lead decided (one coder's codings, everyone's,
  nothing, or what the lead coded there by hand in the consensus layer); the decision is kept in
  the file's `settlements` table and applied again on every refresh;
* an open disagreement contributes nothing until it is settled.

Refreshing (`build_consensus`, `qualcode consensus`) can be repeated whenever coders add
codings. It never undoes what the lead did in the consensus layer: codings the lead added,
resized, recoded or removed by hand stay as the lead left them, and only codings the refresh
wrote itself and nobody touched since are replaced (see :mod:`qualcode.agreement.built`).

A decision keeps its passage's text, so it follows the passage when the transcript is edited
(see :mod:`qualcode.agreement.decisions`). A decision whose passage a coder has since changed,
or whose text is gone from the transcript, no longer matches any disagreement: it is kept in
the file, reported as *stale*, and not applied.

The review screen uses `find_disagreements` (in :mod:`qualcode.agreement.disagreements`),
`settle` and `reopen`; memos written before a decision are kept by
:mod:`qualcode.agreement.review_notes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qualcode.agreement.built import Built, read_built, write_built
from qualcode.agreement.decisions import (
    BOTH,
    HAND,
    LEGACY_BY_HAND,
    NEITHER,
    legacy_by_hand,
)
from qualcode.agreement.disagreements import (
    Disagreement,
    Marked,
    Passages,
    Settlement,
    find_passages,
)
from qualcode.agreement.review_notes import (
    PendingMemo,
    drop_pending_memo,
    in_passage,
    keep_pending_memo,
)
from qualcode.errors import AgreementError
from qualcode.store.anchoring import place_in_transcripts
from qualcode.store.coder_store import CoderStore, Coding
from qualcode.study.study import CONSENSUS, Study
from qualcode.wording import joined, plural, plural_form

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


@dataclass(frozen=True)
class StaleDecision:
    """A decision kept in the consensus layer that no longer matches a disagreement."""

    settlement: Settlement
    """The decision, at its passage's place in the current text where it can be found."""
    line: int | None
    """File line where the settled passage starts (None when the transcript or the passage's
    text is gone)."""
    changes: list[str]
    """What changed since, in plain words: `jonas: distance.geographic 0–10 → 0–12`."""
    passage: str = "same"
    """Where its passage is now: `same`, `moved`, `edited` (its text was changed) or `gone`
    (its text is no longer in the transcript)."""

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
            "by_hand": s.by_hand,
            "memo": s.memo,
            "changes": self.changes,
            "text": s.quote,
            "passage": self.passage,
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
    """Disagreements still waiting for a decision (with a memo on why, when one was written)."""
    stale: list[StaleDecision] = field(default_factory=list)
    """Earlier decisions whose passage has changed since: kept, not applied."""
    added: int = 0
    removed: int = 0
    by_hand: int = 0
    """Codings in the consensus layer (in the transcripts refreshed) that are the lead's: added
    or changed by hand, or in a passage settled by hand. Kept as they are."""
    removed_by_hand: int = 0
    """Codings a refresh wrote that the lead removed by hand: not written again."""
    settled_by_hand: int = 0
    """Of the settled disagreements, those settled by coding the passage by hand."""
    stale_memos: list[PendingMemo] = field(default_factory=list)
    """Memos written before a decision whose passage has changed since: kept, not shown."""
    left_out: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def waiting(self) -> list[Disagreement]:
        """The open disagreements with a memo on why, waiting for the decision."""
        return [d for d in self.open if d.pending is not None]

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "coders": list(self.coders),
            "transcripts": self.transcripts,
            "agreed": self.agreed,
            "settled": self.settled,
            "settled_by_hand": self.settled_by_hand,
            "open": len(self.open),
            "open_ids": [d.number for d in self.open],
            "pending_memos": [_waiting(d) for d in self.waiting],
            "stale": [s.to_dict() for s in self.stale],
            "stale_memos": [
                {"key": m.key, "transcript": m.transcript, "start": m.start, "end": m.end,
                 "text": m.quote, "memo": m.memo}
                for m in self.stale_memos
            ],
            "added": self.added,
            "removed": self.removed,
            "by_hand": self.by_hand,
            "removed_by_hand": self.removed_by_hand,
            "left_out": [{"transcript": t, "coded_by": list(b)} for t, b in self.left_out.items()],
            "notes": self.notes,
        }


def _waiting(d: Disagreement) -> dict[str, Any]:
    return {"id": d.number, "key": d.key, "transcript": d.transcript, "line": d.line,
            "memo": d.pending.memo if d.pending else ""}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def consensus_coders(study: Study) -> tuple[str, ...] | None:
    """The coders the study's consensus layer was made from (None when there is none yet)."""
    if not study.coder_path(CONSENSUS).exists():
        return None
    with study.store(CONSENSUS) as store:
        names = store.meta(META_CODERS)
    return tuple(names.split(",")) if names else None


def _open_consensus(study: Study, coders: tuple[str, ...]) -> CoderStore:
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
    _upgrade_by_hand(store)
    return store


def _upgrade_by_hand(store: CoderStore) -> None:
    """Older layers stored a passage settled by hand as `neither` plus a note: make it `hand`."""
    keys = legacy_by_hand(store.meta(LEGACY_BY_HAND))
    if not keys:
        return
    for row in store.settlements():
        if row["id"] in keys and row["decision"] == NEITHER:
            store.save_settlement({**row, "decision": HAND})
    store.set_meta(LEGACY_BY_HAND, "[]")


def resolve_decision(disagreement: Disagreement, decision: str) -> str:
    """`a`, `b`, ... (coders in the order compared), a coder's name, `both`/`all`, `neither` or
    `hand` (what was coded by hand in the consensus layer).

    Returns the coder's name, `both`, `neither` or `hand`.
    """
    value = decision.strip()
    lowered = value.lower()
    if lowered in ("both", "all"):
        return BOTH
    if lowered in ("neither", "none"):
        return NEITHER
    if lowered in ("hand", "by-hand", "edit", "edited"):
        return HAND
    if value in disagreement.coders:
        return value
    if len(lowered) == 1 and "a" <= lowered <= "z":
        index = ord(lowered) - ord("a")
        if index < len(disagreement.coders):
            return disagreement.coders[index]
    letters = ", ".join(f"{chr(ord('a') + i)} = {c}" for i, c in enumerate(disagreement.coders))
    raise AgreementError(
        f"`{decision}` is not a decision.",
        hint=f"Take one coder's codings ({letters}), `both` (everyone's), `neither`, or `hand` "
        "(what was coded by hand there in the consensus layer).",
    )


def outcome(
    disagreement: Disagreement,
    decision: str,
    in_layer: tuple[tuple[int, int, str], ...] = (),
) -> tuple[tuple[int, int, str], ...]:
    """The codings (start, end, code) the consensus keeps in the passage for a decision.

    One coder: that coder's codings there. `both`: every code any coder gave, over the stretch
    they marked, joined where the same code's stretches overlap. `neither`: nothing. `hand`:
    `in_layer`, the consensus layer's own codings in the passage.
    """
    take = resolve_decision(disagreement, decision)
    if take == NEITHER:
        return ()
    if take == HAND:
        return tuple(sorted(in_layer))
    if take != BOTH:
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
    where = passages.found.get(settlement.key, "same")
    if where == "gone":
        return [f"its text is no longer in the transcript: «{_excerpt(settlement.quote)}»"]
    edited = ["its text was changed in the transcript"] if where == "edited" else []
    if not settlement.marks:
        return [*edited, "a coder changed the codings in this passage"]
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
    if edited or changes:
        return edited + changes
    return ["codings next to the passage changed, so it is now part of another one"]


def _excerpt(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _stale(study: Study, passages: Passages, settlement: Settlement) -> StaleDecision:
    where = passages.found.get(settlement.key, "same")
    line = None
    if settlement.transcript in study.transcript_ids and where != "gone":
        transcript = study.transcript(settlement.transcript)
        line = transcript.line_of(min(settlement.start, len(transcript.text)))
    return StaleDecision(settlement, line, what_changed(passages, settlement), where)


def _where_now(
    study: Study, passages: Passages, codings: list[Coding]
) -> dict[str, tuple[str, int, int, str] | None]:
    """Where each of the given codings of the consensus layer is in the current text of the
    compared transcripts (None when its text is gone), so that an edited transcript does not
    make the layer throw away and copy again codings that are still right, only moved."""
    texts = {tid: study.transcript(tid) for tid in passages.transcripts}
    placement = place_in_transcripts(codings, texts)
    out: dict[str, tuple[str, int, int, str] | None] = {
        c.id: (c.transcript, c.start, c.end, c.code) for c in codings
    }
    out.update({c.id: None for c in placement.lost})
    out.update({c.id: (c.transcript, c.start, c.end, c.code) for c in placement.placed})
    return out


# -- refreshing ----------------------------------------------------------------------------------


def _wanted(passages: Passages) -> set[tuple[str, int, int, str]]:
    """What the coders and the decisions call for in the layer: (transcript, start, end, code).

    A passage settled by hand calls for nothing: the lead's codings there stay as they are.
    """
    wanted = set(passages.agreed)
    for d in passages.disagreements:
        if d.settlement is not None and not d.settlement.by_hand:
            wanted |= {(d.transcript, s, e, c) for s, e, c in d.settlement.codings}
    return wanted


def _summary(study: Study, passages: Passages, in_scope: set[str] | None) -> ConsensusSummary:
    settled = [d for d in passages.disagreements if d.settlement is not None]
    matched = {d.settlement.key for d in settled if d.settlement is not None}
    kept_memos = {d.pending.key for d in passages.disagreements if d.pending is not None}
    return ConsensusSummary(
        path=study.coder_path(CONSENSUS),
        coders=passages.coders,
        transcripts=passages.transcripts,
        agreed=len(passages.agreed),
        settled=len(settled),
        settled_by_hand=sum(1 for d in settled if d.settlement and d.settlement.by_hand),
        open=[d for d in passages.disagreements if d.settlement is None],
        stale=[
            _stale(study, passages, s)
            for s in passages.settlements
            if s.key not in matched and (in_scope is None or s.transcript in in_scope)
        ],
        stale_memos=[
            m for m in passages.pending_memos
            if m.key not in kept_memos and (in_scope is None or m.transcript in in_scope)
        ],
        left_out=passages.left_out,
        notes=list(passages.notes),
    )


def _keep_followed(study: Study, store: CoderStore, passages: Passages,
                   in_scope: set[str] | None) -> None:
    """Store the decisions and memos that followed their passage to a new place under the key
    of the disagreement they go with now, with the passage's current text (also those an older
    version kept without their passage's text, so that from now on they follow it too)."""
    for d in passages.disagreements:
        if in_scope is not None and d.transcript not in in_scope:
            continue
        s = d.settlement
        if s is not None and (s.key != d.key or not s.quote):
            moved = replace(s.placed(d.start, d.end), key=d.key, marks=d.marks, quote=d.text,
                            text_hash=study.transcript(d.transcript).hash)
            store.delete_settlement(s.key)
            store.save_settlement(moved.to_row(d.coders, d.kind))
        if d.pending is not None and (d.pending.key != d.key or not d.pending.quote):
            keep_pending_memo(study, d, d.pending.memo)


def _refresh(study: Study, passages: Passages, scope: list[str] | None) -> ConsensusSummary:
    """Bring the consensus layer in line with the passages (only `scope` transcripts if given).

    Only codings a refresh wrote and nobody touched since are removed; what the coders and the
    decisions call for is written where neither such a coding nor one the lead made of it is.
    """
    in_scope = set(scope) if scope is not None else None
    summary = _summary(study, passages, in_scope)
    wanted = _wanted(passages)
    with _open_consensus(study, passages.coders) as store:
        _keep_followed(study, store, passages, in_scope)
        everything = store.codings()
        built = read_built(store, everything)
        current = [c for c in everything if in_scope is None or c.transcript in in_scope]
        records = [b for b in built.values() if in_scope is None or b.transcript in in_scope]
        now = _where_now(study, passages, current)
        written = _where_now(study, passages, [b.written for b in records])
        ours = [c for c in current if _untouched(built.get(c.id), c, now, written)]
        remove = {c.id for c in ours if now[c.id] not in wanted}
        if remove:
            store.remove_codings(sorted(remove), "Refresh consensus: remove what no longer holds")
        mine = {c.id for c in ours}
        leads = {b.id: b for b in records if b.id not in mine and written[b.id] in wanted}
        present = {now[c.id] for c in current if c.id not in remove}
        present |= {written[i] for i in leads}
        added = _add(study, store, passages.coders, sorted(wanted - present))
        kept = {i: b for i, b in built.items() if in_scope is not None
                and b.transcript not in in_scope}
        kept.update(leads)
        kept.update({c.id: Built(c) for c in ours if c.id not in remove})
        kept.update({c.id: Built(c) for c in added})
        write_built(store, kept)
    existing = {c.id for c in everything}
    summary.added = len(added)
    summary.removed = len(remove)
    summary.removed_by_hand = sum(1 for i in leads if i not in existing)
    summary.by_hand = len(current) - len(ours)
    _note_stale(summary)
    return summary


Place = tuple[str, int, int, str] | None


def _untouched(record: Built | None, coding: Coding, now: dict[str, Place],
               written: dict[str, Place]) -> bool:
    """Whether `coding` is one a refresh wrote and nobody changed since: it has the code it was
    written with and is where the coding as written is in the current text (so an edited
    transcript, or a re-anchoring by `qualcode check --fix`, leaves it untouched)."""
    if record is None or record.lead or record.code != coding.code:
        return False
    return now[coding.id] is not None and now[coding.id] == written[coding.id]


def _add(study: Study, store: CoderStore, coders: tuple[str, ...],
         adding: list[tuple[str, int, int, str]]) -> list[Coding]:
    """Write the codings (transcript, start, end, code), one undoable step per transcript.

    Returns the codings written (not those the layer already had at that very place)."""
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for tid, start, end, code in adding:
        spans.setdefault(tid, []).append((start, end, code))
    who = joined(coders)
    made: list[Coding] = []
    for tid, found in spans.items():
        had = {c.id for c in store.codings(transcript=tid)}
        written = store.add_codings(study.transcript(tid), found, f"Consensus of {who}: {tid}")
        made += [c for c in written if c.id not in had]
    return made


def _note_stale(summary: ConsensusSummary) -> None:
    if summary.stale:
        n = len(summary.stale)
        summary.notes.append(_changed_note(plural(n, "earlier decision"), n, (
            "it was kept but not applied", "they were kept but not applied")))
    if summary.stale_memos:
        n = len(summary.stale_memos)
        summary.notes.append(_changed_note(f"{plural(n, 'memo')} written before a decision", n, (
            "it is kept in the consensus layer", "they are kept in the consensus layer")))


def _changed_note(counted: str, n: int, kept: tuple[str, str]) -> str:
    """`1 earlier decision no longer matches a disagreement, because its passage changed
    since; it was kept but not applied.` (`kept`: what is said of one, and of several)."""
    return (
        f"{counted} no longer {plural_form(n, 'matches', 'match')} a disagreement, because "
        f"{plural_form(n, 'its passage', 'their passages')} changed since; "
        f"{plural_form(n, *kept)}."
    )


def build_consensus(
    study: Study, coders: list[str] | tuple[str, ...] | None = None
) -> ConsensusSummary:
    """Build or refresh the consensus layer from `coders`.

    Without coders: those the layer was made from, else every coder in the study.
    """
    chosen = tuple(coders) if coders else consensus_coders(study)
    passages = find_passages(study, chosen)
    return _refresh(study, passages, None)


def _current(study: Study, disagreement: Disagreement) -> tuple[Passages, Disagreement]:
    """The passages of the disagreement's transcript now, and the disagreement as it is now."""
    passages = find_passages(study, disagreement.coders, transcripts=[disagreement.transcript])
    for d in passages.disagreements:
        if d.key == disagreement.key:
            return passages, d
    raise AgreementError(
        f"Disagreement {disagreement.number} in `{disagreement.transcript}` has changed since "
        "it was listed: a coder has changed the codings in that passage, or its text was "
        "edited.",
        hint="List the disagreements again (`qualcode disagreements`) and settle the new one.",
    )


def settle(
    disagreement: Disagreement,
    decision: str,
    memo: str | None = None,
    *,
    study: Study | None = None,
) -> Settlement:
    """Settle a disagreement and apply the decision to the consensus layer at once.

    `decision` is `a`/`b`/... (the coders in the order compared), a coder's name, `both`,
    `neither` or `hand`: the passage was coded by hand in the consensus layer, which keeps the
    codings it has there now (they become the lead's, so a refresh leaves them as they are).
    `memo` None takes the memo written before the decision (else the earlier decision's memo).
    Settling again replaces the earlier decision. Returns the stored settlement.
    """
    study = study or Study.open(disagreement.root)
    take = resolve_decision(disagreement, decision)
    passages, now = _current(study, disagreement)
    with _open_consensus(study, now.coders) as store:
        in_layer = _layer_in(study, store, now)
        settlement = Settlement(
            key=now.key,
            transcript=now.transcript,
            start=now.start,
            end=now.end,
            decision=take,
            codings=outcome(now, take, tuple((c.start, c.end, c.code) for c in in_layer)),
            memo=_memo_for(now, memo),
            at=_now(),
            marks=now.marks,
            quote=now.text,
            text_hash=study.transcript(now.transcript).hash,
        )
        if now.settlement is not None and now.settlement.key != now.key:
            store.delete_settlement(now.settlement.key)
        store.save_settlement(settlement.to_row(now.coders, now.kind))
        if take == HAND:
            _take_over(store, in_layer)
    drop_pending_memo(study, now)
    _apply(study, passages, now, settlement)
    return settlement


def _memo_for(d: Disagreement, memo: str | None) -> str:
    if memo is not None:
        return memo.strip()
    if d.pending is not None:
        return d.pending.memo
    return d.settlement.memo if d.settlement is not None else ""


def _layer_in(study: Study, store: CoderStore, d: Disagreement) -> list[Coding]:
    """The consensus layer's codings that overlap the disagreement's passage, where they are
    in the current text."""
    return in_passage(store.codings(transcript=d.transcript), study.transcript(d.transcript),
                      d.start, d.end)


def _take_over(store: CoderStore, codings: list[Coding]) -> None:
    """The codings of a passage settled by hand become the lead's: a refresh keeps them."""
    everything = store.codings()
    built = read_built(store, everything)
    ids = {c.id for c in codings} & set(built)
    if ids:
        built.update({i: replace(built[i], lead=True) for i in ids})
        write_built(store, built)


def _apply(study: Study, passages: Passages, d: Disagreement, settlement: Settlement | None
           ) -> None:
    """Bring the layer in line after a decision on `d` (None: reopened) in its transcript."""
    earlier = {d.key} | ({d.settlement.key} if d.settlement is not None else set())
    passages.settlements = [s for s in passages.settlements if s.key not in earlier]
    if settlement is not None:
        passages.settlements.append(settlement)
    if settlement is not None and d.pending is not None:  # the memo went with the decision
        passages.pending_memos = [m for m in passages.pending_memos if m.key != d.pending.key]
    passages.disagreements = [
        replace(x, settlement=settlement, pending=None if settlement else x.pending)
        if x.key == d.key
        else x
        for x in passages.disagreements
    ]
    _refresh(study, passages, [d.transcript])


def reopen(disagreement: Disagreement, *, study: Study | None = None) -> bool:
    """Forget the decision on a disagreement; its codings leave the consensus layer (unless
    they are the lead's: codings made by hand stay).

    Returns False when it had no decision.
    """
    study = study or Study.open(disagreement.root)
    if not study.coder_path(CONSENSUS).exists():
        return False
    keys = {disagreement.key}
    if disagreement.settlement is not None:
        keys.add(disagreement.settlement.key)
    with _open_consensus(study, disagreement.coders) as store:
        removed = [store.delete_settlement(key) for key in sorted(keys)]
    if any(removed):
        try:
            passages, now = _current(study, disagreement)
        except AgreementError:
            return True
        _apply(study, passages, now, None)
    return any(removed)
