"""Transcripts: turns, informants, focus groups, segments and code-point offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from word_tables import word_table

from qualcode.errors import TranscriptError
from qualcode.study import Study
from qualcode.study.create import init_study

FOCUS_GROUP = """\
---
title: Fokusgruppe
form: focus group
informants:
  A: {role: NAV-veileder, region: Agder}
  B: {role: Jobbspesialist, region: Agder, informant: Jonas}
---

Moderator: Hva tenker dere om samarbeidet?

A: Det er langt å kjøre. Vi bruker «to timer» hver vei til [kommune].

Og telefonen svarer ikke.

B: Jeg er enig. Det var slik: de forstod ikke oss.

Moderator: Takk.
"""


@pytest.fixture
def study(tmp_path: Path) -> Study:
    init_study(tmp_path / "s", codebooks=["interorganisational-distance"])
    return Study.open(tmp_path / "s")


def put(study: Study, name: str, text: str) -> None:
    (study.transcripts_dir / name).write_text(text, encoding="utf-8")


def test_focus_group_turns_have_their_own_informants(study: Study) -> None:
    put(study, "fg.md", FOCUS_GROUP)
    t = study.transcript("fg")
    assert [(turn.speaker, turn.is_interviewer) for turn in t.turns] == [
        ("Moderator", True),
        ("A", False),
        ("B", False),
        ("Moderator", True),
    ]
    a_turn = t.turns[1]
    assert t.text[a_turn.start :].startswith("Det er langt")
    assert t.text[a_turn.label_start : a_turn.start] == "A: "
    assert t.informant_at(a_turn.start + 5).role == "NAV-veileder"
    assert t.informant_at(t.turns[2].start).id == "Jonas"
    assert t.informant_at(t.turns[0].start) is None
    # "Det var slik:" inside B's turn is not a new speaker: only declared labels count.
    assert len(t.turns) == 4
    assert t.form == "focus group"


def test_paragraphs_and_sentences_carry_offsets_into_one_text(study: Study) -> None:
    put(study, "fg.md", FOCUS_GROUP)
    t = study.transcript("fg")
    paragraphs = [t.text[p.start : p.end] for p in t.paragraphs]
    assert paragraphs[1] == "Det er langt å kjøre. Vi bruker «to timer» hver vei til [kommune]."
    assert paragraphs[2] == "Og telefonen svarer ikke."
    assert t.paragraphs[2].turn == 1
    sentences = [t.text[s.start : s.end] for s in t.sentences]
    assert "Det er langt å kjøre." in sentences
    assert "Vi bruker «to timer» hver vei til [kommune]." in sentences


def test_offsets_are_code_points_of_nfc_text_with_unix_line_endings(study: Study) -> None:
    decomposed = "A: Å være på kontoret.\r\n\r\nI: Ja?\r\n"
    decomposed = decomposed.replace("Å", "A\u030a")
    put(study, "nfc.txt", decomposed)
    t = study.transcript("nfc")
    assert "\r" not in t.text
    assert t.text.startswith("A: Å være")
    assert t.text[3] == "Å" and len("Å") == 1


def test_text_before_any_label_belongs_to_the_only_informant(study: Study) -> None:
    put(
        study,
        "survey.md",
        "---\ninformants:\n  R01: {role: HR-leder}\n---\nSvar uten etikett.\n",
    )
    t = study.transcript("survey")
    assert t.turns[0].speaker is None
    assert t.informant_at(0).role == "HR-leder"


def test_informant_table_fills_in_and_overrides_front_matter(study: Study) -> None:
    put(study, "fg.md", FOCUS_GROUP)
    (study.root / "informants.csv").write_text(
        "transcript,speaker,role,municipality_type\nfg,A,Veileder,småby\n", encoding="utf-8"
    )
    t = Study.open(study.root).transcript("fg")
    assert t.informants["A"].role == "Veileder"
    assert t.informants["A"].get("municipality_type") == "småby"
    assert t.informants["A"].get("region") == "Agder"


def test_attribution_template_leaves_out_missing_attributes(study: Study) -> None:
    put(study, "fg.md", FOCUS_GROUP)
    study.config.attribution = "({role} i {municipality_type})"
    t = study.transcript("fg")
    assert study.attribution(t.informants["A"]) == "(NAV-veileder)"
    study.config.attribution = "({role}, {municipality_type}, {region})"
    assert study.attribution(t.informants["A"]) == "(NAV-veileder, Agder)"
    study.config.attribution = "{role} {informant}."
    assert study.attribution(t.informants["B"]) == "Jobbspesialist Jonas."


def test_speaker_pattern_is_configurable(tmp_path: Path) -> None:
    init_study(tmp_path / "s", codebooks=["interorganisational-distance"])
    config = tmp_path / "s" / "qualcode.yaml"
    config.write_text(
        config.read_text() + "speaker_pattern: '^\\[(?P<label>[A-Z]+)\\][ \\t]'\n",
        encoding="utf-8",
    )
    study = Study.open(tmp_path / "s")
    put(study, "x.md", "[I] Hei.\n\n[ANNE] Hei på deg.\n")
    t = study.transcript("x")
    assert [turn.speaker for turn in t.turns] == ["I", "ANNE"]


def test_docx_transcript_is_read_in_paragraph_order(study: Study) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("I: Hvordan gikk det?")
    document.add_paragraph("A: Det gikk fint på [virksomhet].")
    document.save(study.transcripts_dir / "intervju.docx")
    t = study.transcript("intervju")
    assert [turn.speaker for turn in t.turns] == ["I", "A"]
    assert t.text[t.turns[1].start : t.turns[1].end] == "Det gikk fint på [virksomhet]."


def test_unknown_transcript_suggests_the_nearest_id(study: Study) -> None:
    put(study, "nb-01-industri-utkant.md", FOCUS_GROUP)
    with pytest.raises(TranscriptError) as caught:
        study.transcript("nb-01-industri-utkan")
    assert "`nb-01-industri-utkant`" in (caught.value.hint or "")


def test_undecodable_transcript_file_is_explained(study: Study) -> None:
    (study.transcripts_dir / "bad.txt").write_bytes(b"A: Hei p\xe5 deg\n")
    with pytest.raises(TranscriptError) as caught:
        study.transcript("bad")
    assert "UTF-8" in caught.value.message
    assert (caught.value.line, caught.value.column) == (1, 9)
    assert "qualcode import" in caught.value.hint


def test_bold_labels_and_timestamps_start_turns_with_offsets_into_the_text(study: Study) -> None:
    put(
        study,
        "layouts.md",
        "**I:** Hvordan startet samarbeidet?\n\n"
        "**Intervjuer**: Og etterpå?\n\n"
        "00:12:33 A: Vi ringte NAV-kontoret.\n\n"
        "[00:13:05] I: Hva skjedde da?\n\n"
        "__A:__ De svarte ikke.\n",
    )
    t = study.transcript("layouts")
    assert [(turn.speaker, turn.is_interviewer) for turn in t.turns] == [
        ("I", True),
        ("Intervjuer", True),
        ("A", False),
        ("I", True),
        ("A", False),
    ]
    spoken = [t.text[turn.start : turn.end] for turn in t.turns]
    assert spoken == [
        "Hvordan startet samarbeidet?",
        "Og etterpå?",
        "Vi ringte NAV-kontoret.",
        "Hva skjedde da?",
        "De svarte ikke.",
    ]
    assert t.text[t.turns[2].label_start : t.turns[2].start] == "00:12:33 A: "
    assert t.informant_at(t.turns[4].start).label == "A"


def test_a_two_column_word_table_gives_one_turn_per_row(study: Study) -> None:
    rows = [
        ("Taler", "Tekst"),
        ("I", "Hvordan er samarbeidet med NAV?"),
        ("A:", "Vi har en fast kontaktperson."),
        ("I", "Hvor ofte møtes dere?"),
        ("A", "Omtrent en gang i måneden."),
    ]
    heading = "Intervju med leder, [virksomhet]"
    word_table(study.transcripts_dir / "tabell.docx", rows, heading=heading)
    t = study.transcript("tabell")
    assert [turn.speaker for turn in t.turns] == [None, "I", "A", "I", "A"]
    assert t.text[t.turns[2].start : t.turns[2].end] == "Vi har en fast kontaktperson."
    assert t.text[: t.turns[0].end] == "Intervju med leder, [virksomhet]\n\nTaler\tTekst"


def test_attribution_can_name_the_interview_form_and_several_speakers(demo_study) -> None:
    """`{form}` comes from the transcript; a passage two informants speak names both."""
    demo_study.config.attribution = "({role}, {form})"
    case = demo_study.transcript("nb-06-case-deltaker-leder")
    both = [case.informants["D"], case.informants["L"]]
    text = demo_study.attribution(both)
    assert text.startswith("(") and text.endswith(")")
    assert case.form in text
    assert "; " in text  # one part per informant, in one pair of brackets
    assert demo_study.attribution(None) == ""


def test_an_excerpt_is_cut_between_words(demo_study) -> None:
    t = demo_study.transcript("nb-01-industri-utkant")
    turn = next(turn for turn in t.turns if turn.end - turn.start > 200)
    short = t.excerpt(turn.start, turn.end, 60)
    assert len(short) <= 60 and short.endswith("…")
    whole = " ".join(t.text[turn.start:turn.end].split())
    kept = short[:-1]
    assert whole.startswith(kept)
    assert whole[len(kept)] in " ,;:"  # the cut falls after a whole word
    assert t.excerpt(turn.start, turn.start + 20, 60) == " ".join(
        t.text[turn.start:turn.start + 20].split())
