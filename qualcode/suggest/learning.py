"""Learning per-code word weights from codings and from accepted or rejected suggestions.

The model is a logistic regression per code over the lemmas present in a passage and the
keywords matched in it, with an L2 penalty that pulls every weight towards what the codebook
says: lemma weights towards 0, keyword weights towards their codebook value, the bias towards
the codebook model's bias. This is the same as a Gaussian prior centred on the codebook. As
codings accumulate, the words coders actually code on gain weight and keywords that mislead in
this study lose it.

Why this model: logistic regression gives a calibrated score per code (several codes may apply
to one passage), its weights are per word and can be shown as the reason for a suggestion, it
trains in seconds (scipy's L-BFGS-B on the penalised log-likelihood and its gradient, with the
passages as a sparse passage × lemma matrix), and the penalty keeps it from over-reading a few
codings. Lemmas seen in fewer than MIN_PASSAGES training passages are left out.

What counts as evidence (see training.build_examples): the passages a coder has been through,
those of a coded transcript up to their furthest coding or decision in it, except the
interviewer's. A passage is positive for a code when a coding of it covers at least half of the
passage or half of the coding lies in the passage; every other passage the coder has been
through is a negative example. Passages after the furthest coding are not examples at all: the
coder has not decided about them yet. An accepted suggestion is a positive example of its
passage and code, a rejected one a negative example, each weighing FEEDBACK_WEIGHT passages.

A code's weights are learned only when there is enough evidence about it (`codes_to_learn`):
MIN_EVIDENCE passages coded with it or suggestions of it accepted or rejected, or, for a code
the coder has hardly used, MIN_READ passages gone through (by then not using it says that the
code is rare in this coder's reading: fewer than 3 in 100 passages, by the rule of three).
Until then the code keeps its codebook weights exactly, so a coder's first codings in a
transcript do not turn the passages they have read into evidence against every other code.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse
from scipy.optimize import minimize
from scipy.special import expit

from qualcode.suggest.features import SegmentFeatures
from qualcode.suggest.model import Model
from qualcode.suggest.suggestion import covers

LEMMA_L2 = 1.0
KEYWORD_L2 = 1.0
BIAS_L2 = 1.0
FEEDBACK_WEIGHT = 2.0
MIN_PASSAGES = 2
MIN_EVIDENCE = 3
"""Passages coded with a code, or suggestions of it accepted or rejected, before it is learned."""
MIN_READ = 100
"""Passages gone through after which every code is learned, also those hardly used."""
MAX_ITERATIONS = 200
GRADIENT_TOLERANCE = 1e-5
"""Stop when no gradient entry exceeds this times the starting loss (at least 1)."""
VALUE_TOLERANCE = 1e-10
"""... or when an iteration lowers the loss by less than this fraction of it."""


@dataclass
class Examples:
    """Labelled passages: features, labels (passages × codes), weights (0 = no label)."""

    features: SegmentFeatures
    labels: np.ndarray
    weights: np.ndarray
    evidence: np.ndarray | None = None
    """(passages × codes) what each example tells about a code explicitly: the share of the
    coders who coded the passage with it, 1 for a decision on it (an accept that only repeats a
    coding of the passage: 0). By default the positive labels."""
    read: int | None = None
    """How many of the examples are passages gone through (the others are decisions); by
    default all of them."""

    def __post_init__(self) -> None:
        if self.evidence is None:
            self.evidence = self.labels * (self.weights > 0)
        if self.read is None:
            self.read = len(self)

    @classmethod
    def concatenate(cls, parts: list[Examples], codes: int) -> Examples:
        if not parts:
            empty = SegmentFeatures.concatenate([])
            return cls(empty, np.zeros((0, codes)), np.zeros((0, codes)))
        return cls(
            SegmentFeatures.concatenate([p.features for p in parts]),
            np.concatenate([p.labels for p in parts]),
            np.concatenate([p.weights for p in parts]),
            np.concatenate([p.evidence for p in parts]),
            sum(p.read for p in parts),
        )

    def __len__(self) -> int:
        return self.features.count

    def without(self, codes: np.ndarray) -> Examples:
        """The same examples saying nothing about `codes` (a (codes,) mask)."""
        weights = self.weights.copy()
        weights[:, codes] = 0.0
        return Examples(self.features, self.labels, weights, self.evidence, self.read)


def codes_to_learn(examples: Examples) -> np.ndarray:
    """(codes,) whether there is enough evidence to learn each code's weights (see the module's
    docstring): MIN_EVIDENCE explicit examples of it, or MIN_READ passages gone through."""
    if examples.read >= MIN_READ:
        return np.ones(examples.labels.shape[1], bool)
    return examples.evidence.sum(axis=0) >= MIN_EVIDENCE - 1e-9


def label_spans(
    spans: list[tuple[int, int]], codings: list[tuple[int, int, int]], codes: int
) -> np.ndarray:
    """(spans, codes) 0/1 labels from codings (start, end, code index) of the same text."""
    labels = np.zeros((len(spans), codes))
    if not spans or not codings:
        return labels
    starts = np.array([s for s, _ in spans])
    ends = np.array([e for _, e in spans])
    for start, end, code in codings:
        lo = int(np.searchsorted(ends, start, side="right"))
        hi = int(np.searchsorted(starts, end, side="left"))
        for i in range(lo, hi):
            if covers(spans[i], (start, end)):
                labels[i, code] = 1.0
    return labels


class _Problem:
    """The penalised log-likelihood of the examples, with its gradient, in one flat vector.

    The vector holds the biases (codes), the keyword weights (entries) and the lemma weights
    (lemmas × codes). A passage's logits are bias + lemmas present @ lemma weights + the weights
    of its keyword matches, each added to the column of its keyword's code; both sums are
    sparse matrix products.
    """

    def __init__(self, examples: Examples, prior: Model, columns: np.ndarray) -> None:
        features = examples.features
        self.n, self.c = examples.labels.shape
        self.f = int(columns.shape[0])
        self.e = int(prior.keyword_weights.shape[0])
        self.labels, self.weights = examples.labels, examples.weights
        self.prior = prior
        compact = np.full(int(features.lemma_id.max(initial=0)) + 1, -1, np.int64)
        compact[columns] = np.arange(self.f)
        col = compact[features.lemma_id] if features.lemma_id.size else features.lemma_id
        keep = col >= 0
        self.lemmas_present = sparse.csr_matrix(
            (np.ones(int(keep.sum())), (features.lemma_segment[keep], col[keep])),
            shape=(self.n, self.f),
        )
        self.present_by_lemma = self.lemmas_present.T.tocsr()
        self.masked = self._masked(features, prior, compact)
        """(passages × codes, lemmas × codes): lemmas that do not count for a code in a passage
        (found only in sentences of the code's negative keywords there)."""
        self.masked_by_lemma = self.masked.T.tocsr()
        entry_code = prior.entry_code[features.keyword_entry] if features.keyword_entry.size else features.keyword_entry
        ok = entry_code >= 0
        cell = features.keyword_segment[ok] * self.c + entry_code[ok]
        self.keywords_present = sparse.csr_matrix(
            (np.ones(int(ok.sum())), (cell, features.keyword_entry[ok])),
            shape=(self.n * self.c, self.e),
        )
        self.present_by_keyword = self.keywords_present.T.tocsr()
        self.modelled = prior.entry_code >= 0

    def _masked(self, features: SegmentFeatures, prior: Model, compact: np.ndarray):
        """The masked (passage, code, lemma) cells as a matrix (masked lemmas are present ones)."""
        if not features.masked_lemma.size:
            return sparse.csr_matrix((self.n * self.c, self.f * self.c))
        code = prior.entry_code[features.masked_entry]
        lemma = compact[features.masked_lemma]
        ok = (code >= 0) & (lemma >= 0)
        rows = features.masked_segment[ok] * self.c + code[ok]
        cols = lemma[ok] * self.c + code[ok]
        return sparse.csr_matrix(
            (np.ones(rows.shape[0]), (rows, cols)), shape=(self.n * self.c, self.f * self.c)
        )

    def unpack(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        bias = theta[: self.c]
        keywords = theta[self.c : self.c + self.e]
        lemmas = theta[self.c + self.e :].reshape(self.f, self.c)
        return bias, keywords, lemmas

    def start(self) -> np.ndarray:
        return np.concatenate(
            [self.prior.bias, self.prior.keyword_weights, np.zeros(self.f * self.c)]
        )

    def __call__(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        bias, keywords, lemmas = self.unpack(theta)
        z = self.lemmas_present @ lemmas + bias
        z += (self.keywords_present @ keywords).reshape(self.n, self.c)
        z -= (self.masked @ lemmas.ravel()).reshape(self.n, self.c)
        loss = float((self.weights * (np.logaddexp(0.0, z) - self.labels * z)).sum())
        g = self.weights * (expit(z) - self.labels)
        grad_bias = g.sum(axis=0) + BIAS_L2 * (bias - self.prior.bias)
        grad_lemmas = self.present_by_lemma @ g + LEMMA_L2 * lemmas
        grad_lemmas -= (self.masked_by_lemma @ g.ravel()).reshape(self.f, self.c)
        delta = keywords - self.prior.keyword_weights
        grad_keywords = self.present_by_keyword @ g.ravel() + KEYWORD_L2 * delta
        grad_keywords[~self.modelled] = 0.0
        loss += 0.5 * (
            BIAS_L2 * float(((bias - self.prior.bias) ** 2).sum())
            + LEMMA_L2 * float((lemmas**2).sum())
            + KEYWORD_L2 * float((delta[self.modelled] ** 2).sum())
        )
        return loss, np.concatenate([grad_bias, grad_keywords, grad_lemmas.ravel()])

    def minimise(self) -> np.ndarray:
        """The weights with the least penalised loss (scipy's L-BFGS-B from the prior)."""
        start = self.start()
        scale = max(1.0, abs(self(start)[0]))
        result = minimize(
            self,
            start,
            jac=True,
            method="L-BFGS-B",
            options={
                "maxiter": MAX_ITERATIONS,
                "gtol": GRADIENT_TOLERANCE * scale,
                "ftol": VALUE_TOLERANCE,
            },
        )
        return np.asarray(result.x, float)


def fit(examples: Examples, prior: Model, vocabulary_size: int, learned_from: list[str]) -> Model:
    """Learn weights from labelled passages, starting from (and pulled towards) `prior`.

    Codes without enough evidence (`codes_to_learn`) keep their weights in `prior` exactly;
    when no code has enough, the model is `prior` itself (with what it was given noted).
    """
    features = examples.features
    if len(examples) == 0:
        return prior
    learned = codes_to_learn(examples)
    if not learned.any():
        return replace(prior, learned_from=learned_from, examples=len(examples))
    present = np.bincount(features.lemma_id, minlength=vocabulary_size)
    present[0] = 0
    columns = np.flatnonzero(present >= MIN_PASSAGES)
    problem = _Problem(examples.without(~learned), prior, columns)
    theta = problem.minimise()
    bias, keywords, lemmas = problem.unpack(theta)
    _keep_the_codebook(prior, ~learned, bias, keywords, lemmas)
    full = np.zeros((vocabulary_size + 1, problem.c))
    full[columns] = lemmas
    return Model(
        codes=prior.codes,
        bias=bias.copy(),
        entry_code=prior.entry_code,
        keyword_weights=keywords.copy(),
        lemma_weights=full,
        learned_from=learned_from,
        examples=len(examples),
        learned_codes=[code for code, ok in zip(prior.codes, learned) if ok],
    )


def _keep_the_codebook(
    prior: Model, codes: np.ndarray, bias: np.ndarray, keywords: np.ndarray, lemmas: np.ndarray
) -> None:
    """Put back the codebook's weights of `codes` (a mask), which were not learned (in place).

    Their examples weigh nothing, so the optimiser leaves them where it started; this makes sure
    not even rounding moves them.
    """
    bias[codes] = prior.bias[codes]
    entries = np.flatnonzero(codes)
    unlearned = np.isin(prior.entry_code, entries)
    keywords[unlearned] = prior.keyword_weights[unlearned]
    lemmas[:, codes] = 0.0
