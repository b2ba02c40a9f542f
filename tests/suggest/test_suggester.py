"""Suggestions, learning from codings and decisions, and the library API the TUI uses."""

from __future__ import annotations

import pytest
from tiny_study import code_paragraphs, decide, edit_transcript

from qualcode.errors import CodebookError, StoreError, SuggestError, TranscriptError
from qualcode.study import Study
from qualcode.suggest import Suggester, Suggestion, Trigger, not_yet_coded
from qualcode.suggest.training import coders_of_transcripts, resolve_sources


def codes_of(suggestions: list[Suggestion]) -> list[str]:
    return [s.code for s in suggestions]


def test_keywords_alone_suggest_with_triggers(tiny_study):
    suggester = Suggester(tiny_study, learn_from=[])
    t1 = tiny_study.transcript("t1")
    found = suggester.for_transcript(t1)
    geo = [s for s in found if s.code == "geo"]
    assert len(geo) == 1
    s = geo[0]
    assert (s.start, s.end) == (t1.paragraphs[0].start, t1.paragraphs[0].end)
    assert 0 < s.score <= 1
    words = {t.word for t in s.triggers}
    assert {"Avstandene", "får aldri tak i"} <= words
    for trigger in s.triggers:
        assert isinstance(trigger, Trigger)
        start, end, word = trigger
        assert t1.text[start:end] == word


def test_negative_keyword_keeps_a_passage_from_being_suggested(tiny_study):
    suggester = Suggester(tiny_study, learn_from=[])
    t4 = tiny_study.transcript("t4")
    assert "geo" not in codes_of(suggester.for_transcript(t4))
    assert suggester.for_text("Vi tar avstand fra det.") == []


def test_for_span_ranks_codes_for_a_selection(tiny_study):
    suggester = Suggester(tiny_study, learn_from=[])
    t2 = tiny_study.transcript("t2")
    paragraph = t2.paragraphs[0]
    found = suggester.for_span(t2, paragraph.start, paragraph.end, min_score=0.0)
    assert found[0].code == "cog"
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert suggester.for_span("t2", 5, 5) == []


def test_learning_raises_a_code_on_passages_like_those_coded(tiny_study):
    passage = "Den nye kaffemaskinen er fantastisk."
    before = Suggester(tiny_study, learn_from=[]).for_text(passage, min_score=0.0)
    assert "coffee" not in codes_of(before)  # no keywords: the codebook cannot know
    learned = Suggester(tiny_study, learn_from=["ann"])
    assert learned.model.learned
    after = {s.code: s for s in learned.for_text(passage, min_score=0.0)}
    assert after["coffee"].score > 0.5
    assert any(r.how == "learned" and r.keyword == "kaffemaskin" for r in after["coffee"].reasons)
    unrelated = {s.code: s.score for s in learned.for_text("Vi snakket om været.", min_score=0.0)}
    assert unrelated.get("coffee", 0.0) < after["coffee"].score


def test_rejected_suggestions_lower_the_score_and_accepted_raise_it(tiny_study):
    t1 = tiny_study.transcript("t1")
    p = t1.paragraphs[0]
    before = Suggester(tiny_study, learn_from=["ann"])
    base = before.for_span(t1, p.start, p.end, min_score=0.0)
    base_geo = next(s.score for s in base if s.code == "geo")
    with tiny_study.store("bob") as store:
        for _ in range(3):
            store.record_feedback(t1, p.start, p.end, "geo", "reject")
    rejecting = Suggester(tiny_study, learn_from=["bob"])
    geo = next(s.score for s in rejecting.for_span(t1, p.start, p.end, min_score=0.0) if s.code == "geo")
    assert geo < base_geo
    t2 = tiny_study.transcript("t2")
    q = t2.paragraphs[2]
    for tid in ("t2", "t3", "t4"):  # three accepts: enough to learn from
        decide(tiny_study, "bob", tid, 2, "cog", "accept")
    accepting = Suggester(tiny_study, learn_from=["bob"])
    keywords_only = Suggester(tiny_study, learn_from=[])
    score = {s.code: s.score for s in accepting.for_span(t2, q.start, q.end, min_score=0.0)}
    plain = {s.code: s.score for s in keywords_only.for_span(t2, q.start, q.end, min_score=0.0)}
    assert score["cog"] > plain.get("cog", 0.0)


def test_refresh_learns_new_codings(tiny_study):
    suggester = Suggester(tiny_study, coder="bob")
    t3 = tiny_study.transcript("t3")
    coffee_passage = t3.paragraphs[1]
    assert "coffee" not in codes_of(suggester.for_transcript(t3))  # bob has coded nothing
    code_paragraphs(tiny_study, "bob", {"t1": [(1, "coffee")], "t2": [(1, "coffee")]})
    suggester.refresh()
    assert not suggester.model.learned  # two passages: too little to learn coffee from
    assert "coffee" not in codes_of(suggester.for_transcript(t3))
    code_paragraphs(tiny_study, "bob", {"t4": [(1, "coffee")]})
    suggester.refresh()
    assert suggester.model.learned_codes == ["coffee"]
    coffee = [s for s in suggester.for_transcript(t3) if s.code == "coffee"]
    assert [(s.start, s.end) for s in coffee] == [(coffee_passage.start, coffee_passage.end)]
    assert [r.keyword for r in coffee[0].reasons] == ["kaffemaskin"]
    assert suggester.model.learned_from == ["bob"]


def test_default_learns_from_every_coder(tiny_study):
    assert Suggester(tiny_study).model.learned_from == ["ann"]


def test_a_coder_is_never_shown_what_another_coder_coded(tiny_study):
    coffee_passage = "Den nye kaffemaskinen er fantastisk."
    assert "coffee" in codes_of(Suggester(tiny_study).for_text(coffee_passage))  # ann's coffee
    for_bob = Suggester(tiny_study, coder="bob")
    assert not for_bob.model.learned  # bob has coded nothing: the codebook's keywords alone
    assert "coffee" not in codes_of(for_bob.for_text(coffee_passage, min_score=0.0))
    for transcript in tiny_study.transcripts:
        assert "coffee" not in codes_of(for_bob.for_transcript(transcript, min_score=0.0))
    decide(tiny_study, "bob", "t4", 1, "coffee", "accept", times=3)
    for_bob.refresh()
    assert for_bob.model.learned_from == ["decisions"]  # his own decisions, not ann's codings
    assert "coffee" in codes_of(for_bob.for_text(coffee_passage))


def test_with_a_consensus_the_coders_decisions_still_count(tiny_study):
    code_paragraphs(tiny_study, "consensus", {"t1": [(0, "geo")]})
    t2 = tiny_study.transcript("t2")
    weather = t2.paragraphs[2]

    def cog(suggester: Suggester) -> float:
        found = suggester.for_span(t2, weather.start, weather.end, min_score=0.0)
        return next(s.score for s in found if s.code == "cog")

    before = Suggester(tiny_study)
    assert before.model.learned_from == ["ann", "consensus"]
    decide(tiny_study, "bob", "t2", 2, "cog", "accept", times=5)
    after = Suggester(tiny_study)
    assert after.model.learned_from == ["ann", "consensus", "decisions"]
    assert cog(after) > cog(before) + 0.2
    for_bob = Suggester(tiny_study, coder="bob", with_consensus=True)
    assert for_bob.model.learned_from == ["consensus", "decisions"]
    assert cog(for_bob) > 0.5


def test_the_consensus_replaces_the_coders_where_it_has_coded(tiny_study):
    code_paragraphs(tiny_study, "consensus", {"t1": [(0, "geo")]})
    code_paragraphs(tiny_study, "bob", {"t3": [(0, "geo")]})
    chosen = coders_of_transcripts(resolve_sources(tiny_study))
    named = {tid: [(s.coder, w) for s, w in found] for tid, found in chosen.items()}
    assert named == {
        "t1": [("consensus", 1.0)],  # ann's coding of t1's coffee passage does not count
        "t2": [("ann", 1.0)],
        "t3": [("ann", 0.5), ("bob", 0.5)],
    }
    for_bob = coders_of_transcripts(resolve_sources(tiny_study, coder="bob", with_consensus=True))
    assert {tid: [s.coder for s, _ in found] for tid, found in for_bob.items()} == {
        "t3": ["bob"],
        "t1": ["consensus"],
    }


def test_a_negative_keyword_takes_away_only_its_own_sentence(tiny_study):
    suggester = Suggester(tiny_study, learn_from=[])
    assert suggester.for_text("Vi tar avstand fra det.") == []
    both = {s.code: s for s in suggester.for_text("Vi tar avstand fra det. Avstanden er stor.")}
    alone = {s.code: s for s in suggester.for_text("Avstanden er stor.")}
    assert both["geo"].score == pytest.approx(alone["geo"].score) == pytest.approx(0.5)
    assert [t.word for t in both["geo"].triggers] == ["Avstanden"]


def test_the_reasons_show_what_a_negative_keyword_took_away(tiny_study):
    suggester = Suggester(tiny_study, learn_from=[])
    (geo,) = suggester.for_text("Vi tar avstand fra det. Men vi får aldri tak i noen.")
    reasons = {(r.word, r.how): r.weight for r in geo.reasons}
    assert reasons == {
        ("tar avstand", "negative keyword"): pytest.approx(-2.0),  # the avstand it cancelled
        ("får aldri tak i", "phrase"): pytest.approx(4.0),
    }
    assert [t.word for t in geo.triggers] == ["får aldri tak i"]
    shown = [r.describe() for r in geo.reasons]
    assert shown[0].startswith("tar avstand → ta avstand (negative keyword") and "−2.0" in shown[0]
    assert {"word": "tar avstand", "keyword": "ta avstand", "how": "negative keyword",
            "weight": -2.0} in geo.to_dict()["reasons"]


def test_learned_words_in_a_negative_keywords_sentence_do_not_count(tiny_study):
    geo_passages = {tid: [(0, "geo")] for tid in ("t1", "t2", "t3")}  # enough to learn geo
    code_paragraphs(tiny_study, "cat", {**geo_passages, "t4": [(1, "coffee")]})
    learned = Suggester(tiny_study, learn_from=["cat"])
    avstand = learned.vocabulary.ids["avstand"]
    geo = learned.model.codes.index("geo")
    assert learned.model.lemma_weight(avstand, geo) > 0.01

    def geo_score(text: str) -> float:
        return next(s.score for s in learned.for_text(text, min_score=0.0) if s.code == "geo")

    assert geo_score("Vi tar avstand fra det.") == pytest.approx(geo_score("Vi tar det."))
    assert geo_score("Avstanden er stor.") > geo_score("Vi tar avstand fra det.")
    (explained,) = [s for s in learned.for_text("Vi tar avstand fra det.", min_score=0.0)
                    if s.code == "geo"]
    assert not any(r.how == "learned" for r in explained.reasons)


def test_bad_input_is_explained(tiny_study):
    with pytest.raises(StoreError, match="no coder `carl`"):
        _ = Suggester(tiny_study, learn_from=["carl"]).model
    with pytest.raises(SuggestError, match="nothing to learn from"):
        _ = Suggester(tiny_study, learn_from=["bob"]).model
    with pytest.raises(TranscriptError, match="no transcript"):
        Suggester(tiny_study, learn_from=[]).for_transcript("t9")
    with pytest.raises(CodebookError) as caught:
        tiny_study.codebook["geog"]
    assert "geo" in (caught.value.hint or "")


def test_cache_makes_a_second_suggester_read_arrays(tiny_study, tmp_path, monkeypatch):
    monkeypatch.setenv("QUALCODE_CACHE_DIR", str(tmp_path / "cache"))
    first = Suggester(tiny_study, learn_from=[])
    first.for_transcript("t1")
    assert first.pipeline.computed >= 1
    again = Suggester(tiny_study, learn_from=[])
    again.for_transcript("t1")
    assert again.pipeline.computed == 0


def test_demo_study_gets_suggestions(demo_study):
    suggester = Suggester(demo_study, learn_from=[])
    transcript = demo_study.transcript("nb-01-industri-utkant")
    found = suggester.for_transcript(transcript)
    assert "distance.geographic" in codes_of(found)
    assert all(not transcript.turn_at(s.start).is_interviewer for s in found)


NB02 = "nb-02-veileder-storby"


def shown(suggestions: list[Suggestion]) -> list[tuple[int, int, str, float]]:
    return [(s.start, s.end, s.code, round(s.score, 6)) for s in suggestions]


def test_a_first_accept_leaves_the_other_suggestions_of_the_transcript_as_they_were(demo_study):
    demo_study.store("anna", create=True).close()
    keywords = Suggester(demo_study, learn_from=[]).for_transcript(NB02)
    for_anna = Suggester(demo_study, coder="anna")
    first = for_anna.for_transcript(NB02)
    assert shown(first) == shown(keywords)
    chosen = first[len(first) // 2]  # a passage midway through the interview
    transcript = demo_study.transcript(NB02)
    with demo_study.store("anna") as store:
        store.accept_suggestion(transcript, chosen.start, chosen.end, chosen.code)
        codings = store.codings(transcript=NB02)
    for_anna.refresh()
    fresh, coded = not_yet_coded(for_anna.for_transcript(NB02), codings)
    assert shown(coded) == shown([chosen])
    assert shown(fresh) == [s for s in shown(keywords) if s not in shown([chosen])]
    assert not for_anna.model.learned and for_anna.model.learned_from == ["anna", "decisions"]


def test_a_handful_of_codings_change_only_the_codes_coded(demo_study):
    plain = Suggester(demo_study, learn_from=[])
    code = "distance.geographic"
    transcript = demo_study.transcript(NB02)
    early = [s for s in plain.for_transcript(NB02) if s.code == code][:3]
    assert len(early) == 3
    with demo_study.store("anna", create=True) as store:
        store.add_codings(transcript, [(s.start, s.end, code) for s in early])
    for_anna = Suggester(demo_study, coder="anna")
    assert for_anna.model.learned_codes == [code]
    spans = for_anna.passages(NB02)
    learned, keywords = for_anna.scores(NB02, spans), plain.scores(NB02, spans)
    assert for_anna.model.codes == plain.model.codes
    others = [i for i, c in enumerate(plain.model.codes) if c != code]
    assert learned[:, others] == pytest.approx(keywords[:, others], abs=1e-12)
    later = [s for s in for_anna.for_transcript(NB02) if s.code == code and s.start >= early[-1].end]
    assert later  # the code learned from three passages is still suggested further on


def test_the_coder_s_furthest_decision_counts_as_where_they_have_been(tiny_study):
    decide(tiny_study, "bob", "t1", 2, "cog", "reject")
    source = resolve_sources(tiny_study, coder="bob")[0]
    t1 = tiny_study.transcript("t1")
    assert source.reach("t1") == t1.paragraphs[2].end
    assert source.reach("t2") == 0


def test_the_model_says_which_codings_it_could_not_learn_from(tiny_study, tiny_path):
    code_paragraphs(tiny_study, "bob", {"t3": [(1, "coffee")]})
    edit_transcript(tiny_path, "t3", "Alle samles rundt kaffemaskinen om morgenen.", "Ja.")
    study = Study.open(tiny_path)
    model = Suggester(study, coder="bob").model
    assert not model.learned  # his only coding is gone, and said so
    assert [n.split(" was left out")[0] for n in model.notes] == [
        "1 coding by bob whose text is no longer in `t3`"
    ]
