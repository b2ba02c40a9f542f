"""Choosing quotes: coders, codes, informant filters, context, attribution, exact text."""

from __future__ import annotations

import pytest

from qualcode.errors import ExportError
from qualcode.export import QuoteOptions, select_quotes
from qualcode.export.quotes import context_around
from qualcode.study import CONSENSUS, Study


def test_quotes_keep_the_transcript_text_exactly(coded, passages) -> None:
    selection = select_quotes(coded.study, QuoteOptions())
    texts = {q.text for q in selection.quotes}
    for _tid, fragment, _code, _memo in passages:
        assert fragment in texts
    for quote in selection.quotes:
        assert quote.text == coded.study.transcript(quote.transcript).text[quote.start : quote.end]
        assert not quote.stale
    assert any("«fra og med neste uke er det [navn]" in t for t in texts)
    assert any("(…) jeg vet ikke" in t for t in texts)


def test_default_layer_is_consensus_and_order_follows_the_codebook(coded) -> None:
    selection = select_quotes(coded.study, QuoteOptions())
    assert selection.coders == [CONSENSUS]
    order = coded.study.codebook.ids
    positions = [order.index(q.code) for q in selection.quotes]
    assert positions == sorted(positions)
    assert selection.group_by == ["code", "role"]


def test_attribution_comes_from_the_study_template(coded) -> None:
    quotes = select_quotes(coded.study, QuoteOptions(codes=["distance.organisational"])).quotes
    assert [q.attribution for q in quotes] == ["(Bedriftsleder A, utkantkommune)"]
    assert quotes[0].informant.role == "Bedriftsleder"
    assert quotes[0].attributes["region"] == "Innlandet"
    assert quotes[0].line == coded.study.transcript("nb-01-industri-utkant").line_of(
        quotes[0].start
    )


def test_focus_group_quotes_belong_to_each_speaker(coded) -> None:
    quotes = select_quotes(coded.study, QuoteOptions(transcripts=["nb-03-*"])).quotes
    assert {q.value("role") for q in quotes} == {"NAV-veileder", "Jobbspesialist"}
    assert len({q.informant_key for q in quotes}) == 2


def test_interviewer_passages_have_no_informant(coded) -> None:
    quotes = select_quotes(coded.study, QuoteOptions(codes=["motivation"])).quotes
    interviewer = [q for q in quotes if q.text.startswith("Kan du begynne")]
    assert interviewer and interviewer[0].informant is None
    assert interviewer[0].value("role") == ""


def test_a_code_brings_the_codes_below_it(coded) -> None:
    quotes = select_quotes(coded.study, QuoteOptions(codes=["distance"])).quotes
    assert {q.code for q in quotes} == {
        "distance.organisational",
        "distance.geographic",
        "distance.structural",
        "distance.cognitive",
    }


def test_where_filters_by_attribute_case_insensitively(coded) -> None:
    options = QuoteOptions(where={"role": ["bedriftsleder", "Jobbspesialist"]})
    quotes = select_quotes(coded.study, options).quotes
    assert {q.value("role") for q in quotes} == {"Bedriftsleder", "Jobbspesialist"}
    options = QuoteOptions(where={"role": ["Bedriftsleder"], "region": ["Innlandet"]})
    assert {q.transcript for q in select_quotes(coded.study, options).quotes} == {
        "nb-01-industri-utkant"
    }


def test_min_words_leaves_out_short_quotes(coded) -> None:
    quotes = select_quotes(coded.study, QuoteOptions(min_words=12)).quotes
    assert quotes and all(q.words >= 12 for q in quotes)
    assert "For det første så har vi ikke NAV-kontor her lenger." not in {q.text for q in quotes}


def test_memos_only_when_asked(coded) -> None:
    without = select_quotes(coded.study, QuoteOptions(codes=["distance.organisational"]))
    assert without.quotes[0].memo == ""
    options = QuoteOptions(codes=["distance.organisational"], memos=True)
    assert select_quotes(coded.study, options).quotes[0].memo == (
        "Klassisk eksempel – bruk i kapittel 4."
    )


def test_context_joins_the_quote_seamlessly(coded) -> None:
    quote = select_quotes(
        coded.study, QuoteOptions(codes=["distance.geographic"], context=1)
    ).quotes[0]
    text = coded.study.transcript(quote.transcript).text
    assert quote.before and quote.after
    assert text[: quote.start].rstrip().endswith(quote.before)
    assert text[quote.end :].lstrip().startswith(quote.after)
    assert quote.after.startswith("Da kontorene ble slått sammen")


def test_context_of_a_quote_starting_mid_sentence_includes_the_rest(coded) -> None:
    transcript = coded.study.transcript("nb-01-industri-utkant")
    start = transcript.text.index("så har vi ikke NAV-kontor her lenger")
    before, _ = context_around(transcript, start, start + 10, 1)
    assert before.endswith("For det første")
    assert len(before) > len("For det første")  # plus one whole sentence before it


def test_several_coders_on_one_passage_give_one_quote(bare, code_passages, passages) -> None:
    study = Study.open(bare)
    code_passages(study, "ingrid")
    code_passages(study, "jonas", passages[:2])
    selection = select_quotes(study, QuoteOptions(coders=["ingrid", "jonas"], memos=True))
    assert len(selection.quotes) == len(passages)
    both = [q for q in selection.quotes if q.coders == ("ingrid", "jonas")]
    assert len(both) == 2
    assert any(q.memo.startswith("ingrid: Klassisk") and "jonas: Klassisk" in q.memo for q in both)


def test_stale_codings_show_the_coded_text_and_warn(coded_copy, passages) -> None:
    coded = coded_copy
    path = coded.root / "transcripts" / "nb-01-industri-utkant.md"
    raw = path.read_text(encoding="utf-8")
    path.write_text(raw.replace("I: Takk for at du tok", "I: Tusen takk for at du tok"), "utf-8")
    selection = select_quotes(Study.open(coded.root), QuoteOptions(transcripts=["nb-01-*"]))
    stale = [q for q in selection.quotes if q.stale]
    assert stale
    assert all(q.text in {p[1] for p in passages} for q in stale)
    assert any("qualcode check --fix" in w for w in selection.warnings)


# -- mistakes -----------------------------------------------------------------------------------


def test_unknown_code_suggests_the_nearest(coded) -> None:
    with pytest.raises(ExportError) as caught:
        select_quotes(coded.study, QuoteOptions(codes=["distance.geografic"]))
    assert "distance.geografic" in caught.value.message
    assert "distance.geographic" in caught.value.hint


def test_unknown_attribute_lists_the_known_ones(coded) -> None:
    with pytest.raises(ExportError) as caught:
        select_quotes(coded.study, QuoteOptions(where={"rolle": ["Bedriftsleder"]}))
    assert "rolle" in caught.value.message
    assert "role" in caught.value.hint and "region" in caught.value.hint
    with pytest.raises(ExportError) as caught:
        select_quotes(coded.study, QuoteOptions(group_by=["code", "sector"]))
    assert "--group-by" in caught.value.message
    assert "municipality_type" in caught.value.hint


def test_unknown_value_lists_the_values(coded) -> None:
    with pytest.raises(ExportError) as caught:
        select_quotes(coded.study, QuoteOptions(where={"role": ["Bedriftsleeder"]}))
    assert "Bedriftsleder" in caught.value.hint


def test_unknown_transcript_suggests_the_nearest(coded) -> None:
    with pytest.raises(ExportError) as caught:
        select_quotes(coded.study, QuoteOptions(transcripts=["nb-01-industri"]))
    assert "nb-01-industri-utkant" in caught.value.hint


def test_several_coders_and_no_consensus_asks_which(bare, code_passages) -> None:
    study = Study.open(bare)
    code_passages(study, "ingrid")
    code_passages(study, "jonas")
    with pytest.raises(ExportError) as caught:
        select_quotes(Study.open(bare), QuoteOptions())
    assert "several coders" in caught.value.message
    assert "ingrid, jonas" in caught.value.hint and "--coder" in caught.value.hint


def test_the_only_coder_is_used_without_asking(bare, code_passages) -> None:
    study = Study.open(bare)
    code_passages(study, "ingrid")
    assert select_quotes(Study.open(bare), QuoteOptions()).coders == ["ingrid"]


def test_unknown_coder_lists_the_coders(coded) -> None:
    with pytest.raises(ExportError) as caught:
        select_quotes(coded.study, QuoteOptions(coders=["ingird"]))
    assert "ingird" in caught.value.message
    assert CONSENSUS in caught.value.hint


def test_no_codings_at_all_says_so(bare) -> None:
    with pytest.raises(ExportError) as caught:
        select_quotes(Study.open(bare), QuoteOptions())
    assert "Nobody has coded" in caught.value.message


def test_filters_that_leave_nothing_say_which_did(coded) -> None:
    with pytest.raises(ExportError) as caught:
        select_quotes(coded.study, QuoteOptions(min_words=500))
    assert "of at least 500 words" in caught.value.message
    assert "0 of at least" in caught.value.message


def test_codings_of_a_removed_transcript_are_left_out_with_a_note(coded_copy) -> None:
    (coded_copy.root / "transcripts" / "en-01-hotel-manager-city.md").unlink()
    selection = select_quotes(Study.open(coded_copy.root), QuoteOptions())
    assert "en-01-hotel-manager-city" not in {q.transcript for q in selection.quotes}
    assert any("en-01-hotel-manager-city" in w for w in selection.warnings)
