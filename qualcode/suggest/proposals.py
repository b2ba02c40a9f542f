"""Proposing new keywords for a code from the passages coders gave it.

Each lemma is compared between passages coded with the code and the other passages of the same
coded transcripts, by the log-odds ratio with an informative Dirichlet prior (the study's own word
frequencies), divided by its standard error: a z-score that favours words that are both frequent in
the code's passages and rare elsewhere, and that does not get excited by a word seen once. A
proposal must occur in at least MIN_CODED coded passages, must not be a stop word, and must not be
matched already by one of the code's keywords (inflected or in a compound).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qualcode.errors import SuggestError
from qualcode.suggest.features import segment_features
from qualcode.suggest.learning import label_spans
from qualcode.suggest.training import resolve_sources

MIN_CODED = 2
PRIOR_MASS = 100.0
MAX_EXAMPLES = 3


@dataclass
class Proposal:
    """A candidate keyword with the evidence for it."""

    term: str
    z: float
    coded: int
    """Coded passages that contain it."""
    coded_total: int
    other: int
    """Other passages that contain it."""
    other_total: int
    examples: list[tuple[str, int, int, str]] = field(default_factory=list)
    """(transcript, start, end, word as written) in coded passages."""

    @property
    def evidence(self) -> str:
        share = 100 * self.coded / self.coded_total if self.coded_total else 0
        rest = 100 * self.other / self.other_total if self.other_total else 0
        return (
            f"in {self.coded} of {self.coded_total} coded passages ({share:.0f}%), "
            f"{self.other} of {self.other_total} others ({rest:.1f}%)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "z": round(self.z, 3),
            "coded": self.coded,
            "coded_total": self.coded_total,
            "other": self.other,
            "other_total": self.other_total,
            "evidence": self.evidence,
            "examples": [
                {"transcript": t, "start": s, "end": e, "word": w} for t, s, e, w in self.examples
            ],
        }


def propose_keywords(
    suggester, code_id: str, learn_from: Sequence[str] | None = None, limit: int = 10
) -> list[Proposal]:
    """Lemmas that mark the passages coded with `code_id`, best first."""
    study = suggester.study
    code = study.codebook[code_id]  # an unknown id raises with the nearest ids
    sources = resolve_sources(study, learn_from)
    vocabulary = suggester.vocabulary
    coded_count: dict[int, int] = {}
    other_count: dict[int, int] = {}
    where: dict[int, list[tuple[str, int]]] = {}
    coded_total = other_total = 0
    for source in sources:
        for tid, codings in source.codings.items():
            spans = suggester.passages(tid)
            if not spans:
                continue
            labels = label_spans(spans, [(s, e, 0) for s, e, c in codings if c == code.id], 1)[:, 0]
            text = suggester.text_features(tid)
            features = segment_features(text, spans)
            positive = labels[features.lemma_segment] > 0
            coded_total += int(labels.sum())
            other_total += int(len(spans) - labels.sum())
            for lemma_id, is_coded, segment in zip(
                features.lemma_id.tolist(), positive.tolist(), features.lemma_segment.tolist()
            ):
                counts = coded_count if is_coded else other_count
                counts[lemma_id] = counts.get(lemma_id, 0) + 1
                if is_coded:
                    where.setdefault(lemma_id, []).append((tid, segment))
    if coded_total == 0:
        raise SuggestError(
            f"No passage is coded with `{code.id}` yet, so there is nothing to learn keywords from.",
            hint="Code a few passages with it first, or name a coder who has (--coder).",
        )
    index = suggester.index(suggester.pipeline.default_language)
    own = {e.id for e in index.entries if e.code == code.id}
    proposals = []
    total = coded_total + other_total
    for lemma_id, coded in coded_count.items():
        if coded < MIN_CODED:
            continue
        lemma = vocabulary.lemmas[lemma_id]
        if any(entry in own for entry, _how in index.type_matches(lemma, lemma)):
            continue
        other = other_count.get(lemma_id, 0)
        alpha = PRIOR_MASS * (coded + other) / total
        a = math.log((coded + alpha) / (coded_total + PRIOR_MASS - coded - alpha))
        b = math.log((other + alpha) / (other_total + PRIOR_MASS - other - alpha))
        z = (a - b) / math.sqrt(1 / (coded + alpha) + 1 / (other + alpha))
        if z > 0:
            proposals.append(Proposal(lemma, z, coded, coded_total, other, other_total))
    proposals.sort(key=lambda p: (-p.z, p.term))
    proposals = proposals[:limit]
    for proposal in proposals:
        proposal.examples = _examples(suggester, vocabulary.ids[proposal.term], where)
    return proposals


def _examples(suggester, lemma_id: int, where) -> list[tuple[str, int, int, str]]:
    out = []
    for tid, segment in where.get(lemma_id, [])[:MAX_EXAMPLES]:
        start, end = suggester.passages(tid)[segment]
        text = suggester.text_features(tid)
        first, last = text.token_range(start, end)
        hits = np.flatnonzero(text.lemma_ids[first:last] == lemma_id)
        if hits.size:
            token = first + int(hits[0])
            s, e = int(text.starts[token]), int(text.ends[token])
            out.append((tid, s, e, text.source[s:e]))
    return out
