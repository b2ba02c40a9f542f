"""Keywords are found the way a coder expects: inflected, in compounds, misspelt, as phrases."""

from __future__ import annotations

import pytest

from qualcode.language import analyse_text
from qualcode.suggest.matching import HOW, KeywordIndex


@pytest.fixture
def index(tiny_study):
    return KeywordIndex(tiny_study.codebook, "nb")


def found(index: KeywordIndex, text: str) -> list[tuple[str, str, str, str]]:
    """(words matched, code, keyword, how) for every match in text."""
    analysis = analyse_text(text, "nb")
    matches = index.match(analysis)
    out = []
    for first, last, entry, how in zip(matches.first, matches.last, matches.entry, matches.how):
        e = index.entries[entry]
        words = text[analysis.starts[first] : analysis.ends[last - 1]]
        out.append((words, e.code, e.term, HOW[int(how)]))
    return out


def test_inflected_forms_match(index):
    assert ("Avstandene", "geo", "avstand", "inflected form") in found(index, "Avstandene er store.")
    assert ("kontaktpersonen", "geo", "kontaktperson", "inflected form") in found(
        index, "Vi ringte kontaktpersonen."
    )


def test_keyword_as_head_or_first_part_of_a_compound_matches(index):
    assert ("NAV-sentralbordet", "geo", "sentralbord", "in a compound") in found(
        index, "Jeg ringte NAV-sentralbordet."
    )
    assert ("hovedsentralbordet", "geo", "sentralbord", "in a compound") in found(
        index, "Jeg ringte hovedsentralbordet."
    )
    assert ("avstandsproblemer", "geo", "avstand", "in a compound") in found(
        index, "Vi har avstandsproblemer."
    )


def test_compounds_do_not_flood(index):
    # a short keyword is not looked for inside other words; a long one only in real compounds
    assert found(index, "Familien kjøpte en automobil.") == []
    assert ("mil", "geo", "mil", "keyword") in found(index, "Det er fire mil.")
    assert found(index, "Motstandene og gjenstanden var store.") == []


def test_spelling_slips_match_but_short_words_do_not(index):
    assert ("Avstnad", "geo", "avstand", "spelling close to") in found(index, "Avstnad er et problem.")
    assert ("kontaktpresonen", "geo", "kontaktperson", "spelling close to") in found(
        index, "Hvor er kontaktpresonen?"
    )
    assert found(index, "Vi tok en tur.") == []


def test_phrases_match_inflected_and_with_a_word_between(index):
    hits = found(index, "Jeg fikk ikke tak i noen.")
    assert ("fikk ikke tak i", "geo", "få tak i", "phrase") in hits
    assert ("forstår ikke", "cog", "forstå ikke", "phrase") in found(index, "Jeg forstår ikke.")


def test_phrases_do_not_cross_sentences(index):
    assert not any(h[2] == "få tak i" for h in found(index, "Vi fikk. Tak i taket."))


def test_negative_keywords_suppress_what_they_overlap(index):
    hits = found(index, "Vi tar avstand fra det.")
    assert [h for h in hits if h[1] == "geo" and h[2] == "avstand"] == []
    assert ("tar avstand", "geo", "ta avstand", "phrase") in hits
