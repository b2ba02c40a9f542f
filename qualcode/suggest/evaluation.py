"""Measuring suggestion quality against a coder's own codings, k-fold by transcript.

The coder's coded transcripts are dealt into k folds in name order (1st, k+1th, ... in fold 1).
For each fold the model learns from the coder's codings and accept/reject decisions in the other
folds (nothing of the held-out transcripts), exactly as the model a coder is shown learns (see
training.train), and suggests codes for every informant passage of the held-out transcripts
that the coder has been through (up to their furthest coding or decision there: what comes
after, they have not decided about, so nothing is known of its codes). A passage's true codes
are those the coder gave it (see suggestion.covers). The suggestions counted are the ones a coder would see: at most `top` codes
per passage with a score of at least `min_score`.

Two baselines are scored the same way: the codebook's keywords alone (no learning), and always
suggesting the single code most often used in the training folds.

Per-code figures are given for every code the coder used or any method suggested, so a method's
suggestions of codes the coder never used show as false positives there. Overall figures are
micro-averaged (all codes' counts added up); macro F1 is the plain mean of the per-code F1 over
the codes the coder used or that method suggested (a code the coder never used scores 0 for a
method that suggests it; codes neither used nor suggested are left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qualcode.errors import SuggestError
from qualcode.suggest.learning import label_spans
from qualcode.suggest.model import Model
from qualcode.suggest.suggester import DEFAULT_MIN_SCORE, Suggester
from qualcode.suggest.training import passages_read, read_source, train

DEFAULT_FOLDS = 5
DEFAULT_EVALUATION_TOP = 2


@dataclass
class Counts:
    """True positives, false positives and false negatives, with the usual ratios."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Result:
    """One method's figures: per code and overall (micro-averaged), plus macro F1."""

    name: str
    per_code: dict[str, Counts] = field(default_factory=dict)

    @property
    def overall(self) -> Counts:
        total = Counts()
        for counts in self.per_code.values():
            total.add(counts)
        return total

    @property
    def codes(self) -> list[str]:
        """The codes this method was measured on: used by the coder or suggested by it."""
        return [c for c, n in self.per_code.items() if n.tp + n.fp + n.fn]

    def macro_f1(self, codes: list[str] | None = None) -> float:
        """The mean per-code F1 over `codes` (default: the codes used or suggested)."""
        codes = self.codes if codes is None else codes
        return float(np.mean([self.per_code.get(c, Counts()).f1 for c in codes])) if codes else 0.0

    def count(self, predicted: np.ndarray, gold: np.ndarray, codes: list[str]) -> None:
        """Add (passages, codes) 0/1 predictions against gold."""
        for i, code in enumerate(codes):
            p, g = predicted[:, i] > 0, gold[:, i] > 0
            if p.any() or g.any():
                counts = self.per_code.setdefault(code, Counts())
                counts.add(Counts(int((p & g).sum()), int((p & ~g).sum()), int((~p & g).sum())))


@dataclass
class Evaluation:
    coder: str
    folds: int
    unit: str
    top: int
    min_score: float
    transcripts: int
    passages: int
    coded_passages: int
    results: list[Result]
    most_common: list[str]
    """The code the most-common baseline chose in each fold."""
    notes: list[str] = field(default_factory=list)
    """What could not be learned from or evaluated (codings whose text is gone, ...)."""

    @property
    def codes(self) -> list[str]:
        """Every code the coder used or some method suggested: the most used first, then the
        codes only suggested, by how often they were suggested wrongly."""
        used: dict[str, int] = {}
        wrong: dict[str, int] = {}
        for result in self.results:
            for code, n in result.per_code.items():
                used[code] = max(used.get(code, 0), n.tp + n.fn)
                wrong[code] = wrong.get(code, 0) + n.fp
        return sorted(used, key=lambda c: (-used[c], -wrong[c], c))

    def coded(self, code: str) -> int:
        """How many evaluated passages the coder gave the code."""
        n = self.results[0].per_code.get(code, Counts())
        return n.tp + n.fn

    def to_dict(self) -> dict[str, Any]:
        codes = self.codes
        return {
            "coder": self.coder,
            "folds": self.folds,
            "unit": self.unit,
            "top": self.top,
            "min_score": self.min_score,
            "transcripts": self.transcripts,
            "passages": self.passages,
            "coded_passages": self.coded_passages,
            "most_common_code": self.most_common,
            "notes": self.notes,
            "methods": {
                r.name: {
                    "overall": r.overall.to_dict(),
                    "macro_f1": round(r.macro_f1(), 4),
                    "macro_f1_codes": len(r.codes),
                    "per_code": {c: r.per_code.get(c, Counts()).to_dict() for c in codes},
                }
                for r in self.results
            },
        }


def predict(scores: np.ndarray, top: int, min_score: float) -> np.ndarray:
    """0/1 choices: per row, the `top` best columns scoring at least `min_score`."""
    chosen = np.zeros_like(scores)
    if scores.size == 0:
        return chosen
    order = np.argsort(-scores, axis=1, kind="stable")[:, :top]
    rows = np.arange(scores.shape[0])[:, None]
    chosen[rows, order] = 1.0
    chosen[scores < min_score] = 0.0
    return chosen


def _on_codebook(scores: np.ndarray, model: Model, codes: list[str]) -> np.ndarray:
    """Scores of the model's codes placed in the columns of `codes` (others score 0)."""
    out = np.zeros((scores.shape[0], len(codes)))
    position = {c: i for i, c in enumerate(codes)}
    for j, code in enumerate(model.codes):
        out[:, position[code]] = scores[:, j]
    return out


def evaluate(
    study,
    coder: str,
    folds: int = DEFAULT_FOLDS,
    unit: str = "paragraph",
    top: int = DEFAULT_EVALUATION_TOP,
    min_score: float = DEFAULT_MIN_SCORE,
    suggester: Suggester | None = None,
) -> Evaluation:
    """k-fold evaluation of the learned model and both baselines on one coder's codings."""
    from qualcode.errors import UsageError

    if folds < 2:
        raise UsageError("Evaluation needs at least 2 folds.", hint="Use --folds 2 or more.")
    source = read_source(study, coder)
    transcripts = sorted(source.codings)
    if len(transcripts) < 2:
        raise SuggestError(
            f"Coder `{coder}` has codings in {len(transcripts)} transcript"
            f"{'' if len(transcripts) == 1 else 's'}; evaluation needs at least 2, so that "
            "the model can be tested on transcripts it did not learn from.",
            path=study.coder_path(coder),
            hint="Code more transcripts first, or evaluate another coder.",
        )
    folds = min(folds, len(transcripts))
    suggester = suggester or Suggester(study, learn_from=[], unit=unit)
    codes = [c.id for c in study.codebook.walk()]
    position = {c: i for i, c in enumerate(codes)}
    baseline = suggester.codebook_model()
    results = [Result("model"), Result("keywords"), Result("most common code")]
    passages = coded = 0
    chosen_common: list[str] = []
    for fold in range(folds):
        held_out = transcripts[fold::folds]
        training = set(transcripts) - set(held_out)
        model = train(suggester, [source], transcripts=training)
        usage = np.zeros(len(codes))
        for tid in training:
            spans = suggester.passages(tid)
            coded_spans = [(s, e, position[c]) for s, e, c in source.codings[tid]]
            usage += label_spans(spans, coded_spans, len(codes)).sum(axis=0)
        common = int(np.argmax(usage))
        chosen_common.append(codes[common])
        for tid in held_out:
            spans = passages_read(suggester.passages(tid), source.reach(tid))
            coded_spans = [(s, e, position[c]) for s, e, c in source.codings[tid]]
            gold = label_spans(spans, coded_spans, len(codes))
            passages += len(spans)
            coded += int((gold.sum(axis=1) > 0).sum())
            for result, which in ((results[0], model), (results[1], baseline)):
                scores = _on_codebook(suggester.scores(tid, spans, which), which, codes)
                result.count(predict(scores, top, min_score), gold, codes)
            always = np.zeros_like(gold)
            always[:, common] = 1.0
            results[2].count(always, gold, codes)
    return Evaluation(
        coder=coder,
        folds=folds,
        unit=unit,
        top=top,
        min_score=min_score,
        transcripts=len(transcripts),
        passages=passages,
        coded_passages=coded,
        results=results,
        most_common=chosen_common,
        notes=source.notes,
    )
