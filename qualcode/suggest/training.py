"""Gathering what coders did (codings, accept/reject decisions) into labelled passages."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from qualcode.errors import SuggestError
from qualcode.store.anchoring import anchor, place_in_transcripts, placement_notes
from qualcode.study.study import CONSENSUS
from qualcode.suggest.features import segment_features
from qualcode.suggest.learning import FEEDBACK_WEIGHT, Examples, fit, label_spans
from qualcode.suggest.model import Model
from qualcode.suggest.suggestion import covers
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

    def reach(self, transcript: str) -> int:
        """Where the furthest coding or decision of this coder in a transcript ends (0: none).

        The coder has evidently been through the text up to there; what comes after, they
        have not decided about yet.
        """
        ends = [end for _, end, _ in self.codings.get(transcript, [])]
        ends += [d[2] for d in self.decisions if d[0] == transcript]
        return max(ends, default=0)

    def repeats_a_coding(self, decision: tuple[str, int, int, str, float]) -> bool:
        """Whether an accepted suggestion only repeats a coding of the same passage and code
        (as accepting in the workbench does: it codes the passage and remembers the accept)."""
        tid, start, end, code, label = decision
        return label > 0 and any(
            c == code and covers((start, end), (s, e)) for s, e, c in self.codings.get(tid, [])
        )

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


def passages_read(spans: list[tuple[int, int]], reach: int) -> list[tuple[int, int]]:
    """The passages (in text order) a coder whose furthest coding or decision ends at `reach`
    has been through: those that begin before it."""
    return spans[: bisect.bisect_left([start for start, _ in spans], reach)]


def build_examples(suggester, sources: Sequence[Source], codes: list[str]) -> Examples:
    """Labelled passages: one per informant passage of a coded transcript that a chosen coder
    has been through (see `Source.reach`), labelled for a code with the weighted share of the
    coders who have been through it that gave it the code; and one per decision."""
    position = {code: i for i, code in enumerate(codes)}
    parts = [
        _transcript_examples(suggester, tid, chosen, position)
        for tid, chosen in coders_of_transcripts(sources).items()
    ]
    parts = [part for part in parts if part is not None]
    for source in sources:
        for decision in source.decisions:
            if decision[3] in position:
                parts.append(_decision_example(suggester, source, decision, position))
    return Examples.concatenate(parts, len(codes))


def _transcript_examples(
    suggester, tid: str, chosen: list[tuple[Source, float]], position: dict[str, int]
) -> Examples | None:
    """The passages of one transcript the chosen coders have been through, labelled."""
    spans = suggester.passages(tid)
    labels = np.zeros((len(spans), len(position)))
    share = np.zeros(len(spans))
    for source, weight in chosen:
        read = len(passages_read(spans, source.reach(tid)))
        coded = [(s, e, position[c]) for s, e, c in source.codings[tid] if c in position]
        labels[:read] += weight * label_spans(spans[:read], coded, len(position))
        share[:read] += weight
    read = int((share > 0).sum())  # the passages gone through come first
    if not read:
        return None
    labels = labels[:read] / share[:read, None]
    features = segment_features(suggester.text_features(tid), spans[:read])
    return Examples(features, labels, np.ones(labels.shape))


def _decision_example(
    suggester, source: Source, decision: tuple[str, int, int, str, float], position: dict[str, int]
) -> Examples:
    """One accepted or rejected suggestion as an example of its passage and code."""
    tid, start, end, code, label = decision
    features = segment_features(suggester.text_features(tid), [(start, end)])
    labels = np.zeros((1, len(position)))
    weights = np.zeros((1, len(position)))
    evidence = np.zeros((1, len(position)))
    labels[0, position[code]] = label
    weights[0, position[code]] = FEEDBACK_WEIGHT
    evidence[0, position[code]] = 0.0 if source.repeats_a_coding(decision) else 1.0
    return Examples(features, labels, weights, evidence, read=0)


def train(
    suggester, sources: Sequence[Source], transcripts: Iterable[str] | None = None
) -> Model:
    """A model learned from `sources`; with `transcripts`, from their codings and decisions in
    those transcripts alone (nothing of any other transcript is seen). Its notes say what of
    the sources could not be learned from."""
    if transcripts is not None:
        keep = set(transcripts)
        sources = [s.only(keep) for s in sources]
    notes = [note for s in sources for note in s.notes]
    sources = [s for s in sources if not s.empty]
    coded = set().union(*(s.codes() for s in sources)) if sources else set()
    model = prior = suggester.codebook_model(extra_codes=coded)
    if sources:
        examples = build_examples(suggester, sources, prior.codes)
        names = [s.coder for s in sources if s.codings]
        if any(s.decisions for s in sources):
            names.append("decisions")
        model = fit(examples, prior, len(suggester.vocabulary), names)
    model.notes = notes
    return model


def learn(
    suggester,
    learn_from: Sequence[str] | None,
    coder: str | None = None,
    with_consensus: bool = False,
) -> Model:
    """The model a Suggester uses: learned from the resolved sources, else the codebook's."""
    return train(suggester, resolve_sources(suggester.study, learn_from, coder, with_consensus))
