"""Proposing new keywords for a code from the passages coders gave it.

Each lemma is compared between passages coded with the code and the other passages of the same
coded transcripts, by the log-odds ratio with an informative Dirichlet prior (the study's own word
frequencies), divided by its standard error: a z-score that favours words that are both frequent in
the code's passages and rare elsewhere, and that does not get excited by a word seen once. A
proposal must occur in at least MIN_CODED coded passages, must not be a stop word, and must not be
matched already by one of the code's keywords (inflected or in a compound). Every passage counts
once, however many coders coded it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qualcode.errors import SuggestError
from qualcode.suggest.features import segment_features
from qualcode.suggest.learning import label_spans
from qualcode.suggest.training import coders_of_transcripts, resolve_sources
from qualcode.wording import plural

MIN_CODED = 2
PRIOR_MASS = 100.0
MAX_EXAMPLES = 3
CONTEXT = 30
"""Characters of context shown either side of an example, about (see `in_context`)."""
_SPACE = re.compile(r"\s")


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
            f"in {self.coded} of {plural(self.coded_total, 'coded passage')} ({share:.0f}%), "
            f"{self.other} of {plural(self.other_total, 'other', 'others')} ({rest:.1f}%)"
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


@dataclass
class Proposals:
    """The proposals for one code, and the passages they were drawn from."""

    code: str
    proposals: list[Proposal]
    coded: int
    """Distinct informant passages with the code (in transcripts learned from)."""
    others: int
    """The other informant passages of those transcripts."""

    def __iter__(self):
        return iter(self.proposals)

    def __len__(self) -> int:
        return len(self.proposals)

    def __getitem__(self, index):
        return self.proposals[index]

    def why_none(self) -> str:
        """Why there is nothing to propose (for when there is not)."""
        if self.coded < MIN_CODED:
            return (
                f"`{self.code}` is coded in {plural(self.coded, 'passage')}; a word is proposed "
                f"only when it is in at least {MIN_CODED} of the code's passages, so code at "
                f"least {plural(MIN_CODED - self.coded, 'more passage')} with it first."
            )
        return (
            f"No word is in at least {MIN_CODED} of the {plural(self.coded, 'passage')} coded "
            f"`{self.code}` and more common there than in the {plural(self.others, 'other passage')}"
            ", apart from the words its keywords already match."
        )


def propose_keywords(
    suggester,
    code_id: str,
    learn_from: Sequence[str] | None = None,
    limit: int = 10,
    coder: str | None = None,
) -> Proposals:
    """Lemmas that mark the passages coded with `code_id`, best first.

    Passages are counted once each, however many coders coded them: a passage is coded when
    one of the coders learned from (see training.coders_of_transcripts) gave it the code.
    """
    study = suggester.study
    code = study.codebook[code_id]  # an unknown id raises with the nearest ids
    sources = resolve_sources(study, learn_from, coder)
    counts = _Counts()
    for tid, chosen in coders_of_transcripts(sources).items():
        spans = suggester.passages(tid)
        if not spans:
            continue
        coded = [(s, e, 0) for source, _ in chosen for s, e, c in source.codings[tid] if c == code.id]
        counts.add(tid, label_spans(spans, coded, 1)[:, 0] > 0, segment_features(
            suggester.text_features(tid), spans
        ))
    if counts.coded_total == 0:
        raise SuggestError(
            f"No passage is coded with `{code.id}` yet, so there is nothing to learn keywords from.",
            hint="Code a few passages with it first, or name a coder who has (--coder).",
        )
    found = _score(suggester, code.id, counts)[:limit]
    for proposal in found:
        proposal.examples = _examples(suggester, suggester.vocabulary.ids[proposal.term], counts.where)
    return Proposals(code.id, found, counts.coded_total, counts.other_total)


class _Counts:
    """In how many coded and other passages each lemma is found."""

    def __init__(self) -> None:
        self.coded: dict[int, int] = {}
        self.other: dict[int, int] = {}
        self.where: dict[int, list[tuple[str, int]]] = {}
        self.coded_total = 0
        self.other_total = 0

    def add(self, tid: str, positive: np.ndarray, features) -> None:
        """One transcript: `positive` says which of its passages have the code."""
        self.coded_total += int(positive.sum())
        self.other_total += int(positive.shape[0] - positive.sum())
        for lemma_id, segment in zip(features.lemma_id.tolist(), features.lemma_segment.tolist()):
            if positive[segment]:
                self.coded[lemma_id] = self.coded.get(lemma_id, 0) + 1
                self.where.setdefault(lemma_id, []).append((tid, segment))
            else:
                self.other[lemma_id] = self.other.get(lemma_id, 0) + 1


def _score(suggester, code_id: str, counts: _Counts) -> list[Proposal]:
    """Every lemma worth proposing, best first (see the module's description)."""
    index = suggester.index(suggester.pipeline.default_language)
    own = {e.id for e in index.entries if e.code == code_id}
    coded_total, other_total = counts.coded_total, counts.other_total
    total = coded_total + other_total
    proposals = []
    for lemma_id, coded in counts.coded.items():
        if coded < MIN_CODED:
            continue
        lemma = suggester.vocabulary.lemmas[lemma_id]
        if any(entry in own for entry, _how in index.type_matches(lemma, lemma)):
            continue
        other = counts.other.get(lemma_id, 0)
        alpha = PRIOR_MASS * (coded + other) / total
        a = math.log((coded + alpha) / (coded_total + PRIOR_MASS - coded - alpha))
        b = math.log((other + alpha) / (other_total + PRIOR_MASS - other - alpha))
        z = (a - b) / math.sqrt(1 / (coded + alpha) + 1 / (other + alpha))
        if z > 0:
            proposals.append(Proposal(lemma, z, coded, coded_total, other, other_total))
    proposals.sort(key=lambda p: (-p.z, p.term))
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


def in_context(text: str, start: int, end: int, around: int = CONTEXT) -> str:
    """The words of `text[start:end]` with about `around` characters either side, cut only
    between words, with `…` where the text goes on; spaces and line breaks become single spaces.
    A word the context would cut in two is left out, unless it is the example's own word (a
    compound around a keyword, say), which is kept whole.
    """
    first = _word_start(text, max(0, start - around), start)
    last = _word_end(text, min(len(text), end + around), end)
    shown = " ".join(text[first:last].split())
    before = "…" if text[:first].strip() else ""
    after = "…" if text[last:].strip() else ""
    return before + shown + after


def _word_start(text: str, at: int, start: int) -> int:
    """The first word boundary at or after `at`, or, when the text from `at` to `start` is all
    one word, where that word begins."""
    if at == 0 or text[at - 1].isspace():
        return at
    space = _SPACE.search(text, at, start)
    if space:
        return space.end()
    while at > 0 and not text[at - 1].isspace():
        at -= 1
    return at


def _word_end(text: str, at: int, end: int) -> int:
    """The last word boundary at or before `at`, or, when the text from `end` to `at` is all one
    word, where that word ends."""
    if at == len(text) or text[at].isspace():
        return at
    spaces = [space.start() for space in _SPACE.finditer(text, end, at)]
    if spaces:
        return spaces[-1]
    while at < len(text) and not text[at].isspace():
        at += 1
    return at
