"""Tokens and sentences from a blank spaCy pipeline, lemmas from simplemma, cached on disk.

A blank `nb` or `en` pipeline has spaCy's rule-based tokenizer for the language; sentences are
split by the rule of spaCy's sentencizer, applied to whole arrays of tokens at once (the same
result as running the sentencizer, at a fraction of its cost). No trained model is needed.
`TextPipeline.analyse` returns an `Analysis` and keeps it in memory and on disk, keyed by a hash
of the text, the language and the versions of the tools, so a changed transcript or an upgraded
tool is never served a stale analysis.
"""

from __future__ import annotations

import hashlib
import re
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from qualcode.errors import SuggestError
from qualcode.language.analysis import Analysis
from qualcode.language.cache import AnalysisCache, cache_dir_for
from qualcode.language.lemmas import lemmas_of, simplemma_version, warm_up

SUPPORTED_LANGUAGES = ("nb", "en")
PIPELINE_VERSION = "3"
_ALIASES = {"no": "nb", "nob": "nb", "nor": "nb", "eng": "en"}


def normalise_language(language: str | None, default: str = "nb") -> str:
    """`nb` or `en` (or another language code spaCy and simplemma both know)."""
    code = (language or default).strip().lower()
    return _ALIASES.get(code, code) or default


@lru_cache(maxsize=8)
def nlp_for(language: str):  # -> spacy.Language
    """A blank spaCy pipeline for the language, with a sentencizer (made once per process).

    `analyse_text` only runs its tokenizer and applies the sentencizer's rule itself.
    """
    import spacy

    try:
        nlp = spacy.blank(language)
    except (ImportError, KeyError, ValueError):  # spaCy's kinds of "no such language"
        raise SuggestError(
            f"qualcode cannot read text in the language `{language}`.",
            hint="Set `language: nb` or `language: en` in qualcode.yaml or in the transcript's "
            "front matter.",
        ) from None
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000  # the blank pipeline keeps no large per-token state
    return nlp


_WORD_CHARACTER = re.compile(r"[^\W_]")
"""A letter or a digit: exactly the characters for which str.isalnum() is true."""


def _is_word(form: str) -> bool:
    return _WORD_CHARACTER.search(form) is not None


_BRACKETED = re.compile(r"\[[^\[\]\n]*\]|\([^()\n]*\)")
"""Text in square brackets or parentheses on one line: the transcriber's, not the informant's."""


def bracketed(starts: np.ndarray, text: str) -> np.ndarray:
    """Which tokens (by start offset, sorted) lie inside brackets or parentheses on one line.

    Transcripts use them for anonymising placeholders (`[navn]`, `[kommunenavn]`, `(navn)`) and
    for the transcriber's notes (`[latter]`, `(peker på D)`): none of it was said by the
    informant, so none of it may match a keyword or be learned from.
    """
    inside = np.zeros(starts.shape[0], bool)
    spans = [m.span() for m in _BRACKETED.finditer(text)]
    if not spans or not starts.size:
        return inside
    bounds = np.array(spans, np.int64)
    at = np.searchsorted(bounds[:, 0], starts, side="right") - 1
    found = at >= 0
    inside[found] = starts[found] < bounds[at[found], 1]
    return inside


@lru_cache(maxsize=1)
def _sentence_punctuation() -> frozenset[str]:
    """The characters after which spaCy's sentencizer starts a new sentence."""
    from spacy.pipeline import Sentencizer

    return frozenset(Sentencizer.default_punct_chars)


def sentence_starts(is_punct: np.ndarray, ends_sentence: np.ndarray) -> np.ndarray:
    """Which tokens start a sentence, by the rule of spaCy's sentencizer, on whole arrays.

    `ends_sentence` marks tokens that are sentence-final punctuation (`.`, `!`, `?`, ...),
    `is_punct` tokens spaCy takes for punctuation of any kind. The sentencizer walks the tokens
    and starts a sentence at the first token after sentence-final punctuation that is not
    punctuation itself; the first token always starts one. Every such token is preceded, since
    the last token that is not punctuation, by at least one sentence-final mark, which is what is
    counted here rather than walking token by token.
    """
    count = int(is_punct.shape[0])
    starts = np.zeros(count, bool)
    if count == 0:
        return starts
    starts[0] = True
    plain = np.flatnonzero(~(is_punct | ends_sentence))
    if plain.size:
        marks = np.cumsum(ends_sentence, dtype=np.int64)[plain]
        since_previous = np.diff(marks, prepend=0)
        starts[plain[since_previous > 0]] = True
    return starts


class FormTable:
    """What is known about every word form a language's texts have had, by spaCy string hash.

    spaCy gives each token the hash of its form. Each form gets a slot the first time it is
    seen, with its text, its length, and whether it is a word, punctuation or sentence-final
    punctuation; the hashes are kept sorted, so a text's tokens find their slots with one
    `np.searchsorted` and no Python work per token.
    """

    WORD, FINAL, PUNCT = 1, 2, 4

    def __init__(self) -> None:
        self._lock = threading.Lock()  # texts may be read in more than one thread at a time
        self.hashes = np.zeros(0, np.uint64)
        """Every hash seen, sorted."""
        self.slot_of_hash = np.zeros(0, np.int64)
        """The slot of each of `hashes`."""
        self.forms: list[str] = []
        self.lengths = np.zeros(0, np.int64)
        self.flags = np.zeros(0, np.uint8)

    def __len__(self) -> int:
        return len(self.forms)

    def slots(self, hashes: np.ndarray, vocab) -> np.ndarray:
        """The slot of each token's hash (int64), learning the forms not seen before."""
        with self._lock:
            return self._slots(hashes, vocab)

    def _slots(self, hashes: np.ndarray, vocab) -> np.ndarray:
        where = np.searchsorted(self.hashes, hashes)
        if self.hashes.size:
            seen = self.hashes[np.minimum(where, self.hashes.size - 1)] == hashes
        else:
            seen = np.zeros(hashes.shape[0], bool)
        if seen.all():
            return self.slot_of_hash[where]
        out = np.empty(hashes.shape[0], np.int64)
        out[seen] = self.slot_of_hash[where[seen]]
        new, which = np.unique(hashes[~seen], return_inverse=True)
        out[~seen] = len(self.forms) + which.reshape(-1)
        self._learn(new, vocab)
        return out

    def _learn(self, new: np.ndarray, vocab) -> None:
        punctuation = _sentence_punctuation()
        strings = vocab.strings
        first = len(self.forms)
        forms = [strings[key] for key in new.tolist()]
        self.forms.extend(forms)
        self.lengths = np.concatenate([self.lengths, np.fromiter(map(len, forms), np.int64)])
        flags = [
            self.WORD * _is_word(form)
            + self.FINAL * (form in punctuation)
            + self.PUNCT * bool(vocab[key].is_punct)
            for key, form in zip(new.tolist(), forms)
        ]
        self.flags = np.concatenate([self.flags, np.array(flags, np.uint8)])
        at = np.searchsorted(self.hashes, new)
        self.hashes = np.insert(self.hashes, at, new)
        self.slot_of_hash = np.insert(self.slot_of_hash, at, np.arange(first, len(self.forms)))


_FORMS: dict[str, FormTable] = {}


def analyse_text(text: str, language: str) -> Analysis:
    """Tokenise, split into sentences and lemmatise `text` (no caching).

    Only spaCy's tokenizer runs over the text; everything else is done once per distinct word
    form (and remembered, see `FormTable`) or on whole arrays, so reading costs little more
    than tokenising.
    """
    return analyse_doc(nlp_for(language).make_doc(text), language, text)


def analyse_doc(doc, language: str, text: str | None = None) -> Analysis:
    """`analyse_text` of a text spaCy's tokenizer (of `nlp_for(language)`) has already read.

    `text` is the text itself, when the caller has it (`doc.text` rebuilds it token by token).
    """
    from spacy.attrs import IDX, ORTH

    if len(doc) == 0:
        empty = np.zeros(0, np.int32)
        return Analysis(language, empty, empty, empty, empty, np.zeros((0, 2), np.int32), [], [])
    table = doc.to_array([ORTH, IDX])
    known = _FORMS.get(language)
    if known is None:
        known = _FORMS[language] = FormTable()
    slots = known.slots(table[:, 0], doc.vocab)
    flags = known.flags[slots]
    starts_all = table[:, 1].astype(np.int64)
    ends_all = starts_all + known.lengths[slots]
    sentence_flags = sentence_starts((flags & FormTable.PUNCT) != 0, (flags & FormTable.FINAL) != 0)
    sentence_all = np.cumsum(sentence_flags) - 1
    sentence_first = np.flatnonzero(sentence_flags)
    sentence_last = np.append(sentence_first[1:] - 1, len(doc) - 1)
    spans = np.stack([starts_all[sentence_first], ends_all[sentence_last]], axis=1)

    keep = (flags & FormTable.WORD) != 0
    keep[keep] = ~bracketed(starts_all[keep], doc.text if text is None else text)
    word_slots = slots[keep]
    present = np.zeros(len(known), bool)
    present[word_slots] = True
    types = np.flatnonzero(present)  # the distinct word forms of the text, by slot
    type_of_slot = np.zeros(len(known), np.int64)
    type_of_slot[types] = np.arange(types.shape[0])
    forms = [known.forms[i] for i in types.tolist()]
    return Analysis(
        language=language,
        starts=starts_all[keep].astype(np.int32),
        ends=ends_all[keep].astype(np.int32),
        types=type_of_slot[word_slots].astype(np.int32),
        sentence_of=sentence_all[keep].astype(np.int32),
        sentence_spans=spans.astype(np.int32),
        forms=forms,
        lemmas=lemmas_of(forms, language),
    )


def word_forms(text: str, language: str) -> list[str]:
    """The words of a short text (a keyword), by spaCy's tokenizer alone."""
    return [t.text for t in nlp_for(language).tokenizer(text) if _is_word(t.text)]


@lru_cache(maxsize=1)
def _spacy_version() -> str:
    import spacy

    return spacy.__version__


def text_fingerprint(text: str) -> str:
    """A short fingerprint of a text; the same as a transcript's `hash`."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def analysis_key(text: str, language: str, fingerprint: str | None = None) -> str:
    """Cache key: the text, its language and the versions of everything that reads it.

    `fingerprint` is the text's `text_fingerprint` when the caller already has it (a
    transcript's `hash`), so that a long text is not hashed again.
    """
    fingerprint = fingerprint or text_fingerprint(text)
    tools = f"{PIPELINE_VERSION}|{_spacy_version()}|{simplemma_version()}|{language}|{fingerprint}"
    return hashlib.sha256(tools.encode()).hexdigest()[:32]


def warm_up_language(language: str) -> None:
    """Make spaCy's pipeline and simplemma's dictionary for a language ready, once per process."""
    nlp_for(language).make_doc("Klar.")
    warm_up(language)


class TextPipeline:
    """Analyses texts once: from memory, else from the disk cache, else with spaCy + simplemma."""

    def __init__(self, cache_dir: Path | None = None, default_language: str = "nb") -> None:
        self.cache = AnalysisCache(cache_dir) if cache_dir is not None else None
        self.default_language = normalise_language(default_language)
        self._memory: dict[str, Analysis] = {}
        self.computed = 0
        """How many analyses were computed (not found in a cache) by this pipeline."""

    @classmethod
    def for_study(cls, study) -> TextPipeline:  # study: qualcode.study.Study
        """A pipeline caching under the study's `.qualcode/cache/` (or QUALCODE_CACHE_DIR)."""
        return cls(cache_dir_for(study.root), default_language=study.config.language)

    def language_of(self, transcript) -> str:
        return normalise_language(getattr(transcript, "language", None), self.default_language)

    def analyse(self, text: str, language: str | None = None) -> Analysis:
        language = normalise_language(language, self.default_language)
        return self._analyse(text, language, analysis_key(text, language))

    def _analyse(self, text: str, language: str, key: str) -> Analysis:
        found = self._memory.get(key)
        if found is not None:
            return found
        if self.cache is not None:
            found = self.cache.load(key)
        if found is None:
            found = analyse_text(text, language)
            self.computed += 1
            if self.cache is not None:
                self.cache.save(key, found)
        self._memory[key] = found
        return found

    def key_of(self, transcript) -> str:
        """The cache key of a transcript's analysis."""
        fingerprint = getattr(transcript, "hash", None)
        return analysis_key(transcript.text, self.language_of(transcript), fingerprint)

    def analyse_transcript(self, transcript) -> Analysis:
        """The analysis of a transcript's canonical text, in its own language."""
        return self._analyse(transcript.text, self.language_of(transcript), self.key_of(transcript))
