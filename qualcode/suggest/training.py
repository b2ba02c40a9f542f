"""Gathering what coders did (codings, accept/reject decisions) into labelled passages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from qualcode.errors import SuggestError
from qualcode.study.study import CONSENSUS
from qualcode.suggest.features import segment_features
from qualcode.suggest.learning import FEEDBACK_WEIGHT, Examples, fit, label_spans
from qualcode.suggest.model import Model


@dataclass
class Source:
    """One coder's codings and decisions, by transcript."""

    coder: str
    codings: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    decisions: list[tuple[str, int, int, str, float]] = field(default_factory=list)
    """(transcript, start, end, code, 1.0 for accept / 0.0 for reject)."""

    @property
    def empty(self) -> bool:
        return not self.codings and not self.decisions

    def codes(self) -> set[str]:
        return {code for spans in self.codings.values() for _, _, code in spans}


def _place(text: str, start: int, end: int, quote: str) -> tuple[int, int] | None:
    """Where a coded quote is now (the transcript may have been edited since)."""
    if text[start:end] == quote:
        return start, end
    found = text.find(quote) if quote else -1
    return (found, found + len(quote)) if found >= 0 else None


def read_source(study, coder: str) -> Source:
    """A coder's codings and decisions, placed on the current transcripts."""
    source = Source(coder)
    known = set(study.transcript_ids)
    with study.store(coder) as store:
        codings = store.codings()
        feedback = store.feedback()
    for coding in codings:
        if coding.transcript not in known or coding.code not in study.codebook:
            continue
        text = study.transcript(coding.transcript).text
        place = _place(text, coding.start, coding.end, coding.quote)
        if place:
            source.codings.setdefault(coding.transcript, []).append((*place, coding.code))
    for item in feedback:
        if item.transcript not in known or item.code not in study.codebook:
            continue
        place = _place(study.transcript(item.transcript).text, item.start, item.end, item.quote)
        if place:
            label = 1.0 if item.decision == "accept" else 0.0
            source.decisions.append((item.transcript, *place, item.code, label))
    return source


def resolve_sources(study, learn_from: Sequence[str] | None) -> list[Source]:
    """The coders to learn from. None: the consensus if it has codings, else every coder."""
    if learn_from is None:
        if CONSENSUS in study.coders(include_consensus=True):
            consensus = read_source(study, CONSENSUS)
            if not consensus.empty:
                return [consensus]
        return [s for s in (read_source(study, c) for c in study.coders()) if not s.empty]
    sources = [read_source(study, coder) for coder in dict.fromkeys(learn_from)]
    if sources and all(s.empty for s in sources):
        names = ", ".join(s.coder for s in sources)
        raise SuggestError(
            f"There is nothing to learn from: {names} ha{'s' if len(sources) == 1 else 've'} "
            "no codings and no decisions on suggestions yet.",
            path=study.codings_dir,
            hint="Code a few transcripts first, name a coder who has, or leave out --coder to "
            "use the codebook's keywords alone.",
        )
    return sources


def build_examples(
    suggester,
    sources: Sequence[Source],
    codes: list[str],
    transcripts: Iterable[str] | None = None,
) -> Examples:
    """Labelled passages from every source, each coder weighing 1/len(sources)."""
    position = {code: i for i, code in enumerate(codes)}
    wanted = None if transcripts is None else set(transcripts)
    weight = 1.0 / max(1, len(sources))
    parts: list[Examples] = []
    for source in sources:
        for tid, spans_coded in source.codings.items():
            if wanted is not None and tid not in wanted:
                continue
            spans = suggester.passages(tid)
            if not spans:
                continue
            coded = [(s, e, position[c]) for s, e, c in spans_coded if c in position]
            labels = label_spans(spans, coded, len(codes))
            features = segment_features(suggester.text_features(tid), spans)
            parts.append(Examples(features, labels, np.full(labels.shape, weight)))
        for tid, start, end, code, label in source.decisions:
            if (wanted is not None and tid not in wanted) or code not in position:
                continue
            features = segment_features(suggester.text_features(tid), [(start, end)])
            labels = np.zeros((1, len(codes)))
            weights = np.zeros((1, len(codes)))
            labels[0, position[code]] = label
            weights[0, position[code]] = FEEDBACK_WEIGHT
            parts.append(Examples(features, labels, weights))
    return Examples.concatenate(parts, len(codes))


def train(
    suggester, sources: Sequence[Source], transcripts: Iterable[str] | None = None
) -> Model:
    """A model learned from `sources` (optionally only their codings in `transcripts`)."""
    transcripts = None if transcripts is None else list(transcripts)
    coded = set().union(*(s.codes() for s in sources)) if sources else set()
    prior = suggester.codebook_model(extra_codes=coded)
    if not sources:
        return prior
    examples = build_examples(suggester, sources, prior.codes, transcripts)
    names = [s.coder for s in sources]
    if any(s.decisions for s in sources):
        names.append("decisions")
    return fit(examples, prior, len(suggester.vocabulary), names)


def learn(suggester, learn_from: Sequence[str] | None) -> Model:
    """The model a Suggester uses: learned from the resolved sources, else the codebook's."""
    return train(suggester, resolve_sources(suggester.study, learn_from))
