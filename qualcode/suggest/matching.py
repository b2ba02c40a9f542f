"""Finding a codebook's keywords in analysed text, on lemmas.

A keyword matches a word when their lemmas (or written forms) agree, so inflected forms count
(avstander → avstand). In Norwegian a keyword of at least five letters also matches as the head
or the first part of a compound (hovedsentralbordet, NAV-sentralbordet, avstandsproblemer),
provided the rest of the compound is itself a word, so short keywords do not flood. An unknown word that
is one letter (two in long words) away from a keyword is taken as a spelling slip. Phrases match
their words in order inside one sentence, allowing one extra word between each pair
(«fikk ikke tak i» for «få tak i»). A negative keyword is matched the same way and keeps the
sentence it is in: that sentence does not count for its code («Vi tar avstand fra det» is not
geographic distance), the rest of the passage does (see features.segment_features).

Words the dictionary knows as a whole are split in their base form (plasseringen as plassering),
so the rest must be a base form too; the rest must have at least MIN_OTHER_PART letters, be in
the dictionary in its base form or with an ending (not valgte, whose base form is velge), and
not be an ending that makes a new word (kontorist, plassering, tiltakende). The first part of a
compound must be a word of MIN_OTHER_PART letters or more (not for-ordning). A hyphenated word
is read part by part. Where keywords overlap inside a word the longest counts; different
keywords in different parts all count (kontaktperson-ordningen).
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
MIN_OTHER_PART = 4
"""The rest of a compound must have at least this many letters and be a word."""
NOT_A_HEAD = frozenset({
    "ende", "endes", "ering", "eringer", "ist", "ister", "isme", "inne", "ning", "ninger", "else",
    "elser", "aktig", "messig", "lig", "lige", "het", "heten", "skap", "skapet",
})
"""Endings that make a new word of the keyword (kontorist, plassering, tiltakende), never the
last part of a compound even where they are also words (ende, inne, skap)."""
MIN_FUZZY_WORD = 6
"""Words shorter than this are never taken as spelling slips."""
MATCHING_VERSION = "2"
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
    code: np.ndarray
    """The code of each match's keyword, numbered as in `KeywordIndex.entry_code_number`."""
    negative: np.ndarray
    """1 for a negative keyword, 0 for a keyword."""
    scope_first: np.ndarray
    scope_last: np.ndarray
    """Tokens [scope_first, scope_last) a negative keyword speaks for: its sentence (for a
    keyword, the match itself)."""

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
        self._heads = {key[-MIN_COMPOUND_KEYWORD:] for key in self.long_single}
        self._starts = {key[:MIN_COMPOUND_KEYWORD] for key in self.long_single}
        """How keywords long enough for compounds end and begin: a word that ends and begins
        otherwise has none inside it, which spares looking at every place it could be cut."""
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
        hyphenated = "-" in lower
        if not lower.isalpha() and not hyphenated:
            return ()
        if self.compounding and (hyphenated or len(lower) >= MIN_COMPOUND_KEYWORD + MIN_OTHER_PART):
            ids = self._compound(lemma, lower)
            if ids:
                return tuple((i, COMPOUND) for i in ids)
        if len(lower) >= MIN_FUZZY_WORD and lower.isalpha() and not is_known(form, self.language):
            ids = self._spelling(lower, lemma)
            if ids:
                return tuple((i, SPELLING) for i in ids)
        return ()

    def _compound(self, lemma: str, lower: str) -> list[int]:
        """The keywords a compound is made of: the longest at each place, several if they differ.

        A hyphenated word is taken part by part (kontaktperson-ordningen: kontaktperson and
        ordning; NAV-sentralbordet: sentralbord), and each part may itself be a compound.
        """
        lower_parts = lower.split("-")
        if len(lower_parts) > 1:
            found: list[_Part] = []
            at = 0
            for part in lower_parts:
                if part:
                    found.extend(
                        (at + start, at + end, ids) for start, end, ids in self._word_parts(part)
                    )
                at += len(part) + 1
        else:
            found = self._compound_parts(lemma, lower)
        return _longest(found)

    def _word_parts(self, part: str) -> list[_Part]:
        """One part of a hyphenated word: a keyword itself (in any form), or a compound."""
        base = lemma(part, self.language)
        ids = set(self.single.get(part, ())) | set(self.single.get(base, ()))
        if ids:
            return [(0, len(part), tuple(sorted(ids)))]
        if part.isalpha() and len(part) >= MIN_COMPOUND_KEYWORD + MIN_OTHER_PART:
            return self._compound_parts(base, part)
        return []

    def _compound_parts(self, lemma: str, lower: str) -> list[_Part]:
        """Keywords found as the head (last part) or the first part of an unbroken compound.

        A word the dictionary knows is looked at in its base form only (plasseringen as
        plassering), so the rest of the word is a base form too; an unknown word also as written.
        """
        texts = [lemma] if is_known(lower, self.language) and lemma.isalpha() else [lemma, lower]
        texts = [t for t in dict.fromkeys(texts) if t.isalpha()]
        found: list[_Part] = []
        common = min(map(len, texts), default=0)  # places past it are in the ending alone
        for text in texts:
            size = len(text)
            heads = text[-MIN_COMPOUND_KEYWORD:] in self._heads
            starts = text[:MIN_COMPOUND_KEYWORD] in self._starts
            for cut in range(MIN_OTHER_PART, size - MIN_COMPOUND_KEYWORD + 1 if heads else 0):
                ids = self.long_single.get(text[cut:])
                if ids and self._is_first_part(text[:cut]):
                    found.append((min(cut, common), common, tuple(ids)))
            for cut in range(MIN_COMPOUND_KEYWORD, size - MIN_OTHER_PART + 1 if starts else 0):
                ids = self.long_single.get(text[:cut])
                if ids and self._is_head(text[cut:]):
                    found.append((0, cut, tuple(ids)))
        return found

    def _is_first_part(self, part: str) -> bool:
        """Whether a compound may start with `part`: a word of MIN_OTHER_PART letters or more,
        perhaps followed by a linking -s- or -e- (hoved-, reise-, avstands-)."""
        if len(part) < MIN_OTHER_PART:
            return False
        if is_known(part, self.language):
            return True
        return (
            part[-1] in "se"
            and len(part) > MIN_OTHER_PART
            and is_known(part[:-1], self.language)
        )

    def _is_head(self, rest: str) -> bool:
        """Whether `rest` can end a compound: a word of MIN_OTHER_PART letters or more in the
        dictionary, in its base form or an ending added to it (problem, problemer; not valgte,
        whose base form is velge), perhaps after a linking -s- or -e-, and not an ending that
        makes a new word of the keyword (kontor-ist, plass-ering, tiltak-ende)."""
        if rest in NOT_A_HEAD:
            return False
        candidates = [rest]
        if rest[:1] in ("s", "e"):
            candidates.append(rest[1:])
        return any(self._is_base_word(c) for c in candidates)

    def _is_base_word(self, word: str) -> bool:
        if len(word) < MIN_OTHER_PART or word in NOT_A_HEAD or not is_known(word, self.language):
            return False
        return word.startswith(lemma(word, self.language))

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
        """Every keyword and phrase match in the analysis, negative keywords with their scope.

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
        return self._scoped(analysis, first, last, entry, how)

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

    def _scoped(
        self, analysis: Analysis, first: np.ndarray, last: np.ndarray, entry: np.ndarray, how
    ) -> Matches:
        """The matches with their codes, and each negative keyword's sentence as its scope."""
        negative = self.entry_negative[entry] if entry.size else np.zeros(0, bool)
        scope_first, scope_last = first.copy(), last.copy()
        if negative.any():
            sentence = analysis.sentence_of[first[negative]]
            scope_first[negative] = np.searchsorted(analysis.sentence_of, sentence, side="left")
            scope_last[negative] = np.searchsorted(analysis.sentence_of, sentence, side="right")
        code = self.entry_code_number[entry] if entry.size else entry
        return Matches(
            *(
                np.asarray(a).astype(np.int32)
                for a in (first, last, entry, how, code, negative, scope_first, scope_last)
            )
        )


_Part = tuple[int, int, tuple[int, ...]]
"""A keyword found inside a word: where it starts and ends in the word, and its entries."""


def _longest(parts: list[_Part]) -> list[int]:
    """The entries of the parts not lying inside a longer part (sentralbord, not bord)."""
    kept = [
        (start, end, ids)
        for start, end, ids in parts
        if not any(s <= start and end <= e and e - s > end - start for s, e, _ in parts)
    ]
    return sorted({i for _, _, ids in kept for i in ids})


_TypeInfo = tuple[tuple[tuple[int, int], ...], tuple[int, ...]]
"""For one word form: its single-word matches (entry, how) and the phrase parts it fits."""
_Columns = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
