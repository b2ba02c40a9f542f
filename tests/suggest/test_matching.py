"""Keywords are found the way a coder expects: inflected, in compounds, misspelt, as phrases."""

from __future__ import annotations

import pytest

from qualcode.language import analyse_text
from qualcode.study.codebook import load_codebook
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


def test_negative_keywords_keep_their_sentence(index):
    text = "Vi tar avstand fra det. Avstanden er stor."
    analysis = analyse_text(text, "nb")
    matches = index.match(analysis)
    negative = [i for i, n in enumerate(matches.negative.tolist()) if n]
    assert [index.entries[matches.entry[i]].term for i in negative] == ["ta avstand"]
    (at,) = negative
    first, last = int(matches.scope_first[at]), int(matches.scope_last[at])
    assert text[analysis.starts[first] : analysis.ends[last - 1]] == "Vi tar avstand fra det"
    # the keyword matches stay: which of them count is decided per passage, by sentence
    assert ("avstand", "geo", "avstand", "keyword") in found(index, text)
    assert ("Avstanden", "geo", "avstand", "inflected form") in found(index, text)


COMPOUND_CODEBOOK = """\
codebook: {id: compounds, title: Compounds}
codes:
  - id: place
    label: Place
    keywords: [kontor, plass, tiltak, ordning, kontaktperson, kommune, sentralbord, avstand]
  - id: trust
    label: Trust
    keywords: [tillit]
"""


@pytest.fixture
def compounds(tmp_path):
    path = tmp_path / "compounds.yaml"
    path.write_text(COMPOUND_CODEBOOK, encoding="utf-8")
    return KeywordIndex(load_codebook(path), "nb")


def keywords_in(index: KeywordIndex, text: str) -> list[str]:
    return [keyword for _words, _code, keyword, _how in found(index, text)]


@pytest.mark.parametrize(
    ("word", "not_this"),
    [
        ("kontorist", "kontor"),
        ("kontoristene", "kontor"),
        ("plassering", "plass"),
        ("plasseringen", "plass"),
        ("tiltakende", "tiltak"),
        ("forordning", "ordning"),
        ("tillitsvalgte", "tillit"),
    ],
)
def test_words_that_only_begin_or_end_like_a_keyword_do_not_match(compounds, word, not_this):
    assert not_this not in keywords_in(compounds, f"Det gjelder {word} her.")


@pytest.mark.parametrize(
    ("word", "keyword"),
    [
        ("kontaktpersonen", "kontaktperson"),
        ("NAV-sentralbordet", "sentralbord"),
        ("hovedsentralbordet", "sentralbord"),
        ("sentralbordet", "sentralbord"),
        ("reiseavstandene", "avstand"),
        ("kontorplassen", "kontor"),
    ],
)
def test_true_compounds_still_match(compounds, word, keyword):
    assert keyword in keywords_in(compounds, f"Det gjelder {word} her.")


def test_every_keyword_of_a_hyphenated_word_counts(compounds):
    hits = found(compounds, "Vi har kontaktperson-ordningen nå.")
    assert ("kontaktperson-ordningen", "place", "kontaktperson", "in a compound") in hits
    assert ("kontaktperson-ordningen", "place", "ordning", "in a compound") in hits


def test_the_longest_keyword_inside_a_word_counts(tmp_path):
    path = tmp_path / "nested.yaml"
    path.write_text(
        "codebook: {id: n, title: N}\ncodes:\n  - id: a\n    label: A\n"
        "    keywords: [kontorplass, plass]\n",
        encoding="utf-8",
    )
    index = KeywordIndex(load_codebook(path), "nb")
    # hjemmekontor-plass and hjemme-kontorplass: plass lies inside kontorplass, which counts
    assert keywords_in(index, "Det gjelder hjemmekontorplassen.") == ["kontorplass"]


@pytest.mark.parametrize("text", ["Hun bor i [kommunenavn] nå.", "Vi ringte (kommune) i går.",
                                  "Han jobber på [kontor] [latter]."])
def test_placeholders_and_notes_in_brackets_never_match(compounds, text):
    assert found(compounds, text) == []
    assert "kommune" in keywords_in(compounds, "Hun bor i kommunen nå.")
