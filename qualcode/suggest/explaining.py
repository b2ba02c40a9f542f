"""Why a passage got a code: the keyword matches, learned words and negative keywords behind it.

Triggers are the words that speak for the code (the workbench highlights them); reasons say
why each counts and how much it adds. A negative keyword of the code found in the passage is a
reason without a trigger: its weight is what its sentence would otherwise have given the code
(the keyword matches it cancelled and the learned weights of the words found only there).
"""

from __future__ import annotations

import numpy as np

from qualcode.suggest.features import SegmentFeatures, TextFeatures
from qualcode.suggest.matching import HOW
from qualcode.suggest.model import Model
from qualcode.suggest.suggestion import NEGATIVE, Reason, Trigger

LEARNED_TRIGGER = 0.25
"""A learned word is shown as a trigger when it adds at least this much to the score."""
MAX_LEARNED_TRIGGERS = 5

_Found = tuple[int, Trigger | None, Reason]
"""Where in the text, the trigger (None for a negative keyword), and the reason."""


class Explainer:
    """Works out why passages of one text got their codes, one suggestion at a time."""

    def __init__(
        self, text: TextFeatures, features: SegmentFeatures, model: Model, entries
    ) -> None:
        self.text = text
        self.features = features
        self.model = model
        self.entries = entries

    def explain(self, key: int) -> tuple[list[Trigger], list[Reason]]:
        """Triggers (in text order) and reasons (one per word, keyword and way of matching).

        `key` is passage row × number of codes + code column.
        """
        row, code = divmod(key, len(self.model.codes))
        first, last = int(self.features.first_token[row]), int(self.features.last_token[row])
        keywords, negatives = self._matches(first, last, code)
        masked = self._masked(row, code)
        found = self._keywords(keywords, negatives)
        found += self._negatives(keywords, negatives, masked)
        if self.model.learned and last > first:
            found += self._learned(first, last, code, masked)
        found.sort(key=lambda item: item[0])
        reasons = {(r.word.lower(), r.keyword, r.how): r for _, _, r in found}
        return [t for _, t, _ in found if t is not None], list(reasons.values())

    def _matches(self, first: int, last: int, code: int) -> tuple[list[tuple], list[tuple]]:
        """The code's keyword and negative keyword matches inside tokens [first, last).

        Each is (first token, last token, entry, how); a negative's is its scope instead.
        """
        m = self.text.matches
        lo = int(np.searchsorted(m.first, first, side="left"))
        hi = int(np.searchsorted(m.first, last, side="left"))
        keywords, negatives = [], []
        for m_first, m_last, entry, how, negative, s_first, s_last in zip(
            *(a[lo:hi].tolist() for a in (m.first, m.last, m.entry, m.how, m.negative,
                                           m.scope_first, m.scope_last))
        ):
            if self.model.entry_code[entry] != code or m_last > last:
                continue
            if negative:
                negatives.append((m_first, m_last, entry, (max(s_first, first), min(s_last, last))))
            else:
                keywords.append((m_first, m_last, entry, how))
        return keywords, negatives

    def _span(self, first: int, last: int) -> tuple[int, int, str]:
        start, end = int(self.text.starts[first]), int(self.text.ends[last - 1])
        return start, end, self.text.source[start:end]

    def _keywords(self, keywords: list[tuple], negatives: list[tuple]) -> list[_Found]:
        """The keyword matches that count (outside every negative keyword's sentence)."""
        out = []
        for m_first, m_last, entry, how in keywords:
            if _scope_of(m_first, m_last, negatives) is not None:
                continue
            start, end, word = self._span(m_first, m_last)
            weight = float(self.model.keyword_weights[entry])
            reason = Reason(word, self.entries[entry].term, HOW[how], weight)
            out.append((start, Trigger(start, end, word), reason))
        return out

    def _negatives(
        self, keywords: list[tuple], negatives: list[tuple], masked: list[tuple[int, float]]
    ) -> list[_Found]:
        """One reason per negative keyword: minus what its sentence would have given (its
        keyword matches, and the `masked` lemmas found only there)."""
        if not negatives:
            return []
        taken = [0.0] * len(negatives)
        counted = {e for f, l_, e, _ in keywords if _scope_of(f, l_, negatives) is None}
        for m_first, m_last, entry, _how in keywords:
            which = _scope_of(m_first, m_last, negatives)
            if which is not None and entry not in counted:
                counted.add(entry)  # an entry counts once per passage, so it is taken once
                taken[which] += float(self.model.keyword_weights[entry])
        for lemma, weight in masked:
            which = self._scope_with_lemma(lemma, negatives)
            if which is not None:
                taken[which] += weight
        out = []
        for (m_first, m_last, entry, _scope), weight in zip(negatives, taken):
            start, _end, word = self._span(m_first, m_last)
            reason = Reason(word, self.entries[entry].term, NEGATIVE, -weight if weight else 0.0)
            out.append((start, None, reason))
        return out

    def _masked(self, row: int, code: int) -> list[tuple[int, float]]:
        """(lemma, learned weight) of the lemmas that do not count for the code in the passage."""
        f, weights = self.features, self.model.lemma_weights
        if weights is None or not f.masked_lemma.size:
            return []
        here = (f.masked_segment == row) & (self.model.entry_code[f.masked_entry] == code)
        lemmas = f.masked_lemma[here].tolist()
        return [(lemma, self.model.lemma_weight(lemma, code)) for lemma in lemmas]

    def _scope_with_lemma(self, lemma: int, negatives: list[tuple]) -> int | None:
        ids = self.text.lemma_ids
        for i, (_f, _l, _e, (lo, hi)) in enumerate(negatives):
            if (ids[lo:hi] == lemma).any():
                return i
        return None

    def _learned(
        self, first: int, last: int, code: int, masked: list[tuple[int, float]]
    ) -> list[_Found]:
        """The passage's words whose learned weight for the code is at least LEARNED_TRIGGER
        (the `masked` lemmas, which do not count for the code, being in a negative keyword's
        sentence only, left out)."""
        text, weights = self.text, self.model.lemma_weights
        ids = text.lemma_ids[first:last].astype(np.int64)
        usable = (ids > 0) & (ids < weights.shape[0] - 1)
        if masked:
            usable &= ~np.isin(ids, [lemma for lemma, _ in masked])
        weight = np.zeros(ids.shape[0])
        weight[usable] = weights[ids[usable], code]
        tokens = np.flatnonzero(weight >= LEARNED_TRIGGER)
        if not tokens.size:
            return []
        _, once = np.unique(ids[tokens], return_index=True)
        tokens = tokens[np.sort(once)]  # the first token of each lemma, in text order
        tokens = tokens[np.argsort(-weight[tokens], kind="stable")][:MAX_LEARNED_TRIGGERS]
        out = []
        for token in tokens.tolist():
            start, end = int(text.starts[first + token]), int(text.ends[first + token])
            word = text.source[start:end]
            lemma = text.vocabulary.lemmas[int(ids[token])]
            reason = Reason(word, lemma, "learned", float(weight[token]))
            out.append((start, Trigger(start, end, word), reason))
        return out


def _scope_of(first: int, last: int, negatives: list[tuple]) -> int | None:
    """The first negative keyword whose scope the tokens [first, last) overlap, if any."""
    for i, (_f, _l, _e, (lo, hi)) in enumerate(negatives):
        if first < hi and lo < last:
            return i
    return None
