"""What the models see of a passage: which lemmas it contains and which keywords matched.

Each distinct lemma of the study gets a number (`Vocabulary`); stop words, numbers and one-letter
words get number 0 and are ignored. A passage is described by the set of its lemma numbers and
the set of keyword entries matched entirely inside it: presence, not counts, so a long passage
that repeats a word is not taken as more certain.

A text is kept as `TextFeatures`: its word tokens' offsets, the lemma of each distinct word form,
and its keyword matches. On disk this is one flat int32 array per transcript (`pack`/`unpack`),
which numpy reads in a fraction of a millisecond; the lemmas are only decoded and numbered when a
learned model needs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

import numpy as np

from qualcode.language import Analysis
from qualcode.language.packing import PackedStrings, pack, unpack
from qualcode.suggest.matching import Matches

FEATURES_FORMAT = 2
"""`kind` of packed text features (see qualcode.language.packing); part of the file names."""


@lru_cache(maxsize=8)
def stop_words(language: str) -> frozenset[str]:
    """spaCy's stop-word list for the language (empty when it has none)."""
    import importlib

    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(w.lower() for w in getattr(module, "STOP_WORDS", ()))


class Vocabulary:
    """Lemma → number, growing as texts are numbered; 0 means 'not a feature'."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.lemmas: list[str] = [""]

    def __len__(self) -> int:
        return len(self.lemmas)

    def id_of(self, lemma: str, language: str) -> int:
        found = self.ids.get(lemma)
        if found is None:
            if (
                len(lemma) < 2
                or lemma in stop_words(language)
                or not (lemma.isalpha() or any(map(str.isalpha, lemma)))
            ):
                found = 0
            else:
                found = len(self.lemmas)
                self.lemmas.append(lemma)
            self.ids[lemma] = found
        return found

    def ids_of(self, lemmas: list[str], language: str) -> np.ndarray:
        """`id_of` every lemma (int32); lemmas numbered before cost one lookup each."""
        found = np.fromiter(map(self.ids.get, lemmas, repeat(-1)), np.int32, len(lemmas))
        for i in np.flatnonzero(found < 0).tolist():
            found[i] = self.id_of(lemmas[i], language)
        return found


class TextFeatures:
    """One text, read, matched against the keywords, its lemmas numbered on demand.

    `starts`/`ends` are the offsets of the word tokens in `source`, `types` points each token to
    its word form, whose lemma is `type_lemmas[type]`. `lemma_ids` (the vocabulary number of
    each token's lemma) is worked out the first time it is asked for; before that, `numbering`
    (when set) is called, so that an owner can number all its texts in a fixed order first.
    """

    def __init__(
        self,
        language: str,
        starts: np.ndarray,
        ends: np.ndarray,
        types: np.ndarray,
        type_lemmas: list[str] | PackedStrings,
        matches: Matches,
        vocabulary: Vocabulary,
        source: str = "",
    ) -> None:
        self.language = language
        self.starts = starts
        self.ends = ends
        self.types = types
        self._type_lemmas = type_lemmas
        self.matches = matches
        self.vocabulary = vocabulary
        self.source = source
        """The text itself (offsets point into it)."""
        self.numbering: Callable[[], None] | None = None
        self._lemma_ids: np.ndarray | None = None

    @classmethod
    def build(
        cls, analysis: Analysis, matches: Matches, vocabulary: Vocabulary, source: str = ""
    ) -> TextFeatures:
        return cls(
            analysis.language,
            analysis.starts,
            analysis.ends,
            analysis.types,
            analysis.lemmas,
            matches,
            vocabulary,
            source,
        )

    def __len__(self) -> int:
        return int(self.starts.shape[0])

    @property
    def type_lemmas(self) -> list[str]:
        """The lemma of each word form of the text."""
        if isinstance(self._type_lemmas, PackedStrings):
            self._type_lemmas = self._type_lemmas.decode()
        return self._type_lemmas

    @property
    def lemma_ids(self) -> np.ndarray:
        """Vocabulary number of each token's lemma (int32)."""
        if self._lemma_ids is None and self.numbering is not None:
            self.numbering()
        if self._lemma_ids is None:
            by_type = self.vocabulary.ids_of(self.type_lemmas, self.language)
            self._lemma_ids = by_type[self.types] if len(self) else np.zeros(0, np.int32)
        return self._lemma_ids

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices [first, last) of the tokens that overlap the text span [start, end)."""
        first = int(np.searchsorted(self.ends, start, side="right"))
        last = int(np.searchsorted(self.starts, end, side="left"))
        return first, max(first, last)

    # -- on disk -------------------------------------------------------------------------------

    def pack(self) -> np.ndarray:
        """Everything but the source text and the numbering, as one flat int32 array."""
        m = self.matches
        blocks = [self.starts, self.ends, self.types, m.first, m.last, m.entry, m.how]
        return pack(FEATURES_FORMAT, blocks, self.type_lemmas)

    @classmethod
    def unpack(
        cls, packed: np.ndarray, language: str, vocabulary: Vocabulary, source: str = ""
    ) -> TextFeatures:
        """The inverse of `pack`; ValueError when the array is not one (or is damaged).

        The lemmas stay packed until a learned model asks for their numbers.
        """
        blocks, strings = unpack(FEATURES_FORMAT, packed)
        if len(blocks) != 7:
            raise ValueError("not packed text features")
        starts, ends, types, first, last, entry, how = blocks
        if len(starts) != len(ends) or len(starts) != len(types):
            raise ValueError("damaged packed text features")
        if len(types) and (int(types.min()) < 0 or int(types.max()) >= len(strings)):
            raise ValueError("token types out of range")
        if len({len(first), len(last), len(entry), len(how)}) != 1:
            raise ValueError("damaged packed keyword matches")
        matches = Matches(first, last, entry, how.astype(np.int8))
        return cls(language, starts, ends, types, strings, matches, vocabulary, source)


@dataclass
class SegmentFeatures:
    """Features of several passages of one text, as (passage, feature) pairs sorted by passage."""

    count: int
    first_token: np.ndarray
    last_token: np.ndarray
    lemma_segment: np.ndarray
    lemma_id: np.ndarray
    keyword_segment: np.ndarray
    keyword_entry: np.ndarray

    @classmethod
    def concatenate(cls, parts: list[SegmentFeatures]) -> SegmentFeatures:
        offsets = np.cumsum([0] + [p.count for p in parts])
        return cls(
            count=int(offsets[-1]),
            first_token=np.concatenate([p.first_token for p in parts] or [np.zeros(0, np.int64)]),
            last_token=np.concatenate([p.last_token for p in parts] or [np.zeros(0, np.int64)]),
            lemma_segment=np.concatenate(
                [p.lemma_segment + o for p, o in zip(parts, offsets)] or [np.zeros(0, np.int64)]
            ),
            lemma_id=np.concatenate([p.lemma_id for p in parts] or [np.zeros(0, np.int64)]),
            keyword_segment=np.concatenate(
                [p.keyword_segment + o for p, o in zip(parts, offsets)] or [np.zeros(0, np.int64)]
            ),
            keyword_entry=np.concatenate(
                [p.keyword_entry for p in parts] or [np.zeros(0, np.int64)]
            ),
        )


_EMPTY = np.zeros(0, np.int64)


def _distinct(keys: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (several times quicker than np.unique on these sizes)."""
    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if keys.size else keys


def segment_features(
    text: TextFeatures, spans: list[tuple[int, int]] | np.ndarray, lemmas: bool = True
) -> SegmentFeatures:
    """Features of text spans [(start, end)], which must be in order and must not overlap.

    With `lemmas=False` only the keyword matches are gathered (all a model that has learned no
    lemma weights looks at), and the text's lemmas are not numbered.
    """
    bounds = np.asarray(spans, np.int64).reshape(-1, 2)
    count = bounds.shape[0]
    first = np.searchsorted(text.ends, bounds[:, 0], side="right").astype(np.int64)
    last = np.maximum(first, np.searchsorted(text.starts, bounds[:, 1], side="left"))
    lemma_segment = lemma_id = _EMPTY
    if lemmas:
        lengths = last - first
        total = int(lengths.sum())
        segment_of = np.repeat(np.arange(count, dtype=np.int64), lengths)
        token = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths - first, lengths)
        ids = text.lemma_ids[token].astype(np.int64)
        keep = ids > 0
        width = int(ids.max()) + 1 if total else 1
        keys = _distinct(segment_of[keep] * width + ids[keep])
        lemma_segment, lemma_id = keys // width, keys % width
    matches = text.matches
    if len(matches) and count:
        where = np.searchsorted(first, matches.first, side="right") - 1
        inside = where >= 0
        inside[inside] &= matches.last[inside] <= last[where[inside]]
        inside[inside] &= matches.first[inside] >= first[where[inside]]
        entries = int(matches.entry.max()) + 1
        pairs = _distinct(where[inside] * entries + matches.entry[inside].astype(np.int64))
        keyword_segment, keyword_entry = pairs // entries, pairs % entries
    else:
        keyword_segment = keyword_entry = _EMPTY
    return SegmentFeatures(
        count=count,
        first_token=first,
        last_token=last,
        lemma_segment=lemma_segment,
        lemma_id=lemma_id,
        keyword_segment=keyword_segment,
        keyword_entry=keyword_entry,
    )
