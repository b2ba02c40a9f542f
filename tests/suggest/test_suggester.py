"""Suggestions, learning from codings and decisions, and the library API the TUI uses."""

from __future__ import annotations

import pytest

from qualcode.errors import CodebookError, StoreError, SuggestError, TranscriptError
from qualcode.suggest import Suggester, Suggestion, Trigger


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
    with tiny_study.store("bob") as store:
        store.record_feedback(t2, q.start, q.end, "cog", "accept")
    accepting = Suggester(tiny_study, learn_from=["bob"])
    keywords_only = Suggester(tiny_study, learn_from=[])
    score = {s.code: s.score for s in accepting.for_span(t2, q.start, q.end, min_score=0.0)}
    plain = {s.code: s.score for s in keywords_only.for_span(t2, q.start, q.end, min_score=0.0)}
    assert score["cog"] > plain.get("cog", 0.0)


def test_refresh_learns_new_codings(tiny_study):
    suggester = Suggester(tiny_study, learn_from=["ann"])
    first = suggester.model
    suggester.refresh()
    assert suggester.model is not first


def test_default_learns_from_every_coder(tiny_study):
    assert Suggester(tiny_study).model.learned_from == ["ann"]


def test_bad_input_is_explained(tiny_study):
    with pytest.raises(StoreError, match="no coder `carl`"):
        Suggester(tiny_study, learn_from=["carl"]).model
    with pytest.raises(SuggestError, match="nothing to learn from"):
        Suggester(tiny_study, learn_from=["bob"]).model
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
