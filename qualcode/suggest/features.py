"""What the models see of a passage: which lemmas it contains and which keywords matched.

Each distinct lemma of the study gets a number (`Vocabulary`); stop words (see `stop_words`),
numbers and one-letter words get number 0 and are ignored: they are never learned, never shown
as the reason for a suggestion and never proposed as keywords. A passage is described by the set of its lemma numbers and
the set of keyword entries matched entirely inside it: presence, not counts, so a long passage
that repeats a word is not taken as more certain.

A text is kept as `TextFeatures`: its word tokens' offsets, the lemma of each distinct word form,
and its keyword matches. On disk this is one flat int32 array per transcript (`pack`/`unpack`),
which numpy reads in a fraction of a millisecond; the lemmas are only decoded and numbered when a
learned model needs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import lru_cache
from itertools import repeat

import numpy as np

from qualcode.language import Analysis
from qualcode.language.packing import PackedStrings, pack, unpack
from qualcode.suggest.matching import Matches

FEATURES_FORMAT = 3
"""`kind` of packed text features (see qualcode.language.packing); part of the file names."""


SPOKEN_FILLERS = {
    "nb": frozenset(
        ["nesten", "jo", "liksom", "altså", "ganske", "egentlig", "sånn", "sånt", "slags", "kanskje", "faktisk", "vel", "nei", "hm", "eh", "ehm", "mm", "okei", "ok", "greit", "hva", "hvor", "hvordan", "hvorfor", "hvem", "hvis", "fordi", "dere", "deres", "vårt", "våre", "mitt", "min", "mine", "ditt", "din", "dine", "hvert", "hver", "enda", "ennå", "nokså", "selvfølgelig", "absolutt", "akkurat", "uansett", "derfor", "dessuten", "likevel", "ellers", "altfor", "iallfall", "ihvertfall", "iblant", "ofte", "alltid", "aldri", "hvilken", "hvilke", "ene", "mest", "meste", "minst", "mindre", "større", "heller", "kun", "visst", "vist", "dersom", "masse", "tja", "joda", "neida", "sikkert", "nettopp"]
    ),
    "en": frozenset(["yeah", "yes", "okay", "ok", "oh", "um", "uh", "er", "erm", "like", "really", "actually", "basically"]),
}
"""Words of spoken Norwegian and English that say nothing about a code, beyond spaCy's lists."""
CONTENT_WORDS = {
    "nb": frozenset(
        ["kontakt", "plass", "tid", "sted", "land", "leder", "folk", "person", "menneske", "grunn", "dag", "del", "krone", "mål", "by", "sak", "kamp", "poeng", "runde", "kveld", "led"]
    ),
}
"""Words in spaCy's Norwegian stop-word list (made from news text) that do tell in interviews
about work and welfare, and are kept as features."""


_STRESS_ACCENTS = str.maketrans("éèêóòôáàâíìúù", "eeeoooaaaiiuu")


def fold_accents(word: str) -> str:
    """`én` as `en`: accents written for stress do not make another word (å, ø, æ are letters
    of their own and stay)."""
    return word.translate(_STRESS_ACCENTS)


@lru_cache(maxsize=8)
def stop_words(language: str) -> frozenset[str]:
    """Lemmas that never count: spaCy's stop-word list for the language, with the base forms of
    its words (hele → hel) and spoken fillers added, and the content words above taken out."""
    import importlib

    from qualcode.language import lemma

    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except ImportError:
        return frozenset()
    words = {w.lower() for w in getattr(module, "STOP_WORDS", ())}
    words |= SPOKEN_FILLERS.get(language, frozenset())
    words |= {lemma(w, language) for w in words}
    words -= CONTENT_WORDS.get(language, frozenset())
    return frozenset(words | {fold_accents(w) for w in words})


def is_stop_word(word: str, language: str) -> bool:
    """Whether a lemma is a stop word (in the list, or written with an accent, as `Én`)."""
    words = stop_words(language)
    return word in words or fold_accents(word) in words


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
                or is_stop_word(lemma, language)
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
        blocks = [self.starts, self.ends, self.types, *(getattr(m, f) for f in _MATCH_FIELDS)]
        return pack(FEATURES_FORMAT, blocks, self.type_lemmas)

    @classmethod
    def unpack(
        cls, packed: np.ndarray, language: str, vocabulary: Vocabulary, source: str = ""
    ) -> TextFeatures:
        """The inverse of `pack`; ValueError when the array is not one (or is damaged).

        The lemmas stay packed until a learned model asks for their numbers.
        """
        blocks, strings = unpack(FEATURES_FORMAT, packed)
        if len(blocks) != 3 + len(_MATCH_FIELDS):
            raise ValueError("not packed text features")
        starts, ends, types = blocks[:3]
        if len(starts) != len(ends) or len(starts) != len(types):
            raise ValueError("damaged packed text features")
        if len(types) and (int(types.min()) < 0 or int(types.max()) >= len(strings)):
            raise ValueError("token types out of range")
        if len({len(b) for b in blocks[3:]}) != 1:
            raise ValueError("damaged packed keyword matches")
        matches = Matches(*blocks[3:])
        return cls(language, starts, ends, types, strings, matches, vocabulary, source)


_EMPTY = np.zeros(0, np.int64)
_MATCH_FIELDS = tuple(f.name for f in fields(Matches))
"""The arrays of `Matches`, in the order they are packed (and passed to make one)."""


@dataclass
class SegmentFeatures:
    """Features of several passages of one text, as (passage, feature) pairs sorted by passage.

    `masked_*` are (passage, negative keyword entry, lemma) triples: lemmas found only in the
    sentences of a negative keyword of the entry's code, which do not count for that code.
    """

    count: int
    first_token: np.ndarray
    last_token: np.ndarray
    lemma_segment: np.ndarray
    lemma_id: np.ndarray
    keyword_segment: np.ndarray
    keyword_entry: np.ndarray
    masked_segment: np.ndarray = field(default_factory=lambda: _EMPTY)
    masked_entry: np.ndarray = field(default_factory=lambda: _EMPTY)
    masked_lemma: np.ndarray = field(default_factory=lambda: _EMPTY)

    @classmethod
    def concatenate(cls, parts: list[SegmentFeatures]) -> SegmentFeatures:
        offsets = np.cumsum([0] + [p.count for p in parts])

        def joined(name: str, by_segment: bool = False) -> np.ndarray:
            arrays = [
                getattr(p, name) + o if by_segment else getattr(p, name)
                for p, o in zip(parts, offsets)
            ]
            return np.concatenate(arrays) if arrays else _EMPTY

        return cls(
            count=int(offsets[-1]),
            first_token=joined("first_token"),
            last_token=joined("last_token"),
            lemma_segment=joined("lemma_segment", True),
            lemma_id=joined("lemma_id"),
            keyword_segment=joined("keyword_segment", True),
            keyword_entry=joined("keyword_entry"),
            masked_segment=joined("masked_segment", True),
            masked_entry=joined("masked_entry"),
            masked_lemma=joined("masked_lemma"),
        )


def _distinct(keys: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (several times quicker than np.unique on these sizes)."""
    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if keys.size else keys


def segment_features(
    text: TextFeatures, spans: list[tuple[int, int]] | np.ndarray, lemmas: bool = True
) -> SegmentFeatures:
    """Features of text spans [(start, end)], which must be in order and must not overlap.

    A keyword counts for a passage when it matches entirely inside it, outside the sentences of
    the negative keywords of its code there. With `lemmas=False` only the keyword matches are
    gathered (all a model that has learned no lemma weights looks at), and the text's lemmas are
    not numbered.
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
    features = SegmentFeatures(count, first, last, lemma_segment, lemma_id, _EMPTY, _EMPTY)
    matches = text.matches
    if len(matches) and count:
        _keywords(text, features, lemmas)
    return features


def _keywords(text: TextFeatures, features: SegmentFeatures, lemmas: bool) -> None:
    """Fill in the keyword matches of each passage, the negative keywords' scopes applied."""
    matches, first, last = text.matches, features.first_token, features.last_token
    where = np.searchsorted(first, matches.first, side="right") - 1
    inside = where >= 0
    inside[inside] &= matches.last[inside] <= last[where[inside]]
    inside[inside] &= matches.first[inside] >= first[where[inside]]
    negative = matches.negative != 0
    positive = np.flatnonzero(inside & ~negative)
    scopes = _Scopes.of(matches, np.flatnonzero(inside & negative), where, first, last)
    if scopes.count:
        positive = positive[~scopes.covering(matches, positive, where)]
        if lemmas:
            scopes.mask_lemmas(text, features)
    entries = int(matches.entry.max()) + 1
    pairs = _distinct(where[positive] * entries + matches.entry[positive].astype(np.int64))
    features.keyword_segment, features.keyword_entry = pairs // entries, pairs % entries


@dataclass
class _Scopes:
    """The sentences of the negative keywords in some passages, cut to their passage."""

    count: int
    segment: np.ndarray
    code: np.ndarray
    entry: np.ndarray
    lo: np.ndarray
    hi: np.ndarray

    @classmethod
    def of(cls, matches, negatives: np.ndarray, where, first, last) -> _Scopes:
        segment = where[negatives]
        return cls(
            int(negatives.shape[0]),
            segment,
            matches.code[negatives].astype(np.int64),
            matches.entry[negatives].astype(np.int64),
            np.maximum(matches.scope_first[negatives], first[segment]),
            np.minimum(matches.scope_last[negatives], last[segment]),
        )

    def covering(self, matches, chosen: np.ndarray, where) -> np.ndarray:
        """Which of the `chosen` keyword matches lie in a scope of their passage and code."""
        out = np.zeros(chosen.shape[0], bool)
        seg, code = where[chosen], matches.code[chosen]
        lo, hi = matches.first[chosen], matches.last[chosen]
        for at in range(0, self.count, 256):  # a few hundred at a time keeps memory small
            part = slice(at, at + 256)
            out |= (
                (self.segment[part, None] == seg)
                & (self.code[part, None] == code)
                & (self.lo[part, None] < hi)
                & (lo < self.hi[part, None])
            ).any(axis=0)
        return out

    def mask_lemmas(self, text: TextFeatures, features: SegmentFeatures) -> None:
        """The lemmas each (passage, code) has only inside the scopes of that code's negatives.

        Worked out for all (passage, code) groups at once: the tokens of each group's passage,
        which of them lie in one of the group's scopes, and the lemmas found only there.
        """
        ids = text.lemma_ids.astype(np.int64)
        key = self.segment * (int(self.code.max()) + 1) + self.code
        _, first_scope, group_of = np.unique(key, return_index=True, return_inverse=True)
        segment = self.segment[first_scope]
        start = features.first_token[segment]
        group, token = _ranges(start, features.last_token[segment] - start)
        scope_group, scope_token = _ranges(self.lo, np.maximum(self.hi - self.lo, 0))
        tokens = len(ids) + 1
        inside = np.isin(group * tokens + token, group_of[scope_group] * tokens + scope_token)
        width = int(ids.max(initial=0)) + 1
        lemma_keys = group * width + ids[token]
        only = np.setdiff1d(lemma_keys[inside], lemma_keys[~inside])
        only = only[only % width > 0]
        which = only // width
        features.masked_segment = segment[which]
        features.masked_entry = self.entry[first_scope][which]
        features.masked_lemma = only % width


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [start, start + length): which range and which number, for every number."""
    lengths = lengths.astype(np.int64)
    which = np.repeat(np.arange(lengths.shape[0], dtype=np.int64), lengths)
    offsets = np.cumsum(lengths) - lengths
    numbers = np.arange(int(lengths.sum()), dtype=np.int64) - offsets[which] + starts[which]
    return which, numbers
