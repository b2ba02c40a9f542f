"""The Word quote sheet, read back with python-docx: styles, headings, quotes, attributions."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.shared import RGBColor

from qualcode.export import QuoteOptions, export_quotes, select_quotes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


@pytest.fixture
def sheet(coded, tmp_path: Path) -> Path:
    out = tmp_path / "sitater.docx"
    export_quotes(coded.study, QuoteOptions(context=1, memos=True), out)
    return out


def test_headings_follow_the_codebook_tree(sheet: Path) -> None:
    headings = [(s, t) for s, t in paragraphs(sheet) if s.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Distanse"),
        ("Heading 2", "Geografisk distanse"),
        ("Heading 2", "Kognitiv distanse"),
        ("Heading 2", "Organisatorisk distanse"),
        ("Heading 2", "Strukturell distanse"),
        ("Heading 1", "Arbeidsgivers motivasjon"),
        ("Heading 1", "Samarbeid med NAV"),
        ("Heading 2", "Fast kontaktperson"),
        ("Heading 1", "Oversikt: kode × rolle"),
    ]


def test_each_quote_is_exact_and_followed_by_its_attribution(coded, sheet: Path) -> None:
    found = paragraphs(sheet)
    quotes = select_quotes(coded.study, QuoteOptions()).quotes
    quote_paragraphs = [i for i, (style, _) in enumerate(found) if style == "Quote"]
    assert [found[i][1] for i in quote_paragraphs] == [q.text for q in quotes]
    for i, quote in zip(quote_paragraphs, quotes, strict=True):
        following = next(p for p in found[i + 1 :] if p[0] != "Quote Context")
        assert following[0] == "Quote Attribution"
        expected = quote.attribution or "(uten informant)"
        assert following[1].startswith(expected + "  " + quote.transcript + ", linje ")
    texts = " ".join(found[i][1] for i in quote_paragraphs)
    for kept in (
        "[navn]",
        "«fra og med",
        "kontaktperson»",
        "(…) jeg vet ikke",
        "[virksomhet]",
        "halvåret",
        "(…) The working language",
    ):
        assert kept in texts


def test_quotes_are_grouped_by_role_under_each_code(sheet: Path) -> None:
    found = paragraphs(sheet)
    start = found.index(("Heading 2", "Geografisk distanse"))
    end = found.index(("Heading 2", "Kognitiv distanse"))
    groups = [t for s, t in found[start:end] if s == "Quote Group"]
    assert groups == ["Bedriftsleder (1)", "Jobbspesialist (1)"]
    start = found.index(("Heading 1", "Arbeidsgivers motivasjon"))
    assert ("Quote Group", "(ikke oppgitt) (1)") in found[start:]


def test_code_definitions_come_in_a_muted_style(coded, sheet: Path) -> None:
    found = paragraphs(sheet)
    start = found.index(("Heading 2", "Geografisk distanse"))
    code = coded.study.codebook["distance.geographic"]
    definition = [t for s, t in found[start + 1 : start + 5] if s == "Code Definition"]
    assert definition[0] == code.description
    assert definition[1] == "Bruk når: " + code.inclusion
    assert definition[2] == "Ikke bruk når: " + code.exclusion
    assert definition[3] == "distance.geographic · 2 sitater fra 2 informanter"


def test_styles_are_real_named_word_styles(sheet: Path) -> None:
    styles = docx.Document(str(sheet)).styles
    for name in (
        "Quote",
        "Quote Attribution",
        "Quote Context",
        "Quote Memo",
        "Code Definition",
        "Quote Group",
        "Quote Source",
        "Heading 1",
        "Heading 2",
        "TOC Heading",
    ):
        assert styles[name] is not None
    assert styles["Quote Context"].font.color.rgb == RGBColor(0x80, 0x80, 0x80)
    assert styles["Code Definition"].font.color.rgb == RGBColor(0x59, 0x59, 0x59)
    assert styles["Quote"].paragraph_format.left_indent > 0


def test_context_and_memo_are_shown_when_asked(sheet: Path) -> None:
    found = paragraphs(sheet)
    i = found.index(("Quote", "For det første så har vi ikke NAV-kontor her lenger."))
    assert found[i - 1][0] == "Quote Context"
    assert found[i + 1] == ("Quote Context", found[i + 1][1])
    assert found[i + 1][1].startswith("Da kontorene ble slått sammen")
    assert ("Quote Memo", "Notat: Klassisk eksempel – bruk i kapittel 4.") in found


def test_no_context_or_memo_by_default(coded, tmp_path: Path) -> None:
    out = tmp_path / "plain.docx"
    export_quotes(coded.study, QuoteOptions(), out)
    styles = {s for s, _ in paragraphs(out)}
    assert "Quote Context" not in styles and "Quote Memo" not in styles


def test_title_page_names_study_coders_and_choices(coded, tmp_path: Path) -> None:
    out = tmp_path / "utvalg.docx"
    options = QuoteOptions(where={"role": ["Bedriftsleder", "Jobbspesialist"]}, min_words=3)
    export_quotes(coded.study, options, out)
    found = paragraphs(out)
    assert found[0] == ("Title", coded.study.config.name)
    assert found[1] == ("Subtitle", "Sitater etter kode og rolle")
    texts = [t for _, t in found[:14]]
    assert "Koding av: consensus" in texts
    assert "Kodebok: " + coded.study.codebook.title in texts
    assert "Rolle: Bedriftsleder eller Jobbspesialist" in texts
    assert "Minst antall ord: 3" in texts


def test_table_of_contents_field_tells_how_to_fill_it(sheet: Path) -> None:
    document = docx.Document(str(sheet))
    body = document.element.body
    instructions = [e.text for e in body.iter(W + "instrText")]
    assert any(i.strip().startswith('TOC \\o "1-3"') for i in instructions)
    placeholder = [p.text for p in document.paragraphs if "F9" in p.text]
    assert placeholder and "Oppdater felt" in placeholder[0]
    assert document.settings.element.find(W + "updateFields") is not None


def test_closing_matrix_counts_quotes_and_informants(sheet: Path) -> None:
    table = docx.Document(str(sheet)).tables[-1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    header = rows[0]
    assert header[0] == "Kode" and header[-1] == "Totalt"
    assert header[1:-1] == [
        "Bedriftsleder",
        "Employer manager",
        "Jobbspesialist",
        "NAV-veileder",
        "(ikke oppgitt)",
    ]
    geographic = next(r for r in rows if r[0].strip() == "Geografisk distanse")
    assert geographic[1:] == ["1 (1)", "", "1 (1)", "", "", "2 (2)"]
    assert rows[-1][0] == "Totalt"
    assert rows[-1][-1] == "7 (4)"  # the interviewer is no informant


def test_group_by_role_then_code_puts_roles_on_top(coded, tmp_path: Path) -> None:
    out = tmp_path / "roller.docx"
    export_quotes(coded.study, QuoteOptions(group_by=["role", "code"]), out)
    headings = [(s, t) for s, t in paragraphs(out) if s.startswith("Heading")]
    assert headings[:3] == [
        ("Heading 1", "Bedriftsleder"),
        ("Heading 2", "Distanse"),
        ("Heading 3", "Geografisk distanse"),
    ]
    assert ("Heading 1", "Jobbspesialist") in headings


def test_english_labels_when_asked(coded, tmp_path: Path) -> None:
    out = tmp_path / "quotes.docx"
    export_quotes(coded.study, QuoteOptions(language="en", codes=["distance"]), out)
    found = paragraphs(out)
    assert ("Heading 2", "Geographic distance") in found
    assert any(s == "Code Definition" and t.startswith("Use when: ") for s, t in found)


def test_progress_is_reported_to_the_end(coded, tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    export_quotes(coded.study, QuoteOptions(), tmp_path / "p.docx", lambda *a: seen.append(a))
    assert seen[0][0] == "select" and seen[-1] == ("write", 7, 7)
    assert ("select", 7, 7) in seen


def test_group_by_role_alone_makes_roles_headings(coded, tmp_path: Path) -> None:
    out = tmp_path / "roller.docx"
    export_quotes(coded.study, QuoteOptions(group_by=["role"]), out)
    found = paragraphs(out)
    headings = [(s, t) for s, t in found if s.startswith("Heading")]
    assert headings[:4] == [
        ("Heading 1", "Bedriftsleder"),
        ("Heading 1", "Employer manager"),
        ("Heading 1", "Jobbspesialist"),
        ("Heading 1", "NAV-veileder"),
    ]
    assert ("Heading 1", "(ikke oppgitt)") in headings  # the interviewer's question
    body = found[found.index(headings[0]) :]
    assert "Quote Group" not in {s for s, _ in body}
    start = found.index(("Heading 1", "Bedriftsleder"))
    end = found.index(("Heading 1", "Employer manager"))
    sources = [t for s, t in found[start:end] if s == "Quote Attribution"]
    assert len(sources) == 3 and any("Geografisk distanse" in t for t in sources)


def test_a_code_heading_and_its_definition_stay_with_the_first_quote(sheet: Path) -> None:
    styles = docx.Document(str(sheet)).styles
    for name in ("Heading 1", "Heading 2", "Code Definition", "Quote Group", "Quote"):
        assert styles[name].paragraph_format.keep_with_next, name


def test_title_page_says_whether_memos_are_included(coded, sheet: Path, tmp_path: Path) -> None:
    assert "Notater: tatt med" in [t for _, t in paragraphs(sheet)[:16]]
    out = tmp_path / "uten.docx"
    export_quotes(coded.study, QuoteOptions(), out)
    assert "Notater: ikke tatt med" in [t for _, t in paragraphs(out)[:16]]


def test_counts_of_one_are_singular_in_the_document(coded, tmp_path: Path) -> None:
    out = tmp_path / "en.docx"
    export_quotes(coded.study, QuoteOptions(codes=["distance.organisational"]), out)
    texts = [t for _, t in paragraphs(out)]
    assert "Omfang: 1 sitat fra 1 informant, 1 kode" in texts
    assert "distance.organisational · 1 sitat fra 1 informant" in texts


def test_the_table_of_contents_note_helps_libreoffice_users_too(sheet: Path) -> None:
    placeholder = next(p.text for p in docx.Document(str(sheet)).paragraphs if "F9" in p.text)
    assert "LibreOffice" in placeholder and "Verktøy › Oppdater › Alle" in placeholder


def test_matrix_headers_are_wide_enough_for_their_longest_word(sheet: Path) -> None:
    from qualcode.export.tablefit import column_need

    table = docx.Document(str(sheet)).tables[-1]
    header = table.rows[0].cells
    for i, cell in enumerate(header[1:], 1):
        size = cell.paragraphs[0].runs[0].font.size.pt
        cells = [row.cells[i].text for row in table.rows[1:]]
        assert table.columns[i].width >= column_need(cell.text, cells, size), cell.text
