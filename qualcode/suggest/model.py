"""The scoring model: one logistic score per code from keywords and learned lemma weights.

For a passage and a code the score is

    p = 1 / (1 + exp(-(bias[code] + Σ keyword weights matched + Σ lemma weights present)))

where nothing in the sentence of a negative keyword of the code counts for the code: not its
keyword matches, and not the lemmas found only there (features.segment_features). A negative
keyword thus takes away what its sentence would have given the code, and nothing from the
other sentences of the passage («Vi tar avstand fra det. Avstanden til kontoret er stor.» is
still geographic).

Before anything is learned the model is the codebook: each keyword weighs
`KEYWORD_SCALE × its codebook weight × how telling it is in this study`, and the bias is
BIAS_PRIOR. With the defaults one ordinary keyword alone gives 0.5, a weight-2 keyword 0.88, and
a weight-0.5 keyword 0.27.

A keyword is *telling* when it is rare in the study: one found in more than one passage in
twenty (TELLING_SHARE) is discounted in proportion to log(passages / passages containing it), so
a word that appears everywhere in this study (say «telefon» in a study of call centres) cannot
drive suggestions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from qualcode.suggest.features import SegmentFeatures
from qualcode.suggest.matching import KeywordIndex

BIAS_PRIOR = -2.0
KEYWORD_SCALE = 2.0
TELLING_SHARE = 0.05
MIN_TELLING = 0.25


def telling(document_frequency: np.ndarray, passages: int) -> np.ndarray:
    """How telling each keyword is (0.25 to 1), from the passages of the study containing it."""
    factor = np.ones(document_frequency.shape[0])
    if passages < 20:
        return factor
    seen = document_frequency > 0
    factor[seen] = np.log(passages / document_frequency[seen]) / math.log(1 / TELLING_SHARE)
    return np.clip(factor, MIN_TELLING, 1.0)


@dataclass
class Model:
    """Weights of every code the model can suggest."""

    codes: list[str]
    bias: np.ndarray
    """(codes,) intercepts."""
    entry_code: np.ndarray
    """(keyword entries,) index into `codes` of each entry's code, -1 if it is not modelled."""
    keyword_weights: np.ndarray
    """(keyword entries,) weight of each keyword (0 for negative keywords: they mask instead)."""
    lemma_weights: np.ndarray | None = None
    """(lemma numbers + 1, codes) learned weights; the last row is zero (unseen lemmas)."""
    learned_from: list[str] = field(default_factory=list)
    """Whose codings and decisions the model was given, for display: coder names, `decisions`."""
    examples: int = 0
    """How many passages and decisions it was given."""
    learned_codes: list[str] = field(default_factory=list)
    """The codes whose weights were learned; the others keep the codebook's (too little
    evidence about them yet, see learning.codes_to_learn)."""
    notes: list[str] = field(default_factory=list)
    """What could not be learned from, and why (codings whose text is gone, ...)."""
    _weighted: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def learned(self) -> bool:
        return self.lemma_weights is not None

    def weighted_lemmas(self) -> np.ndarray:
        """(lemma numbers + 1,) whether a lemma has any non-zero weight (most have none)."""
        if self._weighted is None:
            self._weighted = np.asarray(self.lemma_weights != 0).any(axis=1)
        return self._weighted

    def logits(self, features: SegmentFeatures) -> np.ndarray:
        """(passages, codes) scores before the logistic function."""
        out = np.tile(self.bias, (features.count, 1))
        if self.lemma_weights is not None and features.lemma_id.size:
            ids = np.minimum(features.lemma_id, self.lemma_weights.shape[0] - 1)
            weighted = self.weighted_lemmas()[ids]
            ids, segments = ids[weighted], features.lemma_segment[weighted]
            if ids.size:
                cut = np.flatnonzero(np.r_[True, segments[1:] != segments[:-1]])
                out[segments[cut]] += np.add.reduceat(self.lemma_weights[ids], cut, axis=0)
        if self.lemma_weights is not None and features.masked_lemma.size:
            codes = self.entry_code[features.masked_entry]
            ok = codes >= 0
            ids = np.minimum(features.masked_lemma[ok], self.lemma_weights.shape[0] - 1)
            np.subtract.at(
                out, (features.masked_segment[ok], codes[ok]), self.lemma_weights[ids, codes[ok]]
            )
        if features.keyword_entry.size:
            codes = self.entry_code[features.keyword_entry]
            ok = codes >= 0
            np.add.at(
                out,
                (features.keyword_segment[ok], codes[ok]),
                self.keyword_weights[features.keyword_entry[ok]],
            )
        return out

    def scores(self, features: SegmentFeatures) -> np.ndarray:
        """(passages, codes) probabilities."""
        return 1.0 / (1.0 + np.exp(-self.logits(features)))

    def lemma_weight(self, lemma_id: int, code: int) -> float:
        if self.lemma_weights is None or lemma_id >= self.lemma_weights.shape[0] - 1:
            return 0.0
        return float(self.lemma_weights[lemma_id, code])


def keyword_prior(index: KeywordIndex, factors: np.ndarray) -> np.ndarray:
    """Keyword weights from the codebook: scale × weight × telling (0 for negatives)."""
    out = np.zeros(len(index.entries))
    for entry in index.entries:
        if not entry.negative:
            out[entry.id] = KEYWORD_SCALE * entry.weight * factors[entry.id]
    return out


def codebook_model(index: KeywordIndex, factors: np.ndarray, codes: list[str]) -> Model:
    """The model before learning: the codebook's keywords alone."""
    position = {code: i for i, code in enumerate(codes)}
    entry_code = np.array([position.get(e.code, -1) for e in index.entries], np.int64)
    return Model(
        codes=list(codes),
        bias=np.full(len(codes), BIAS_PRIOR),
        entry_code=entry_code,
        keyword_weights=keyword_prior(index, factors),
    )
