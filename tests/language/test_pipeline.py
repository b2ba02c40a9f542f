"""The text pipeline: lemmas of inflected forms, offsets, sentences, and the disk cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.language import TextPipeline, analyse_text, nlp_for, pipeline
from qualcode.language.analysis import Analysis
from qualcode.language.cache import cache_dir_for

TEXT = "Avstandene til arbeidsgiverne er store. Kontorene ble slått sammen! Hva nå?"


def test_inflected_norwegian_forms_get_their_base_form():
    analysis = analyse_text(TEXT, "nb")
    lemmas = analysis.token_lemmas()
    assert {"avstand", "arbeidsgiver", "kontor"} <= set(lemmas)


def test_english_forms_get_their_base_form():
    lemmas = analyse_text("The distances to employers were huge.", "en").token_lemmas()
    assert {"distance", "employer"} <= set(lemmas)


def test_offsets_point_at_the_words_and_punctuation_is_left_out():
    analysis = analyse_text(TEXT, "nb")
    words = [TEXT[s:e] for s, e in zip(analysis.starts, analysis.ends)]
    assert words[:3] == ["Avstandene", "til", "arbeidsgiverne"]
    assert "." not in words and "!" not in words


def test_sentences_are_split():
    analysis = analyse_text(TEXT, "nb")
    assert len(analysis.sentence_spans) == 3
    assert analysis.sentence_of[analysis.token_range(40, 49)[0]] == 1


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (TEXT, "nb"),
        ("Hei.\n\nHva nå?! «Ja», sa hun … og gikk. Det koster 3.5 mill. kr. (Eller mer.)", "nb"),
        ("Vent...nei! «Kom hit.» Så: ferdig?!?  \n  Neste linje uten punktum\nog en til", "nb"),
        ('He said "Stop." Then he left!!! Did he? Yes... (Maybe.) U.S.A. is big. End', "en"),
        ("...", "nb"),
        ("Ingen punktum her i det hele tatt", "nb"),
    ],
)
def test_sentences_are_the_ones_spacys_sentencizer_finds(text, language):
    doc = nlp_for(language)(text)  # the full pipeline, sentencizer included
    expected = [[s.start_char, s.end_char] for s in doc.sents]
    analysis = analyse_text(text, language)
    assert analysis.sentence_spans.tolist() == expected
    for start, sentence in zip(analysis.starts.tolist(), analysis.sentence_of.tolist()):
        first, end = expected[sentence]
        assert first <= start < end


def test_what_is_remembered_about_word_forms_does_not_change_an_analysis(monkeypatch):
    first = "Kontorene ble slått sammen. Avstandene er store!"
    second = "Store avstander, og kontoret? Det ble slått sammen … igjen."
    analyse_text(first, "nb")
    after_another = analyse_text(second, "nb")
    monkeypatch.setattr(pipeline, "_FORMS", {})
    fresh = analyse_text(second, "nb")
    for name in ("starts", "ends", "sentence_of", "sentence_spans"):
        assert getattr(after_another, name).tolist() == getattr(fresh, name).tolist()
    assert after_another.token_lemmas() == fresh.token_lemmas()
    words = [after_another.form_of_token(i) for i in range(len(after_another))]
    assert words == [second[s:e] for s, e in zip(fresh.starts.tolist(), fresh.ends.tolist())]


def test_a_packed_analysis_reads_back_and_a_foreign_array_is_refused():
    analysis = analyse_text(TEXT, "nb")
    packed = analysis.pack()
    again = Analysis.unpack(packed)
    assert again.language == "nb" and again.forms == analysis.forms
    assert again.lemmas == analysis.lemmas
    assert (again.sentence_spans == analysis.sentence_spans).all()
    assert (again.types == analysis.types).all()
    for damaged in (packed[:-3], packed.astype("int64"), packed[3:]):
        with pytest.raises(ValueError):
            Analysis.unpack(damaged)


def test_token_range_covers_overlapping_words():
    analysis = analyse_text(TEXT, "nb")
    first, last = analysis.token_range(2, 12)  # inside the first word to inside the second
    assert [analysis.form_of_token(i) for i in range(first, last)] == ["Avstandene", "til"]


def test_empty_text():
    assert len(analyse_text("", "nb")) == 0
    assert len(analyse_text(" … ", "nb")) == 0


def test_analysis_is_cached_on_disk_and_reused(tmp_path: Path):
    first = TextPipeline(tmp_path)
    a = first.analyse(TEXT, "nb")
    assert first.computed == 1
    assert list((tmp_path / "language").glob("*.npy"))
    second = TextPipeline(tmp_path)
    b = second.analyse(TEXT, "nb")
    assert second.computed == 0
    assert b.forms == a.forms and b.lemmas == a.lemmas
    assert (b.starts == a.starts).all() and (b.sentence_of == a.sentence_of).all()
    second.analyse(TEXT + " Nei.", "nb")
    assert second.computed == 1  # a changed text is analysed again


def test_a_damaged_cache_file_is_recomputed(tmp_path: Path):
    TextPipeline(tmp_path).analyse(TEXT, "nb")
    for path in (tmp_path / "language").glob("*.npy"):
        path.write_bytes(b"not a zip file")
    pipeline = TextPipeline(tmp_path)
    assert pipeline.analyse(TEXT, "nb").token_lemmas()[0] == "avstand"
    assert pipeline.computed == 1


def test_cache_folder_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("QUALCODE_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert cache_dir_for(tmp_path / "study") == tmp_path / "elsewhere"
    monkeypatch.delenv("QUALCODE_CACHE_DIR")
    assert cache_dir_for(tmp_path / "study") == tmp_path / "study" / ".qualcode" / "cache"


def test_transcripts_are_read_in_their_own_language(demo_study):
    pipeline = TextPipeline.for_study(demo_study)
    english = demo_study.transcript("en-01-hotel-manager-city")
    assert pipeline.analyse_transcript(english).language == "en"


def test_words_in_brackets_are_the_transcribers_and_are_left_out():
    text = "Hun bor i [kommunenavn] og jobber hos (navn) [latter]. Det er langt (fra\nbyen)."
    analysis = analyse_text(text, "nb")
    words = [text[s:e] for s, e in zip(analysis.starts, analysis.ends)]
    assert words == ["Hun", "bor", "i", "og", "jobber", "hos", "Det", "er", "langt", "fra", "byen"]
    assert len(analysis.sentence_spans) == 2
