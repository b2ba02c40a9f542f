"""Cleaning imported text: what a researcher relies on when a transcript comes from PDF or Word."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.errors import ImportFileError
from qualcode.study.cleaning import (
    KIND_TITLES,
    WARNING_KINDS,
    Change,
    clean_text,
    decode_bytes,
    format_report,
)

SENTENCE = "Vi møtte arbeidsgiveren på NAV-kontoret i [kommune]. «Det gikk fint», sa hun."

TRANSCRIPT = """I: Kan du fortelle litt om bedriften?

A: Vi er en liten industribedrift med rundt tretti ansatte. Vi har et «godt» samarbeid med [navn] på NAV-kontoret (…) og med “Jobbsjansen”.

I: Ja.

A: Ja. Det var (...) bra, sa [kommunenavn] [latter].
"""


def kinds(result) -> list[str]:
    return [change.kind for change in result.changes]


# -- decoding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16-le"),  # Python writes a byte-order mark and little-endian
        ("utf-16-be", "utf-16-be"),  # no byte-order mark
        ("cp1252", "cp1252"),
    ],
)
def test_norwegian_text_decodes_in_every_common_encoding(codec, expected):
    text, encoding = decode_bytes(SENTENCE.encode(codec), "intervju.txt")

    assert text == SENTENCE  # byte-order mark removed, æøå and «» intact
    assert encoding == expected


def test_utf16_with_byte_order_mark_big_endian():
    data = b"\xfe\xff" + SENTENCE.encode("utf-16-be")
    assert decode_bytes(data, "intervju.txt") == (SENTENCE, "utf-16-be")


def test_old_dos_nordic_code_page_gives_norwegian_letters():
    sentence = "Vi møtte arbeidsgiveren på kontoret. Æ, Ø og Å er med. Det gikk så fint, sa hun."
    text, encoding = decode_bytes(sentence.encode("cp865"), "gammel.txt")
    assert (text, encoding) == (sentence, "cp865")


def test_empty_file_is_empty_text():
    assert decode_bytes(b"", "tom.txt") == ("", "utf-8")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        b"%PDF-1.7\n" + bytes(range(1, 32)) * 20,
        b"PK\x03\x04\x14\x00\x06\x00" + bytes(200),
    ],
)
def test_binary_files_are_refused_with_advice(data):
    with pytest.raises(ImportFileError) as caught:
        decode_bytes(data, "rapport.bin")
    error = caught.value
    assert error.path is not None and error.path.name == "rapport.bin"
    assert "binary" in error.message
    assert "UTF-8" in error.hint


def test_mixed_encodings_are_refused_naming_the_line():
    data = ("Første linje med æøå.\nAndre linje.\n").encode() + "Tredje: på".encode("cp1252")
    with pytest.raises(ImportFileError) as caught:
        decode_bytes(data, "blandet.txt")
    assert caught.value.line == 3
    assert "UTF-8" in caught.value.hint


# -- characters --------------------------------------------------------------------------------


def test_a_clean_transcript_is_left_exactly_as_it_is():
    result = clean_text(TRANSCRIPT)
    assert result.text == TRANSCRIPT
    assert result.changes == []


def test_quote_conventions_are_never_touched():
    line = "«Det var [navn] (navn) [kommunenavn] (…) (...) […] ÆØÅ æøå “sitat” – ja», sa hun."
    result = clean_text(line)
    assert result.text == line
    assert result.changes == []


def test_typographic_quotes_are_kept_and_mentioned_as_a_warning():
    result = clean_text("Hun sa “nei”.\nHan sa “ja”.")
    assert result.text == "Hun sa “nei”.\nHan sa “ja”."
    assert [w.kind for w in result.warnings] == ["typographic-quote"]
    assert "2 lines" in result.warnings[0].description


def test_windows_line_endings_become_plain_line_breaks_in_one_change():
    result = clean_text("en\r\nto\r\ntre\r\n")
    assert result.text == "en\nto\ntre\n"
    assert kinds(result) == ["line-ending"]
    assert "3 Windows line endings" in result.changes[0].description


def test_old_mac_line_endings_keep_line_numbers():
    result = clean_text("en\rto\rtre\u00a0ord")
    assert result.text == "en\nto\ntre ord"
    nbsp = [c for c in result.changes if c.kind == "nbsp"]
    assert nbsp[0].line == 3


def test_non_breaking_spaces_become_spaces():
    result = clean_text("Vi\u00a0har\u202fet\u2007godt samarbeid.")
    assert result.text == "Vi har et godt samarbeid."
    assert kinds(result) == ["nbsp"]
    assert "3 non-breaking spaces" in result.changes[0].description


def test_unicode_hyphens_become_ordinary_hyphens():
    result = clean_text("NAV\u2010kontoret og e\u2011post")
    assert result.text == "NAV-kontoret og e-post"
    assert kinds(result) == ["unicode-hyphen"]


def test_private_use_bullets_are_dropped_and_real_bullets_become_dashes():
    result = clean_text("\uf0b7\tOppfølging\n• Tett kontakt\nOrd\ue000med tegn")
    assert result.text == "Oppfølging\n- Tett kontakt\nOrdmed tegn"
    assert sorted(kinds(result)) == ["bullet", "private-use", "private-use"]
    assert [c.line for c in result.changes] == [1, 2, 3]


def test_decomposed_letters_are_composed_to_nfc():
    result = clean_text("pa\u030a kontoret")
    assert result.text == "på kontoret"
    assert kinds(result) == ["nfc"]


def test_trailing_spaces_are_removed_in_one_change():
    result = clean_text("en  \nto\t\ntre")
    assert result.text == "en\nto\ntre"
    assert kinds(result) == ["trailing-space"]
    assert result.changes[0].line == 1


def test_ligatures_and_invisible_characters_from_pdfs_are_removed():
    result = clean_text("ﬁnne\u200b ut av ofﬁce")
    assert result.text == "finne ut av office"
    assert sorted(kinds(result)) == ["invisible-character", "ligature"]


# -- words split across lines ------------------------------------------------------------------


def test_a_word_hyphenated_at_the_line_end_is_joined():
    result = clean_text("Vi snakket med arbeids-\ngiveren om saken.")
    assert result.text == "Vi snakket med arbeidsgiveren\nom saken."
    (change,) = result.changes
    assert change.kind == "line-break-hyphen"
    assert change.line == 1
    assert "arbeidsgiveren" in change.after


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("på NAV-\nkontoret i dag", "på NAV-kontoret\ni dag"),  # acronym before the hyphen
        ("en 4-\nårig plan", "en 4-årig\nplan"),  # digit before
        ("sendt på e-\npost", "sendt på e-post"),  # single letter
        ("i Nord-\nNorge", "i Nord-Norge"),  # capital after
        ("covid-\n19 kom", "covid-19\nkom"),  # digit after
        ("ikke-\nvestlige land", "ikke-vestlige\nland"),  # prefix written with a hyphen
        ("a long-\nterm plan", "a long-term\nplan"),  # known second part
    ],
)
def test_real_compounds_keep_their_hyphen(text, joined):
    result = clean_text(text)
    assert result.text == joined
    assert kinds(result) == ["line-break-compound"]


@pytest.mark.parametrize(
    ("text", "language", "joined", "kind"),
    [
        ("fra Oslo-\nkontoret i dag", "nb", "fra Oslo-kontoret\ni dag", "line-break-compound"),
        ("vi var i Trond-\nheim i fjor", "nb", "vi var i Trondheim\ni fjor", "line-break-hyphen"),
        ("på leder-\nmøtet i går", "nb", "på ledermøtet\ni går", "line-break-hyphen"),
        ("Arbeids-\ngiveren sa ja", "nb", "Arbeidsgiveren\nsa ja", "line-break-hyphen"),
        ("a well-\nknown problem", "en", "a well-known\nproblem", "line-break-compound"),
        ("a user-\nfriendly form", "en", "a user-friendly\nform", "line-break-compound"),
        ("some-\nthing else", "en", "something\nelse", "line-break-hyphen"),
        ("good cooper-\nation here", "en", "good cooperation\nhere", "line-break-hyphen"),
    ],
)
def test_the_languages_dictionary_tells_a_split_word_from_a_compound(text, language, joined, kind):
    result = clean_text(text, language=language)
    assert result.text == joined
    assert kinds(result) == [kind]
    assert result.warnings == []


def test_english_words_are_joined_in_a_norwegian_text():
    assert clean_text("a well-\nknown problem", language="nb").text == "a wellknown\nproblem"


def test_a_join_after_a_name_is_listed_among_the_things_to_check():
    result = clean_text("vi reiste til Rjukan-\nxyzbyen i fjor")
    assert result.text == "vi reiste til Rjukanxyzbyen\ni fjor"
    [warning] = result.warnings
    assert warning.kind == "hyphen-check" and warning.is_warning
    assert "Rjukan-xyzbyen" in warning.description


def test_bold_and_timestamped_speaker_lines_are_never_joined_to_the_line_before():
    text = "A: Vi hadde en sånn-\n**I:** Ja.\n\nA: Og så-\n[00:12:33] I: Ja."
    assert clean_text(text).text == text


def test_a_shared_ending_before_a_conjunction_keeps_hyphen_and_line():
    text = "Arbeids-\nog velferdsetaten"
    assert clean_text(text).text == text


def test_a_dash_before_a_new_sentence_is_not_a_split_word():
    text = "Vi hadde en sånn-\nDet var ikke lett."
    assert clean_text(text).text == text


def test_a_line_starting_with_a_speaker_label_is_never_joined():
    text = "A: Vi hadde en sånn-\nI: Ja."
    assert clean_text(text).text == text


def test_soft_hyphen_at_line_end_joins_the_word():
    result = clean_text("arbeids\u00ad\ngiveren sa ja")
    assert result.text == "arbeidsgiveren\nsa ja"
    assert kinds(result) == ["line-break-hyphen"]


# -- page furniture ----------------------------------------------------------------------------


def _report_pages(pages: int = 4, lines_per_page: int = 9, footer: str = "Side {p} av {n}") -> str:
    out = []
    for p in range(1, pages + 1):
        out.append("Arbeidsgivere og NAV – samarbeid om inkludering")
        out.append("")
        for k in range(lines_per_page):
            out.append(f"Avsnitt {p}.{k} handler om oppfølging av deltakere.")
        out.append("")
        out.append(footer.format(p=p, n=pages))
    return "\n".join(out)


def test_repeated_page_header_and_page_numbers_are_removed_and_reported_with_their_lines():
    result = clean_text(_report_pages())

    assert "Arbeidsgivere og NAV" not in result.text
    assert "Side 2 av 4" not in result.text
    assert "Avsnitt 3.4 handler om oppfølging av deltakere." in result.text
    headers = [c for c in result.changes if c.kind == "page-header"]
    numbers = [c for c in result.changes if c.kind == "page-number"]
    assert [c.line for c in headers] == [1, 14, 27, 40]
    assert [c.line for c in numbers] == [13, 26, 39, 52]
    assert headers[0].before == "Arbeidsgivere og NAV – samarbeid om inkludering"


def test_bare_page_numbers_are_removed_when_they_rise_a_page_apart():
    result = clean_text(_report_pages(footer="{p}"))
    assert [c.before for c in result.changes if c.kind == "page-number"] == ["1", "2", "3", "4"]


WORDS = ["arbeidsgiver", "kontor", "samarbeid", "tiltak", "veileder", "oppfølging", "bedrift"]


def test_a_page_header_in_the_middle_of_a_paragraph_closes_the_gap():
    # Text as PDF tools give it: a form feed starts each page, which has a header and a number.
    pages = []
    for p in range(1, 4):
        body = [" ".join(random.Random(p * 10 + k).choices(WORDS, k=6)) for k in range(8)]
        pages.append("Rapport 2023:4\n\n" + "\n".join(body) + f"\n\n{p}\n")
    result = clean_text("\f".join(pages))

    assert "Rapport 2023:4" not in result.text
    assert result.text.strip().count("\n") == 3 * 8 - 1  # one paragraph, no blank lines left
    assert {c.kind for c in result.changes} == {"page-break", "page-header", "page-number"}


def test_very_short_pages_keep_their_text():
    pages = "\f".join(
        f"Rapport 2023:4\n\ntekst på side {p} som fortsetter\nmed flere ord og\n\n{p}\n"
        for p in range(1, 4)
    )
    result = clean_text(pages)
    assert result.text.count("som fortsetter") == 3
    assert result.text.count("med flere ord og") == 3


def _pasted_focus_group(header: str, pages: int = 5) -> str:
    """A focus group pasted from a PDF: no form feeds, a numbered running header on every page,
    which falls in the middle of a turn as often as between turns."""
    speakers = ["Moderator", "D1", "D2", "D3"]
    out: list[str] = []
    for p in range(1, pages + 1):
        out.append(header.format(p=p, n=pages))
        for k in range(4):
            speaker = speakers[(p + k) % len(speakers)]
            out.append(f"{speaker}: Vi har samarbeidet med NAV-kontoret i {p + k} år, og")
            out.append("det har gått stort sett bra.")
            out.append("")
    return "\n".join(out)


@pytest.mark.parametrize(
    "header",
    [
        "Fokusgruppe NAV Vestland – side {p}",
        "Fokusgruppe NAV Vestland, page {p}",
        "Fokusgruppe 2024 – {p}/{n}",
        "Fokusgruppe NAV Vestland - {p} -",
    ],
)
def test_a_numbered_page_header_without_page_breaks_is_removed_and_reported(header):
    text = _pasted_focus_group(header)
    assert "\f" not in text
    result = clean_text(text)
    assert "Fokusgruppe" not in result.text
    removed = [c for c in result.changes if c.kind == "page-header"]
    assert [c.before for c in removed] == [header.format(p=p, n=5) for p in range(1, 6)]
    assert [c.line for c in removed] == [1, 14, 27, 40, 53]
    assert result.text.count("det har gått stort sett bra.") == 20
    assert result.warnings == []
    assert "Page headers and footers (5)" in format_report("fokus.txt", "cp1252", result.changes)


def test_a_numbered_page_header_in_the_middle_of_a_turn_leaves_the_turn_whole():
    lines: list[str] = []
    for p in range(1, 6):
        lines += ["D1: Vi har samarbeidet med NAV-kontoret lenge, og", "det har gått bra.", ""]
        lines += [f"D2: Det tok {p} år før vi fikk en fast kontakt, og"]
        lines += [f"Fokusgruppe NAV Vestland – side {p}", "siden har det gått greit.", ""]
    result = clean_text("\n".join(lines))
    assert "Fokusgruppe" not in result.text
    assert "Det tok 3 år før vi fikk en fast kontakt, og\nsiden har det gått greit." in result.text
    assert [c.kind for c in result.changes] == ["page-header"] * 5


def test_a_numbered_line_that_may_be_a_header_is_kept_and_listed_as_worth_a_look():
    text = _pasted_focus_group("Tema {p}")
    result = clean_text(text)
    assert result.text == text
    assert result.changes == []
    (warning,) = result.warnings
    assert (warning.kind, warning.line) == ("possible-page-header", 1)
    assert "lines 1, 14, 27, 40 and 53" in warning.description
    report = format_report("fokus.txt", "utf-8", result.changes, result.warnings)
    assert "Left as written, worth a look: 1" in report


def test_page_numbers_that_do_not_rise_are_kept_and_listed_as_worth_a_look():
    text = _pasted_focus_group("Fokusgruppe NAV Vestland – side {p}").replace(
        "side 4", "side 1"
    )
    result = clean_text(text)
    assert result.text.count("Fokusgruppe NAV Vestland") == 5
    assert [w.kind for w in result.warnings] == ["possible-page-header"]


def test_repeated_short_answers_are_never_taken_for_headers():
    turns = []
    for k in range(12):
        turns += [f"I: Spørsmål nummer {k} om samarbeidet?", "", "A: Ja.", "", "Ja", ""]
    text = "\n".join(turns)
    result = clean_text(text)
    assert result.text == text
    assert result.changes == []


# -- a blank line after every line -------------------------------------------------------------


def test_a_blank_line_after_every_line_is_collapsed_but_paragraphs_survive():
    text = (
        "I: Kan du fortelle om bedriften?\n\n"
        "A: Vi er en liten bedrift med rundt tretti ansatte, og vi har hatt et\n\n"
        "godt samarbeid med kontoret i mange år, og det er\n\n"
        "veilederen som følger opp.\n\n\n\n"
        "Det nye avsnittet starter her og fortsetter\n\n"
        "på neste linje."
    )
    result = clean_text(text)
    assert result.text == (
        "I: Kan du fortelle om bedriften?\n\n"
        "A: Vi er en liten bedrift med rundt tretti ansatte, og vi har hatt et\n"
        "godt samarbeid med kontoret i mange år, og det er\n"
        "veilederen som følger opp.\n\n"
        "Det nye avsnittet starter her og fortsetter\n"
        "på neste linje."
    )
    (change,) = result.changes
    assert change.kind == "blank-lines"
    assert change.line == 4


def test_one_paragraph_per_line_with_blank_lines_between_is_left_alone():
    text = "\n\n".join(f"A: Dette er svar nummer {k}. Det slutter med punktum." for k in range(8))
    assert clean_text(text).changes == []


# -- footnotes ---------------------------------------------------------------------------------


def test_glued_footnote_numbers_are_warned_about_but_not_changed():
    text = "Vi fikk gode tilbakemeldinger64 fra arbeidsgiverne.\nDeltaker 3: Ja."
    result = clean_text(text)
    assert result.text == text
    assert result.changes == []
    (warning,) = result.warnings
    assert warning.kind == "glued-footnote"
    assert warning.line == 1
    assert "tilbakemeldinger64" in warning.description


# -- idempotence -------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "arbeids-",
        "giveren",
        "NAV-",
        "kontoret",
        "Nord-",
        "Norge",
        "og",
        "Det",
        "var",
        " ",
        " ",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "\f",
        "\t",
        "\u00a0",
        "\u202f",
        "\u2010",
        "\u00ad",
        "\u200b",
        "\ufeff",
        "\x07",
        "\u2028",
        "\u2029",
        "\uf0b7 ",
        "• ",
        "ﬁ",
        "a\u030a",
        "\u030a",
        "12",
        "Side 3 av 40",
        "Rapport om NAV",
        "I: ",
        "A: ",
        "«Ja»",
        "[navn]",
        "(…)",
        "tilbakemeldinger64",
        "“",
        "e-",
        "4-",
        ".",
        "-",
        "--",
        "\n\n\n",
    ]
)
_LINES = st.lists(_PIECES, max_size=8).map("".join)


@st.composite
def _paged_documents(draw) -> str:
    """Pages of short lines with a running header and a page number, as from a PDF."""
    header = draw(st.sampled_from(["", "Rapport om NAV\n", "Fafo-rapport {p}\n"]))
    footer = draw(st.sampled_from(["", "\n{p}", "\nSide {p} av 9"]))
    between = draw(st.sampled_from(["\n", "\n\n", "\f"]))
    line_break = draw(st.sampled_from(["\n", "\n\n"]))
    pages = [
        header.format(p=p)
        + line_break.join(draw(st.lists(_LINES, max_size=10)))
        + footer.format(p=p)
        for p in range(1, draw(st.integers(1, 5)) + 1)
    ]
    return between.join(pages)


_TEXTS = st.one_of(
    st.lists(_PIECES, max_size=40).map("".join),
    st.text(max_size=120),
    _paged_documents(),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_cleaning_twice_changes_nothing_more(text):
    once = clean_text(text)
    twice = clean_text(once.text)
    assert twice.text == once.text
    assert twice.changes == []
    original_lines = len(re.split("\r\n|\r|\n", text))
    assert all(1 <= change.line <= original_lines for change in once.changes + once.warnings)
    assert all(change.kind in KIND_TITLES for change in once.changes + once.warnings)
    assert not any(change.is_warning for change in once.changes)


# -- report ------------------------------------------------------------------------------------


def test_report_names_file_encoding_and_each_change_by_original_line_grouped_by_kind():
    result = clean_text(_report_pages() + "\nVi\u00a0har et NAV-\nkontor.")
    report = format_report("transcripts/rapport.txt", "cp1252", result.changes, result.warnings)

    assert "transcripts/rapport.txt" in report
    assert "cp1252 (Windows-1252" in report
    assert "## Page headers and footers (4)" in report
    assert "## Page numbers (4)" in report
    assert "- line 14: Removed “Arbeidsgivere og NAV" in report
    assert "## Non-breaking spaces (1)" in report
    assert "<U+00A0>" in report  # invisible characters are shown
    assert "## Hyphenated words split across lines (1)" in report


def test_report_lists_warnings_separately_and_can_be_shortened():
    changes = [Change("nbsp", n, "a\u00a0b", "a b", "Replaced a space.") for n in range(1, 8)]
    warnings = [Change("glued-footnote", 9, "ord12", "ord12", "May be a footnote.")]
    report = format_report("x.txt", "utf-8", changes, warnings, max_per_kind=3)

    assert report.count("- line") == 4
    assert "… and 4 more, on lines 4, 5, 6, 7" in report
    assert "## Left as written, worth a look" in report
    assert WARNING_KINDS >= {"glued-footnote"}


def test_report_says_when_nothing_changed():
    report = format_report("x.txt", "utf-8", [])
    assert "No changes were needed." in report
