"""Adding keywords writes the codebook file in place and keeps what the researcher wrote."""

from __future__ import annotations

from qualcode.study import Study
from qualcode.suggest import Suggester, add_keywords, propose_keywords


def test_adding_keywords_keeps_comments_and_order(tiny_study, tiny_path):
    path = tiny_path / "codebooks" / "test.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    added = add_keywords(tiny_study.codebook["geo"], ["reisevei", "Avstand", "lang vei"])
    assert added == ["reisevei", "lang vei"]  # `avstand` is already there
    after = path.read_text(encoding="utf-8").splitlines()
    assert [line for line in after if line not in before] == [
        "      - reisevei",
        "      - lang vei",
    ]
    assert [line for line in after if line in before] == before  # nothing else moved
    assert after.index("      - lang vei") < after.index("    negative_keywords:")
    reopened = Study.open(tiny_path)
    assert [k.term for k in reopened.codebook["geo"].keywords][-2:] == ["reisevei", "lang vei"]


def test_a_code_without_keywords_gets_a_list_and_weights_are_written(tiny_study, tiny_path):
    path = tiny_path / "codebooks" / "test.yaml"
    add_keywords(tiny_study.codebook["coffee"], ["kaffemaskin"], weight=2)
    text = path.read_text(encoding="utf-8")
    assert "# Test codebook: comments must survive edits." in text
    assert "      - avstand        # the classic" in text
    assert "    # colour comes last" in text
    code = Study.open(tiny_path).codebook["coffee"]
    assert [(k.term, k.weight) for k in code.keywords] == [("kaffemaskin", 2.0)]
    assert text.index("kaffemaskin") < text.index('colour: "#aaaaaa"')


def test_flow_lists_stay_flow_lists(tiny_study, tiny_path):
    add_keywords(tiny_study.codebook["cog"], ["fagspråk"])
    text = (tiny_path / "codebooks" / "test.yaml").read_text(encoding="utf-8")
    assert "keywords: [forstå ikke, sjargong, fagspråk]" in text


def test_proposals_find_the_word_coders_code_on(tiny_study):
    proposals = propose_keywords(Suggester(tiny_study, learn_from=[]), "coffee", ["ann"])
    assert proposals[0].term == "kaffemaskin"
    best = proposals[0]
    assert (best.coded, best.coded_total) == (3, 3)
    assert best.other == 0
    transcript, start, end, word = best.examples[0]
    assert tiny_study.transcript(transcript).text[start:end] == word
