"""Gathering what coders did (codings, accept/reject decisions) into labelled passages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from qualcode.errors import SuggestError
from qualcode.store.anchoring import anchor, place_in_transcripts, placement_notes
from qualcode.study.study import CONSENSUS
from qualcode.suggest.features import segment_features
from qualcode.suggest.learning import FEEDBACK_WEIGHT, Examples, fit, label_spans
from qualcode.suggest.model import Model
from qualcode.wording import plural, plural_form


@dataclass
class Source:
    """One coder's codings and decisions, by transcript."""

    coder: str
    codings: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    decisions: list[tuple[str, int, int, str, float]] = field(default_factory=list)
    """(transcript, start, end, code, 1.0 for accept / 0.0 for reject)."""
    leads: bool = False
    """Where this source has coded a transcript, only its codings of it are learned from."""
    notes: list[str] = field(default_factory=list)
    """What could not be learned from: codings and decisions whose text is no longer in their
    edited transcript (see `read_source`)."""

    @property
    def empty(self) -> bool:
        return not self.codings and not self.decisions

    def codes(self) -> set[str]:
        """The codes this coder applied or accepted."""
        coded = {code for spans in self.codings.values() for _, _, code in spans}
        return coded | {d[3] for d in self.decisions if d[4] > 0}

    def only(self, transcripts: set[str]) -> Source:
        """The same coder's codings and decisions in `transcripts` alone."""
        return Source(
            self.coder,
            {t: spans for t, spans in self.codings.items() if t in transcripts},
            [d for d in self.decisions if d[0] in transcripts],
            self.leads,
            self.notes,
        )


def read_source(study, coder: str) -> Source:
    """A coder's codings and decisions, placed on the current transcripts.

    Codings and decisions on a transcript edited since are found again as `qualcode check`
    finds them (see :func:`qualcode.store.anchoring.place_codings`); those whose text is gone
    are not learned from, and `Source.notes` says how many.
    """
    source = Source(coder)
    known = set(study.transcript_ids)
    with study.store(coder) as store:
        codings = store.codings()
        feedback = store.feedback()
    wanted = [c for c in codings if c.transcript in known and c.code in study.codebook]
    texts = {tid: study.transcript(tid) for tid in dict.fromkeys(c.transcript for c in wanted)}
    placement = place_in_transcripts(wanted, texts)
    for coding in placement.placed:
        source.codings.setdefault(coding.transcript, []).append(
            (coding.start, coding.end, coding.code)
        )
    lost_decisions = 0
    for item in feedback:
        if item.transcript not in known or item.code not in study.codebook:
            continue
        found = anchor(item, study.transcript(item.transcript))
        if found.status == "lost":
            lost_decisions += 1
            continue
        label = 1.0 if item.decision == "accept" else 0.0
        source.decisions.append((item.transcript, found.start, found.end, item.code, label))
    source.notes = placement_notes({coder: placement})
    if lost_decisions:
        source.notes.append(
            f"{plural(lost_decisions, 'decision')} by {coder} on suggestions for text that is "
            f"no longer in {plural_form(lost_decisions, 'its', 'their')} transcript "
            f"{plural_form(lost_decisions, 'was', 'were')} not learned from."
        )
    return source


def resolve_sources(
    study,
    learn_from: Sequence[str] | None = None,
    coder: str | None = None,
    with_consensus: bool = False,
) -> list[Source]:
    """The coders to learn from, and which of them leads (see `coders_of_transcripts`).

    * `coder`: suggestions for that coder, who must not see the others' codings: their own
      codings and decisions only (nothing yet: the codebook alone); `with_consensus` adds the
      consensus layer's codings and decisions, in the transcripts the coder has not coded.
    * `learn_from`: exactly these coders (`consensus` included), all on an equal footing; an
      error if none of them has coded or decided anything.
    * neither: every coder, with the consensus layer leading where it has coded a transcript.

    Every decision of every source is always learned from.
    """
    from qualcode.errors import UsageError

    if coder is not None:
        if learn_from is not None:
            raise UsageError("Name the coder to suggest for, or the coders to learn from, not both.")
        own = read_source(study, coder)
        own.leads = True
        return [own, *_consensus(study, exclude=coder)] if with_consensus else [own]
    if learn_from is None:
        everyone = [s for s in (read_source(study, c) for c in study.coders()) if not s.empty]
        consensus = _consensus(study)
        for source in consensus:
            source.leads = True
        return everyone + consensus
    sources = [read_source(study, name) for name in dict.fromkeys(learn_from)]
    if sources and all(s.empty for s in sources):
        names = ", ".join(s.coder for s in sources)
        raise SuggestError(
            f"There is nothing to learn from: {names} ha{'s' if len(sources) == 1 else 've'} "
            "no codings and no decisions on suggestions yet.",
            path=study.codings_dir,
            hint="Code a few transcripts first, name a coder who has, or leave out --learn-from "
            "to use every coder.",
        )
    return sources


def _consensus(study, exclude: str | None = None) -> list[Source]:
    """The consensus layer as a source, when there is one with codings or decisions."""
    if exclude == CONSENSUS or CONSENSUS not in study.coders(include_consensus=True):
        return []
    found = read_source(study, CONSENSUS)
    return [] if found.empty else [found]


def coders_of_transcripts(sources: Sequence[Source]) -> dict[str, list[tuple[Source, float]]]:
    """Whose codings of each transcript are learned from, and with what weight.

    Where a leading source has coded a transcript, its codings alone (weight 1); elsewhere the
    codings of every source that coded it, each weighing 1/their number, so that a transcript
    counts the same however many coders coded it and their disagreements average out.
    """
    out: dict[str, list[tuple[Source, float]]] = {}
    transcripts = dict.fromkeys(t for s in sources for t in s.codings)
    for tid in transcripts:
        coders = [s for s in sources if tid in s.codings]
        leading = [s for s in coders if s.leads]
        chosen = leading or coders
        out[tid] = [(s, 1.0 / len(chosen)) for s in chosen]
    return out


def build_examples(suggester, sources: Sequence[Source], codes: list[str]) -> Examples:
    """Labelled passages: one per informant passage of a coded transcript (its label for a code
    the weighted share of the chosen coders who gave it the code), one per decision."""
    position = {code: i for i, code in enumerate(codes)}
    parts: list[Examples] = []
    for tid, chosen in coders_of_transcripts(sources).items():
        spans = suggester.passages(tid)
        if not spans:
            continue
        labels = np.zeros((len(spans), len(codes)))
        for source, weight in chosen:
            coded = [(s, e, position[c]) for s, e, c in source.codings[tid] if c in position]
            labels += weight * label_spans(spans, coded, len(codes))
        features = segment_features(suggester.text_features(tid), spans)
        parts.append(Examples(features, labels, np.ones(labels.shape)))
    for source in sources:
        for tid, start, end, code, label in source.decisions:
            if code not in position:
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
    """A model learned from `sources`; with `transcripts`, from their codings and decisions in
    those transcripts alone (nothing of any other transcript is seen)."""
    if transcripts is not None:
        keep = set(transcripts)
        sources = [s.only(keep) for s in sources]
    sources = [s for s in sources if not s.empty]
    coded = set().union(*(s.codes() for s in sources)) if sources else set()
    prior = suggester.codebook_model(extra_codes=coded)
    if not sources:
        return prior
    examples = build_examples(suggester, sources, prior.codes)
    names = [s.coder for s in sources if s.codings]
    if any(s.decisions for s in sources):
        names.append("decisions")
    return fit(examples, prior, len(suggester.vocabulary), names)


def learn(
    suggester,
    learn_from: Sequence[str] | None,
    coder: str | None = None,
    with_consensus: bool = False,
) -> Model:
    """The model a Suggester uses: learned from the resolved sources, else the codebook's."""
    return train(suggester, resolve_sources(suggester.study, learn_from, coder, with_consensus))
