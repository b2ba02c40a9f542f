"""What a Suggester keeps and reuses: packed features on disk, prepared state, lazy explanations."""

from __future__ import annotations

import pickle

import pytest

from qualcode.study import Study
from qualcode.suggest import Reason, Suggester, Suggestion, Trigger, add_keywords
from qualcode.suggest import suggester as suggester_module


def everything(suggester: Suggester, study: Study) -> list[dict]:
    return [s.to_dict() for t in study.transcripts for s in suggester.for_transcript(t)]


def test_a_second_suggester_reads_packed_features_and_not_the_analyses(tiny_study):
    first = Suggester(tiny_study, learn_from=[])
    assert first.pipeline.computed == len(tiny_study.transcripts)
    expected = everything(first, tiny_study)
    again = Suggester(tiny_study, learn_from=[])
    assert again.pipeline.computed == 0
    assert again.pipeline.cache.hits == 0  # not even the cached analyses were needed
    assert everything(again, tiny_study) == expected
    assert any(s["triggers"] for s in expected)


def test_changed_keywords_are_matched_again_from_the_cached_analyses(tiny_path):
    Suggester(Study.open(tiny_path), learn_from=[])
    study = Study.open(tiny_path)
    add_keywords(study.codebook["coffee"], ["kaffemaskin"])
    study = Study.open(tiny_path)
    suggester = Suggester(study, learn_from=[])
    assert suggester.pipeline.computed == 0  # nothing tokenised again
    assert suggester.pipeline.cache.hits == len(study.transcripts)  # but every text re-matched
    coffee = [s for s in suggester.for_transcript("t1") if s.code == "coffee"]
    assert [t.word for s in coffee for t in s.triggers] == ["Kaffemaskinen"]


def test_damaged_feature_files_are_read_again(tiny_study):
    first = Suggester(tiny_study, learn_from=[])
    expected = everything(first, tiny_study)
    files = list(first.features_cache.folder.glob("*.npy"))
    assert len(files) == len(tiny_study.transcripts)
    for i, path in enumerate(files):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if i % 2 else b"not numpy at all")
    again = Suggester(tiny_study, learn_from=[])
    assert everything(again, tiny_study) == expected


def test_a_prepared_suggester_scores_without_reading_anything(tiny_study, monkeypatch):
    suggester = Suggester(tiny_study, learn_from=["ann"])

    def no_reading(*args, **kwargs):
        raise AssertionError("read after the Suggester was made")

    monkeypatch.setattr(suggester.pipeline, "analyse_transcript", no_reading)
    monkeypatch.setattr(suggester, "features_cache", None)
    t1 = tiny_study.transcript("t1")
    paragraph = t1.paragraphs[0]
    assert suggester.for_span(t1, paragraph.start, paragraph.end)[0].code == "geo"
    assert suggester.for_transcript(t1)
    assert suggester.for_text("Sentralbordet svarer ikke.")[0].code == "geo"


def test_a_model_learned_by_one_suggester_scores_the_same_in_another(tiny_study):
    passage = "Den nye kaffemaskinen står ved sentralbordet."
    learned = Suggester(tiny_study, learn_from=["ann"])
    other = Suggester(tiny_study, learn_from=[], prepare=False)
    other.for_text("Helt andre ord først: sykkelturen og fotballkampen.")  # numbers its words
    other.model = learned.model
    ours = {s.code: s.score for s in learned.for_text(passage, min_score=0.0)}
    theirs = {s.code: s.score for s in other.for_text(passage, min_score=0.0)}
    assert theirs == pytest.approx(ours)
    assert ours["coffee"] > 0.5
    t3 = tiny_study.transcript("t3")
    assert [s.to_dict() for s in other.for_transcript(t3)] == [
        s.to_dict() for s in learned.for_transcript(t3)
    ]


def test_explanations_are_worked_out_only_when_read(tiny_study, monkeypatch):
    calls = []
    explain = suggester_module.Explainer.explain

    def counting(self, key):
        calls.append(key)
        return explain(self, key)

    monkeypatch.setattr(suggester_module.Explainer, "explain", counting)
    suggester = Suggester(tiny_study, learn_from=["ann"])
    found = [s for t in tiny_study.transcripts for s in suggester.for_transcript(t, min_score=0.0)]
    assert len(found) > 3 and calls == []
    geo = next(s for s in found if s.code == "geo" and s.transcript == "t1")
    words = {t.word for t in geo.triggers}
    assert {"Avstandene", "får aldri tak i"} <= words
    assert len(calls) == 1
    assert {r.how for r in geo.reasons} >= {"inflected form", "phrase"}
    assert len(calls) == 1  # triggers and reasons come from one explanation, kept


def test_suggestions_behave_as_read_only_values():
    trigger = Trigger(0, 9, "Avstanden")
    reason = Reason("Avstanden", "avstand", "inflected form", 2.0)
    made = Suggestion("geo", 0, 20, 0.8, [trigger], [reason], "t1")
    assert made == Suggestion("geo", 0, 20, 0.8, [trigger], [reason], "t1")
    assert made != Suggestion("geo", 0, 20, 0.8, [], [], "t1")
    assert hash(made) == hash(Suggestion("geo", 0, 20, 0.8, [trigger], [reason], "t1"))
    assert Suggestion("geo", 0, 20, 0.8).triggers == [] == Suggestion("geo", 0, 20, 0.8).reasons
    with pytest.raises(AttributeError):
        made.score = 0.1
    assert pickle.loads(pickle.dumps(made)) == made
    assert made.to_dict()["triggers"] == [[0, 9, "Avstanden"]]
    assert "geo" in repr(made)


def test_pickled_suggestions_carry_their_explanation(tiny_study):
    suggester = Suggester(tiny_study, learn_from=[])
    found = suggester.for_transcript("t1")
    copies = pickle.loads(pickle.dumps(found))
    assert [c.to_dict() for c in copies] == [s.to_dict() for s in found]


def test_cached_files_no_longer_needed_are_pruned(tiny_path, monkeypatch):
    monkeypatch.delenv("QUALCODE_CACHE_DIR")  # the study's own cache, in .qualcode/cache
    first = Suggester(Study.open(tiny_path), learn_from=[])
    folder = first.features_cache.folder
    assert folder.is_relative_to(tiny_path)
    before = sorted(p.name for p in folder.glob("*.npy"))
    assert len(before) == 4
    study = Study.open(tiny_path)
    add_keywords(study.codebook["coffee"], ["kaffemaskin"])
    transcript = tiny_path / "transcripts" / "t4.md"
    transcript.write_text(transcript.read_text(encoding="utf-8") + "\nNoe nytt.\n", "utf-8")
    again = Suggester(Study.open(tiny_path), learn_from=[])
    after = sorted(p.name for p in folder.glob("*.npy"))
    assert len(after) == 4 and not set(after) & set(before)  # new keywords: every file anew
    analyses = list(again.pipeline.cache.folder.glob("*.npy"))
    assert len(analyses) == 4  # the analysis of t4 before the edit is gone


def test_a_shared_cache_keeps_other_studies_files_for_a_while(tiny_path, tmp_path, monkeypatch):
    import os
    import time

    from qualcode.language.cache import SHARED_KEEP_DAYS

    monkeypatch.setenv("QUALCODE_CACHE_DIR", str(tmp_path / "shared"))
    first = Suggester(Study.open(tiny_path), learn_from=[])
    folder = first.features_cache.folder
    recent, old = folder / "another-study-recent.npy", folder / "another-study-old.npy"
    for path in (recent, old):
        path.write_bytes(b"")
    long_ago = time.time() - (SHARED_KEEP_DAYS + 1) * 86400
    os.utime(old, (long_ago, long_ago))
    Suggester(Study.open(tiny_path), learn_from=[])
    assert recent.exists() and not old.exists()
    assert len(list(folder.glob("*.npy"))) == 5
