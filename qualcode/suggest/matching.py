"""Finding a codebook's keywords in analysed text, on lemmas.

A keyword matches a word when their lemmas (or written forms) agree, so inflected forms count
(avstander → avstand). In Norwegian a keyword of at least five letters also matches as the head
or the first part of a compound (sentralbordet, NAV-sentralbordet, avstandsproblemer), provided
the rest of the compound is itself a word, so short keywords do not flood. An unknown word that
is one letter (two in long words) away from a keyword is taken as a spelling slip. Phrases match
their words in order inside one sentence, allowing one extra word between each pair
(«fikk ikke tak i» for «få tak i»). Negative keywords remove the matches of their code that they
overlap («ta avstand» is not geographic distance) and count against the code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from qualcode.language import Analysis, is_known, lemma
from qualcode.language.pipeline import word_forms
from qualcode.study.codebook import Codebook

MIN_COMPOUND_KEYWORD = 5
"""A keyword must have at least this many letters to be found inside a compound."""
MIN_OTHER_PART = 3
"""The rest of a compound must have at least this many letters and be a word."""
MIN_FUZZY_WORD = 6
"""Words shorter than this are never taken as spelling slips."""
MATCHING_VERSION = "1"
PHRASE_SLOP = 1
"""Extra words allowed between two words of a phrase."""
COMPOUNDING = frozenset({"nb", "nn", "no", "da", "sv", "de"})
_ENDINGS = ("ene", "ane", "en", "et", "er", "ar", "e", "a", "s", "t", "r", "ne")

WORD, INFLECTED, COMPOUND, SPELLING, PHRASE = range(5)
HOW = {
    WORD: "keyword",
    INFLECTED: "inflected form",
    COMPOUND: "in a compound",
    SPELLING: "spelling close to",
    PHRASE: "phrase",
}


@dataclass(frozen=True)
class KeywordEntry:
    """One keyword (or negative keyword) of one code, ready for matching."""

    id: int
    code: str
    term: str
    weight: float
    negative: bool
    parts: tuple[frozenset[str], ...]
    """For each word of the term, the keys that match it (its lemma and its written form)."""


@dataclass
class Matches:
    """Keyword matches in one analysis, as parallel arrays sorted by first token."""

    first: np.ndarray
    last: np.ndarray
    """Token index after the last token of the match."""
    entry: np.ndarray
    how: np.ndarray

    def __len__(self) -> int:
        return int(self.first.shape[0])


_INDEXES: dict[tuple[int, str], KeywordIndex] = {}


def keyword_index(codebook: Codebook, language: str) -> KeywordIndex:
    """The keyword index of a codebook, made once per process (its word-form memory is kept)."""
    key = (id(codebook), language)
    found = _INDEXES.get(key)
    if found is None or found.codebook is not codebook:
        found = _INDEXES[key] = KeywordIndex(codebook, language)
    return found


class KeywordIndex:
    """The codebook's keywords in one language, indexed by lemma for one pass over the text."""

    def __init__(self, codebook: Codebook, language: str) -> None:
        self.codebook = codebook
        self._signature = ""
        self.language = language
        self.compounding = language in COMPOUNDING
        self.entries: list[KeywordEntry] = []
        self.single: dict[str, list[int]] = {}
        self.long_single: dict[str, list[int]] = {}
        self.phrase_parts: dict[str, list[int]] = {}
        """Key -> the phrase parts (columns of `phrases`) it matches."""
        self.phrases: list[tuple[int, tuple[int, ...]]] = []
        """(entry id, one column per word) for every keyword of more than one word."""
        self._columns = 0
        self._table: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._types: dict[tuple[str, str], _TypeInfo] = {}
        for code in codebook.walk():
            for negative, keywords in ((False, code.keywords), (True, code.negative_keywords)):
                for keyword in keywords:
                    self._add(code.id, keyword.term, keyword.weight, negative)
        self._fuzzy_choices = list(self.long_single)
        codes = dict.fromkeys(e.code for e in self.entries)
        code_number = {code: i for i, code in enumerate(codes)}
        self.entry_code_number = np.array([code_number[e.code] for e in self.entries], np.int64)
        self.entry_negative = np.array([e.negative for e in self.entries], bool)

    def _add(self, code: str, term: str, weight: float, negative: bool) -> None:
        forms = word_forms(term, self.language)
        parts = tuple(frozenset({lemma(f, self.language), f.lower()}) for f in forms)
        entry = KeywordEntry(len(self.entries), code, term, weight, negative, parts)
        self.entries.append(entry)  # kept even when empty, so entry ids agree across languages
        if not parts:
            return
        if len(parts) == 1:
            for key in parts[0]:
                self.single.setdefault(key, []).append(entry.id)
                if len(key) >= MIN_COMPOUND_KEYWORD and key.isalpha():
                    self.long_single.setdefault(key, []).append(entry.id)
        else:
            columns = tuple(range(self._columns, self._columns + len(parts)))
            self._columns += len(parts)
            self.phrases.append((entry.id, columns))
            for column, keys in zip(columns, parts):
                for key in keys:
                    self.phrase_parts.setdefault(key, []).append(column)

    @property
    def signature(self) -> str:
        """Identifies the keywords and the matching rules (for caching matches)."""
        if self._signature:
            return self._signature
        digest = hashlib.sha256(f"{MATCHING_VERSION}|{self.language}".encode())
        for e in self.entries:
            digest.update(f"\n{e.code}|{e.term}|{e.weight}|{e.negative}".encode())
        self._signature = digest.hexdigest()[:12]
        return self._signature

    # -- one word form -------------------------------------------------------------------------

    def type_matches(self, form: str, lemma: str) -> tuple[tuple[int, int], ...]:
        """(entry id, how) for every single-word keyword this word form matches."""
        return self._type_info(form, lemma)[0]

    def _type_info(self, form: str, lemma: str) -> _TypeInfo:
        key = (form, lemma)
        found = self._types.get(key)
        if found is None:
            by_lemma = self.phrase_parts.get(lemma, ())
            by_form = self.phrase_parts.get(form.lower(), ())
            columns = tuple(sorted({*by_lemma, *by_form})) if by_lemma or by_form else ()
            found = (self._type_matches(form, lemma), columns)
            self._types[key] = found
        return found

    def _type_infos(self, analysis: Analysis) -> list[_TypeInfo]:
        """`_type_info` of every word form of the analysis (one lookup each when seen before)."""
        keys = list(zip(analysis.forms, analysis.lemmas))
        found = list(map(self._types.get, keys))
        if None in found:
            found = [info or self._type_info(*key) for info, key in zip(found, keys)]
        return found

    def _type_matches(self, form: str, lemma: str) -> tuple[tuple[int, int], ...]:
        lower = form.lower()
        ids = set(self.single.get(lemma, ())) | set(self.single.get(lower, ()))
        if ids:
            how = WORD if lower in {self.entries[i].term.lower() for i in ids} else INFLECTED
            return tuple((i, how) for i in sorted(ids))
        if not lower.isalpha() and "-" not in lower:
            return ()
        if self.compounding and len(lower) >= MIN_COMPOUND_KEYWORD + MIN_OTHER_PART:
            ids = self._compound(lemma, lower)
            if ids:
                return tuple((i, COMPOUND) for i in ids)
        if len(lower) >= MIN_FUZZY_WORD and lower.isalpha() and not is_known(form, self.language):
            ids = self._spelling(lower, lemma)
            if ids:
                return tuple((i, SPELLING) for i in ids)
        return ()

    def _is_word_part(self, part: str) -> bool:
        """Whether the rest of a compound is a word (allowing a linking -s- or -e-, or a hyphen)."""
        if part.endswith("-"):
            return len(part) >= 2
        if len(part) < MIN_OTHER_PART:
            return False
        if is_known(part, self.language):
            return True
        return part[-1] in "se" and len(part) > MIN_OTHER_PART and is_known(part[:-1], self.language)

    def _compound(self, lemma: str, lower: str) -> list[int]:
        # The keyword as the head (last part): the lemma carries the inflection away.
        for text in dict.fromkeys((lemma, lower)):
            for cut in range(MIN_OTHER_PART, len(text) - MIN_COMPOUND_KEYWORD + 1):
                ids = self.long_single.get(text[cut:])
                if ids and self._is_word_part(text[:cut]):
                    return list(ids)
        # The keyword as the first part: the written form keeps it as it is.
        for cut in range(len(lower) - MIN_OTHER_PART, MIN_COMPOUND_KEYWORD - 1, -1):
            ids = self.long_single.get(lower[:cut])
            if not ids:
                continue
            rest = lower[cut:].lstrip("-")
            if rest[:1] in ("s", "e") and not is_known(rest, self.language):
                rest = rest[1:]
            if len(rest) >= MIN_OTHER_PART and is_known(rest, self.language):
                return list(ids)
        return []

    def _spelling(self, lower: str, lemma: str) -> list[int]:
        if not self._fuzzy_choices:
            return []
        best: tuple[str, float] | None = None
        stems = {lower, lemma}
        stems.update(lower[: -len(e)] for e in _ENDINGS if lower.endswith(e) and len(lower) - len(e) >= 5)
        for stem in stems:
            limit = 1 if len(stem) < 10 else 2
            found = process.extractOne(
                stem, self._fuzzy_choices, scorer=OSA.distance, score_cutoff=limit
            )
            if found is not None and found[1] > 0 and (best is None or found[1] < best[1]):
                best = (found[0], found[1])
        return list(self.long_single[best[0]]) if best else []

    # -- a whole text --------------------------------------------------------------------------

    def match(self, analysis: Analysis) -> Matches:
        """Every keyword and phrase match in the analysis, negative keywords applied.

        Word forms are looked at once each (and remembered across texts); the tokens are then
        handled as whole arrays.
        """
        infos = self._type_infos(analysis)
        words = self._match_words(analysis, infos)
        phrases = self._match_phrases(analysis, infos)
        if phrases:  # single words come in token order already; phrases go in among them
            first, last, entry, how = (np.concatenate(c) for c in zip(words, *phrases))
            order = np.lexsort((entry, how == PHRASE, first))
            first, last, entry, how = first[order], last[order], entry[order], how[order]
        else:
            first, last, entry, how = words
        matches = Matches(
            first.astype(np.int32),
            last.astype(np.int32),
            entry.astype(np.int32),
            how.astype(np.int8),
        )
        return self._apply_negatives(matches)

    @staticmethod
    def _match_words(analysis: Analysis, infos: list[_TypeInfo]) -> _Columns:
        """Single-word matches: every token of every form that matched, in token order."""
        matched = [(t, info[0]) for t, info in enumerate(infos) if info[0]]
        if not matched:
            empty = np.zeros(0, np.int64)
            return empty, empty, empty, empty
        counts = np.zeros(len(infos), np.int64)
        counts[[t for t, _ in matched]] = [len(found) for _, found in matched]
        flat_entry = np.array([e for _, found in matched for e, _ in found], np.int64)
        flat_how = np.array([h for _, found in matched for _, h in found], np.int64)
        offsets = np.cumsum(counts) - counts
        types = analysis.types
        tokens = np.flatnonzero(counts[types] > 0)
        per_token = counts[types[tokens]]
        total = int(per_token.sum())
        within = np.arange(total) - np.repeat(np.cumsum(per_token) - per_token, per_token)
        flat = np.repeat(offsets[types[tokens]], per_token) + within
        first = np.repeat(tokens.astype(np.int64), per_token)
        return first, first + 1, flat_entry[flat], flat_how[flat]

    def _phrase_table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(phrases,) entry ids, (phrases,) word counts and (phrases, most words) columns."""
        if self._table is None:
            longest = max(len(columns) for _, columns in self.phrases)
            table = np.full((len(self.phrases), longest), -1, np.int64)
            for row, (_, columns) in enumerate(self.phrases):
                table[row, : len(columns)] = columns
            self._table = (
                np.array([entry_id for entry_id, _ in self.phrases], np.int64),
                np.array([len(columns) for _, columns in self.phrases], np.int64),
                table,
            )
        return self._table

    def _match_phrases(self, analysis: Analysis, infos: list[_TypeInfo]) -> list[_Columns]:
        """Phrase matches: each word in order, at most PHRASE_SLOP words between, one sentence.

        Every place where some phrase could start is followed at once, word by word, for all
        phrases together, so the work does not grow with the number of phrases.
        """
        if not self.phrases:
            return []
        with_parts = [(t, info[1]) for t, info in enumerate(infos) if info[1]]
        if not with_parts:
            return []
        # One row per word form that is a word of some phrase, plus an empty row for the rest.
        rows = len(with_parts)
        member = np.zeros((rows + 1, self._columns), bool)
        member[
            [r for r, (_, columns) in enumerate(with_parts) for _ in columns],
            [c for _, columns in with_parts for c in columns],
        ] = True
        row_of = np.full(len(infos), rows, np.int64)
        row_of[[t for t, _ in with_parts]] = np.arange(rows)
        token_row = row_of[analysis.types]
        entry_of, words, table = self._phrase_table()
        start_row, start_phrase = np.nonzero(member[:, table[:, 0]])
        if not start_row.size:
            return []
        per_row = np.bincount(start_row, minlength=rows + 1)
        offset = np.cumsum(per_row) - per_row
        tokens = np.flatnonzero(per_row[token_row] > 0)
        counts = per_row[token_row[tokens]]
        within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        phrase = start_phrase[np.repeat(offset[token_row[tokens]], counts) + within]
        first = np.repeat(tokens, counts)
        sentence = analysis.sentence_of
        count = len(analysis)
        found_at: list[np.ndarray] = []
        found_last: list[np.ndarray] = []
        walking = np.arange(first.shape[0])  # the starts still being followed
        position = first.copy()
        for word in range(1, table.shape[1] + 1):
            complete = words[phrase[walking]] == word
            found_at.append(walking[complete])
            found_last.append(position[walking[complete]] + 1)
            walking = walking[~complete]
            if not walking.size:
                break
            column = table[phrase[walking], word]
            here, home = position[walking], sentence[first[walking]]
            found = np.full(walking.shape[0], -1, np.int64)
            for step in range(1, 2 + PHRASE_SLOP):
                after = here + step
                ok = (found < 0) & (after < count)
                at = np.where(ok, after, 0)
                ok &= (sentence[at] == home) & member[token_row[at], column]
                found[ok] = after[ok]
            walking = walking[found >= 0]
            position[walking] = found[found >= 0]
        hits = np.concatenate(found_at)
        if not hits.size:
            return []
        return [
            (
                first[hits],
                np.concatenate(found_last),
                entry_of[phrase[hits]],
                np.full(hits.shape[0], PHRASE, np.int64),
            )
        ]

    def _apply_negatives(self, matches: Matches) -> Matches:
        """Drop the matches that overlap a negative keyword match of the same code."""
        if len(matches) == 0:
            return matches
        negative = self.entry_negative[matches.entry]
        if not negative.any():
            return matches
        codes = self.entry_code_number[matches.entry]
        first, last = matches.first, matches.last
        keep = ~negative
        positive = np.flatnonzero(keep)
        negatives = np.flatnonzero(negative)
        for at in range(0, negatives.shape[0], 256):  # a few hundred at a time keeps memory small
            n = negatives[at : at + 256, None]
            hit = (
                (codes[n] == codes[positive])
                & (first[n] < last[positive])
                & (first[positive] < last[n])
            ).any(axis=0)
            keep[positive[hit]] = False
        keep |= negative
        return Matches(first[keep], last[keep], matches.entry[keep], matches.how[keep])


_TypeInfo = tuple[tuple[tuple[int, int], ...], tuple[int, ...]]
"""For one word form: its single-word matches (entry, how) and the phrase parts it fits."""
_Columns = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
