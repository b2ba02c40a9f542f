"""Learning per-code word weights from codings and from accepted or rejected suggestions.

The model is a logistic regression per code over the lemmas present in a passage and the
keywords matched in it, with an L2 penalty that pulls every weight towards what the codebook
says: lemma weights towards 0, keyword weights towards their codebook value, the bias towards
the codebook model's bias. This is the same as a Gaussian prior centred on the codebook. With
few codings the model stays close to the keywords; as codings accumulate, the words coders
actually code on gain weight and keywords that mislead in this study lose it.

Why this model: logistic regression gives a calibrated score per code (several codes may apply
to one passage), its weights are per word and can be shown as the reason for a suggestion, it
trains in seconds (scipy's L-BFGS-B on the penalised log-likelihood and its gradient, with the
passages as a sparse passage × lemma matrix), and the penalty keeps it from over-reading a few
codings. Lemmas seen in fewer than MIN_PASSAGES training passages are left out.

Passages are the study's segments (paragraphs by default) in transcripts the coder has coded,
except the interviewer's. A passage is positive for a code when a coding of it covers at least
half of the passage or half of the coding lies in the passage; every other passage of a coded
transcript is a negative example. An accepted suggestion is a positive example of its passage
and code, a rejected one a negative example, each weighing FEEDBACK_WEIGHT passages.
"""

from __future__ import annotations

from dataclasses import dataclass

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

    @classmethod
    def concatenate(cls, parts: list[Examples], codes: int) -> Examples:
        if not parts:
            empty = SegmentFeatures.concatenate([])
            return cls(empty, np.zeros((0, codes)), np.zeros((0, codes)))
        return cls(
            SegmentFeatures.concatenate([p.features for p in parts]),
            np.concatenate([p.labels for p in parts]),
            np.concatenate([p.weights for p in parts]),
        )

    def __len__(self) -> int:
        return self.features.count

    def positives(self) -> np.ndarray:
        """(codes,) weighted count of positive passages per code."""
        return (self.labels * (self.weights > 0)).sum(axis=0)


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
    """Learn weights from labelled passages, starting from (and pulled towards) `prior`."""
    features = examples.features
    if len(examples) == 0:
        return prior
    present = np.bincount(features.lemma_id, minlength=vocabulary_size)
    present[0] = 0
    columns = np.flatnonzero(present >= MIN_PASSAGES)
    problem = _Problem(examples, prior, columns)
    theta = problem.minimise()
    bias, keywords, lemmas = problem.unpack(theta)
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
    )
