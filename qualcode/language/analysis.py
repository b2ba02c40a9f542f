"""The result of reading one text: its words, their lemmas and its sentences, as arrays.

Only word tokens are kept (a token with at least one letter or digit); punctuation does not
count for matching, and neither do words in square brackets or parentheses on one line, which
transcripts use for anonymising placeholders and the transcriber's notes (`[kommunenavn]`,
`(navn)`, `[latter]`). Each token points to a *type*: one distinct word form of the text, which has
one lemma. Working per type rather than per token is what keeps lemmatising and keyword
matching cheap on long studies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qualcode.language.packing import pack, unpack

PACKED_ANALYSIS = 1
"""`kind` of a packed analysis (see qualcode.language.packing)."""


@dataclass
class Analysis:
    """Words, lemmas and sentences of one text. Offsets are code points into that text."""

    language: str
    starts: np.ndarray
    """Start offset of each word token (int32)."""
    ends: np.ndarray
    """End offset of each word token (int32)."""
    types: np.ndarray
    """For each token, the index of its form in `forms` (int32)."""
    sentence_of: np.ndarray
    """For each token, the index of the sentence it lies in (int32)."""
    sentence_spans: np.ndarray
    """(n, 2) start and end offsets of the sentences spaCy found (int32)."""
    forms: list[str]
    """Distinct word forms, as written."""
    lemmas: list[str]
    """Lower-case lemma of each form."""
    _lemma_ids: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return int(self.starts.shape[0])

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices [first, last) of the tokens that overlap the text span [start, end)."""
        first = int(np.searchsorted(self.ends, start, side="right"))
        last = int(np.searchsorted(self.starts, end, side="left"))
        return first, max(first, last)

    def form_of_token(self, index: int) -> str:
        return self.forms[int(self.types[index])]

    def lemma_of_token(self, index: int) -> str:
        return self.lemmas[int(self.types[index])]

    def token_lemmas(self, start: int = 0, end: int | None = None) -> list[str]:
        """Lemmas of the tokens overlapping [start, end) of the text (all tokens by default)."""
        first, last = self.token_range(start, end if end is not None else 1 << 62)
        return [self.lemmas[int(t)] for t in self.types[first:last]]

    def pack(self) -> np.ndarray:
        """The analysis as one flat int32 array (how the disk cache keeps it)."""
        blocks = [self.starts, self.ends, self.types, self.sentence_of, self.sentence_spans]
        return pack(PACKED_ANALYSIS, blocks, [self.language, *self.forms, *self.lemmas])

    @classmethod
    def unpack(cls, packed: np.ndarray) -> Analysis:
        """The inverse of `pack`; ValueError when `packed` is not a packed analysis."""
        blocks, strings = unpack(PACKED_ANALYSIS, packed)
        if len(blocks) != 5:
            raise ValueError("not a packed analysis")
        starts, ends, types, sentence_of, spans = blocks
        words = strings.decode()
        tokens = {len(starts), len(ends), len(types), len(sentence_of)}
        if not words or len(words) % 2 != 1 or len(tokens) != 1:
            raise ValueError("damaged packed analysis")
        half = (len(words) - 1) // 2
        if len(types) and (int(types.min()) < 0 or int(types.max()) >= half):
            raise ValueError("token types out of range")
        return cls(
            language=words[0],
            starts=starts,
            ends=ends,
            types=types,
            sentence_of=sentence_of,
            sentence_spans=spans.reshape(-1, 2),
            forms=words[1 : 1 + half],
            lemmas=words[1 + half :],
        )
