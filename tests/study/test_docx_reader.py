"""Reading Word documents: the text comes out in order, and broken files get a clear message."""

from __future__ import annotations

import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from word_tables import word_table

from qualcode.errors import ImportFileError
from qualcode.study.docx_reader import read_docx

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _insert_before_section(document, xml: str) -> None:
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml))  # the last child is the section properties


def test_paragraphs_and_table_rows_come_out_in_document_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("I: Kan du fortelle litt om bedriften?")
    answer = document.add_paragraph("A: Vi møtte ")
    answer.add_run("arbeidsgiveren").bold = True
    answer.add_run(" på NAV-kontoret i [kommune].")
    document.add_paragraph("")  # empty paragraphs do not make extra blank lines
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "I"
    table.cell(0, 1).text = "Hvordan gikk det?"
    table.cell(1, 0).text = "A"
    table.cell(1, 1).text = "«Det gikk fint», sa hun."
    document.add_paragraph("Slutt (…)")
    path = tmp_path / "intervju.docx"
    document.save(path)

    assert read_docx(path) == (
        "I: Kan du fortelle litt om bedriften?\n\n"
        "A: Vi møtte arbeidsgiveren på NAV-kontoret i [kommune].\n\n"
        "I: Hvordan gikk det?\n\n"
        "A: «Det gikk fint», sa hun.\n\n"
        "Slutt (…)"
    )


def test_a_line_break_inside_a_paragraph_stays_one_line_break(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("Første linje")
    paragraph.add_run().add_break()
    paragraph.add_run("andre linje")
    path = tmp_path / "linjeskift.docx"
    document.save(path)

    assert read_docx(path) == "Første linje\nandre linje"


def test_tracked_changes_read_as_the_document_now_stands(tmp_path):
    document = docx.Document()
    _insert_before_section(
        document,
        f'<w:p {W}><w:r><w:t xml:space="preserve">Det var </w:t></w:r>'
        '<w:del w:id="1" w:author="K"><w:r><w:delText>ikke </w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="K"><w:r><w:t xml:space="preserve">svært </w:t></w:r></w:ins>'
        "<w:hyperlink><w:r><w:t>bra</w:t></w:r></w:hyperlink></w:p>",
    )
    path = tmp_path / "spor.docx"
    document.save(path)

    assert read_docx(path) == "Det var svært bra"


def test_an_empty_document_gives_empty_text(tmp_path):
    path = tmp_path / "tom.docx"
    docx.Document().save(path)
    assert read_docx(path) == ""


def _error(path) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        read_docx(path)
    error = caught.value
    assert error.path is not None and error.path.name == path.name
    assert error.hint
    return error


def test_a_password_protected_document_says_how_to_remove_the_password(tmp_path):
    path = tmp_path / "beskyttet.docx"
    # An encrypted .docx is an OLE compound file, not a zip archive.
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))

    error = _error(path)
    assert "password" in error.message
    assert "remove the password" in error.hint


def test_an_old_doc_file_asks_to_save_as_docx(tmp_path):
    path = tmp_path / "gammel.doc"
    path.write_bytes(
        bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + "WordDocument".encode("utf-16-le")
    )

    error = _error(path)
    assert ".doc" in error.message
    assert "Save As" in error.hint and ".docx" in error.hint


@pytest.mark.parametrize(
    "content",
    [b"dette er bare tekst", b"PK\x03\x04 halve zip-filen", b"{\\rtf1\\ansi hei}"],
    ids=["text", "truncated-zip", "rtf"],
)
def test_a_file_that_is_not_a_docx_is_explained(tmp_path, content):
    path = tmp_path / "feil.docx"
    path.write_bytes(content)
    error = _error(path)
    assert ".docx" in error.message or ".docx" in error.hint


def test_a_damaged_docx_is_explained(tmp_path):
    path = tmp_path / "skadet.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document")

    error = _error(path)
    assert "damaged" in error.message


def test_another_office_file_with_a_docx_name_is_explained(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "regneark.docx"
    openpyxl.Workbook().save(path)

    error = _error(path)
    assert "not a Word document" in error.message


def test_a_missing_file_is_explained(tmp_path):
    error = _error(tmp_path / "finnes-ikke.docx")
    assert "does not exist" in error.message


def test_a_table_of_facts_is_not_taken_for_a_dialogue(tmp_path):
    rows = [("Region", "Agder"), ("Kommune", "Småby"), ("Dato", "11.02.2025")]
    path = word_table(tmp_path / "fakta.docx", rows)
    assert read_docx(path) == "Region\tAgder\n\nKommune\tSmåby\n\nDato\t11.02.2025"


def test_a_dialogue_table_with_a_time_column_keeps_the_time_before_the_label(tmp_path):
    rows = [("00:01:10", "I", "Hei."), ("00:01:12", "A", "Hei på deg.")]
    path = word_table(tmp_path / "tid.docx", rows)
    assert read_docx(path) == "00:01:10 I: Hei.\n\n00:01:12 A: Hei på deg."


def _table_document(tmp_path, name: str, rows: list[tuple[str, str]]):
    return word_table(tmp_path / name, rows, heading="Intervju med leder")


def test_a_two_row_table_of_facts_stays_a_table(tmp_path):
    path = _table_document(tmp_path, "fakta.docx", [("Region", "Agder"), ("Form", "case")])
    assert read_docx(path) == "Intervju med leder\n\nRegion\tAgder\n\nForm\tcase"


def test_a_table_of_facts_whose_labels_come_back_stays_a_table(tmp_path):
    rows = [("Informant", "A"), ("Rolle", "Leder"), ("Informant", "B"), ("Rolle", "Veileder")]
    path = _table_document(tmp_path, "to.docx", rows)
    assert "Informant\tA\n\nRolle\tLeder" in read_docx(path)


def test_a_dialogue_table_without_an_interviewer_label_is_read_as_turns(tmp_path):
    rows = [
        ("D1", "Vi har hatt et godt samarbeid med kontoret."),
        ("D2", "Det har vi også, men det tok lang tid."),
        ("D1", "Ja, det tok et par år før det satte seg."),
    ]
    path = _table_document(tmp_path, "fokus.docx", rows)
    assert read_docx(path).split("\n\n")[1:] == [f"{label}: {text}" for label, text in rows]


def test_speakers_heard_once_in_a_dialogue_table_are_turns(tmp_path):
    rows = [("I", "Hvordan var det?"), ("D", "Godt."), ("I", "Og for deg?"), ("L", "Også godt.")]
    path = _table_document(tmp_path, "dl.docx", rows)
    assert read_docx(path).split("\n\n")[1:] == [f"{label}: {text}" for label, text in rows]
