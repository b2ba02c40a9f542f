"""Lemmas from simplemma's bundled dictionaries, remembered per word form.

simplemma gives good Bokmål lemmas (avstander → avstand, arbeidsgiverne → arbeidsgiver) with no
download. A study repeats the same few thousand word forms endlessly, so each form is looked up
once per language and kept in a dictionary.
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

_LEMMAS: dict[str, dict[str, str]] = {}
_KNOWN: dict[str, dict[str, bool]] = {}


def _simplemma_language(language: str) -> str:
    return {"no": "nb"}.get(language, language)


def lemma(form: str, language: str) -> str:
    """The lower-case lemma of a word form (the form itself, lower-cased, when unknown)."""
    table = _LEMMAS.get(language)
    if table is None:
        table = _LEMMAS[language] = {}
    found = table.get(form)
    if found is None:
        try:
            found = simplemma.lemmatize(form, lang=_simplemma_language(language)).lower()
        except ValueError:  # a language simplemma does not have: keep the form
            found = form.lower()
        table[form] = found
    return found


def lemmas_of(forms: list[str], language: str) -> list[str]:
    """`lemma` of every form; forms already looked up cost one dictionary lookup each."""
    table = _LEMMAS.get(language)
    if table is None:
        table = _LEMMAS[language] = {}
    found = list(map(table.get, forms))
    if None in found:
        found = [lemma(f, language) if known is None else known for f, known in zip(forms, found)]
    return found


def warm_up(language: str) -> None:
    """Load simplemma's dictionary for the language now rather than on the first word."""
    lemma("hus", language)
    is_known("hus", language)


def is_known(form: str, language: str) -> bool:
    """Whether the form is in simplemma's dictionary (a word, not a typo or a rare compound)."""
    table = _KNOWN.get(language)
    if table is None:
        table = _KNOWN[language] = {}
    found = table.get(form)
    if found is None:
        try:
            found = bool(simplemma.is_known(form, lang=_simplemma_language(language)))
        except ValueError:
            found = True
        table[form] = found
    return found


@lru_cache(maxsize=1)
def simplemma_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("simplemma")
    except PackageNotFoundError:  # pragma: no cover - installed as a dependency
        return "unknown"
