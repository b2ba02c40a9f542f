"""Finding a code by typing a few letters of its id or label (typos forgiven).

    rank_codes(study.codebook, "geo dist", language="nb")  # -> [Code(distance.geographic), ...]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from qualcode.study.codebook import Code, Codebook


@dataclass(frozen=True, slots=True)
class CodeMatch:
    code: Code
    score: float


_SPLIT = re.compile(r"[\W_]+")


def _words(text: str) -> list[str]:
    return [w for w in _SPLIT.split(utils.default_process(text)) if w]


def _word_score(needle: str, haystack: list[str]) -> float:
    best = 0.0
    for word in haystack:
        if word.startswith(needle):
            return 100.0
        best = max(best, fuzz.ratio(needle, word), 0.95 * fuzz.ratio(needle, word[: len(needle)]))
    return best


def _score(needles: list[str], haystack: list[str]) -> float:
    """Mean over the typed words of how well each matches some word of the code."""
    if not needles:
        return 0.0
    return sum(_word_score(n, haystack) for n in needles) / len(needles)


def _haystack(codebook: Codebook, code: Code, language: str | None) -> str:
    labels = " ".join(dict.fromkeys(code.labels.values()))
    return f"{code.id} {codebook.path_label(code.id, language, sep=' ')} {labels}"


def rank_codes(
    codebook: Codebook,
    query: str,
    language: str | None = None,
    limit: int = 20,
    first: list[str] | None = None,
    cutoff: float = 60.0,
) -> list[CodeMatch]:
    """Codes best matching `query`, best first.

    An empty query gives the codes in `first` (e.g. the recently used ones), then the whole tree
    in its order. Otherwise each word typed is matched against the words of the code's id, its
    labels in every language and its parents' labels, as a prefix or with rapidfuzz's similarity,
    so `kogn` finds `distance.cognitive`, `geo dist` finds Geografisk distanse and `geografsk`
    still finds it despite the typo.
    """
    codes = list(codebook.walk())
    if not query.strip():
        front = [codebook.get(c) for c in (first or []) if c in codebook]
        ordered = [c for c in front if c is not None]
        ordered += [c for c in codes if c not in ordered]
        return [CodeMatch(c, 100.0) for c in ordered[:limit]]
    words = [_words(_haystack(codebook, c, language)) for c in codes]
    ranked = []
    for code, haystack in zip(codes, words, strict=True):
        score = _score(_words(query), haystack)
        if score >= cutoff:
            ranked.append(CodeMatch(code, score))
    ranked.sort(key=lambda m: (-m.score, codebook.depth(m.code.id), m.code.id))
    return ranked[:limit]
