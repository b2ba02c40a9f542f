"""Proposed keywords: evidence counted per passage, fillers left out, and why there are none."""

from __future__ import annotations

from tiny_study import code_paragraphs

from qualcode.study import Study
from qualcode.suggest import Proposal, Suggester, propose_keywords
from qualcode.suggest.features import Vocabulary
from qualcode.suggest.proposals import in_context


def test_evidence_counts_each_passage_once_however_many_coders_coded_it(tiny_study):
    code_paragraphs(tiny_study, "bob", {"t1": [(1, "coffee")], "t2": [(1, "coffee")]})
    found = propose_keywords(Suggester(tiny_study, learn_from=[]), "coffee")
    # ann coded the coffee passages of t1, t2 and t3; bob two of the same: 3 passages, not 5
    assert (found.coded, found.others) == (3, 6)
    best = found[0]
    assert best.term == "kaffemaskin"
    assert (best.coded, best.coded_total, best.other, best.other_total) == (3, 3, 0, 6)
    assert best.evidence == "in 3 of 3 coded passages (100%), 0 of 6 others (0.0%)"


def test_a_code_coded_once_has_nothing_to_propose_and_says_why(tiny_study):
    found = propose_keywords(Suggester(tiny_study, learn_from=[]), "cog")
    assert list(found) == [] and found.coded == 1
    assert "coded in 1 passage" in found.why_none() and "1 more passage" in found.why_none()


def test_fillers_are_never_features_so_never_reasons_or_proposals():
    vocabulary = Vocabulary()
    for filler in ("nesten", "hel", "én", "Én".lower(), "liksom", "egentlig"):
        assert vocabulary.id_of(filler, "nb") == 0, filler
    for word in ("kontakt", "tid", "plass", "avstand", "kaffemaskin", "far", "idé"):
        assert vocabulary.id_of(word, "nb") > 0, word
    assert vocabulary.id_of("really", "en") == 0 and vocabulary.id_of("distance", "en") > 0


def test_fillers_in_every_coded_passage_are_neither_proposed_nor_reasons(tiny_path):
    paragraphs = [
        "Kaffemaskinen er nesten hel igjen.",
        "Én kaffemaskin er nesten nok.",
        "Hele kaffemaskinen er liksom nesten ny.",
        "Vi snakket om været.",
    ]
    (tiny_path / "transcripts" / "t5.md").write_text("A: " + "\n\n".join(paragraphs) + "\n",
                                                     encoding="utf-8")
    study = Study.open(tiny_path)
    code_paragraphs(study, "bob", {"t5": [(0, "coffee"), (1, "coffee"), (2, "coffee")]})
    suggester = Suggester(study, learn_from=["bob"])
    proposed = {p.term for p in propose_keywords(suggester, "coffee", ["bob"])}
    assert "kaffemaskin" in proposed and not proposed & {"nesten", "hel", "én", "liksom"}
    (coffee,) = [s for s in suggester.for_text("Én kaffemaskin, nesten hele.") if s.code == "coffee"]
    assert [r.keyword for r in coffee.reasons] == ["kaffemaskin"]


def test_examples_in_context_are_cut_between_words_with_an_ellipsis():
    text = "aaa bbb ccc ddd eee"
    assert in_context(text, 8, 11, around=5) == "…bbb ccc ddd…"
    assert in_context(text, 0, 3, around=5) == "aaa bbb…"  # nothing cut before: no …
    assert in_context(text, 16, 19, around=5) == "…ddd eee"
    assert in_context(text, 8, 11, around=50) == text


def test_a_compound_around_the_word_is_kept_whole_and_line_breaks_become_spaces():
    text = "Vi har NAV-kontoret her.\n\nB: Ja."
    start = text.index("kontor")
    assert in_context(text, start, start + len("kontor"), around=2) == "…NAV-kontoret…"
    assert (
        in_context(text, start, start + len("kontor"), around=12) == "Vi har NAV-kontoret her. B:…"
    )


def test_evidence_counts_in_the_right_number():
    proposal = Proposal("kaffemaskin", 2.0, 2, 2, 0, 1)
    assert proposal.evidence == "in 2 of 2 coded passages (100%), 0 of 1 other (0.0%)"
