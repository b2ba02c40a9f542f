"""Projects written the way NVivo, MAXQDA, ATLAS.ti and QualCoder write them: texts that come as
PDF, recordings with transcripts or Word files, comments on passages, and variables kept in
other places than qualcode keeps them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from refi_helpers import KARI, project_xml

from qualcode.exchange.refi_project import import_project
from qualcode.study import Study

CODE = "AAAAAAAA-0000-0000-0000-000000000001"
CODES = f'<Code guid="{CODE}" name="Avstand" isCodable="true"/>'
TEXT = "I: Hvordan gikk det?\n\nA: Det er liksom to ulike verdener, NAV og oss.\n"


def _guid(n: int) -> str:
    return f"C0000000-0000-0000-0000-{n:012d}"


def _coded(quote: str, n: int, text: str = TEXT, tag: str = "PlainTextSelection") -> str:
    start = text.index(quote)
    return (f'<{tag} guid="{_guid(100 + n)}" startPosition="{start}" '
            f'endPosition="{start + len(quote)}" creatingUser="{KARI}"><Coding '
            f'guid="{_guid(200 + n)}"><CodeRef targetGUID="{CODE}"/></Coding></{tag}>')


def _quotes(study: Study, coder: str = "kari") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with study.store(coder) as store:
        for coding in store.codings():
            assert study.transcript(coding.transcript).text[coding.start : coding.end] == (
                coding.quote)
            out.setdefault(coding.transcript, []).append(coding.quote)
    return out


def test_a_pdf_with_its_plain_text_becomes_a_transcript(make_qdpx, tmp_path: Path) -> None:
    sources = (
        f'<PDFSource guid="{_guid(1)}" name="Intervju 4.pdf" path="internal://{_guid(1)}.pdf">'
        f'<PDFSelection guid="{_guid(2)}" page="1" firstX="1" firstY="1" secondX="9" secondY="9">'
        f'<Coding guid="{_guid(3)}"><CodeRef targetGUID="{CODE}"/></Coding></PDFSelection>'
        f'<Representation guid="{_guid(4)}" plainTextPath="internal://{_guid(4)}.txt">'
        f'{_coded("to ulike verdener", 1)}</Representation></PDFSource>'
    )
    qdpx = make_qdpx(project_xml(codes=CODES, sources=sources),
                     {f"sources/{_guid(1)}.pdf": b"%PDF-1.4", f"sources/{_guid(4)}.txt": TEXT})
    report = import_project(qdpx, tmp_path / "s")
    study = Study.open(tmp_path / "s")
    assert study.transcript_ids == ["intervju-4"]
    assert _quotes(study) == {"intervju-4": ["to ulike verdener"]}
    assert report.skipped == [("Intervju 4.pdf: 1 coding of parts of its pages (qualcode codes "
                              "text only)")]


def test_a_recording_with_a_transcript_keeps_the_transcript_codings(
    make_qdpx, tmp_path: Path
) -> None:
    start, end = TEXT.index("Det er"), TEXT.index(", NAV")
    transcript = (
        f'<Transcript guid="{_guid(5)}" name="Opptak 2 - transkripsjon" '
        f'plainTextPath="internal://{_guid(5)}.txt">'
        f'<SyncPoint guid="{_guid(6)}" position="{start}" timeStamp="4000"/>'
        f'<SyncPoint guid="{_guid(7)}" position="{end}" timeStamp="9000"/>'
        f'<TranscriptSelection guid="{_guid(8)}" fromSyncPoint="{_guid(6)}" '
        f'toSyncPoint="{_guid(7)}" creatingUser="{KARI}"><Coding guid="{_guid(9)}"><CodeRef '
        f'targetGUID="{CODE}"/></Coding></TranscriptSelection></Transcript>'
    )
    sources = (
        f'<AudioSource guid="{_guid(1)}" name="Opptak 2.m4a" path="relative://Opptak 2.m4a">'
        f'{transcript}<AudioSelection guid="{_guid(2)}" begin="0" end="3000"><Coding '
        f'guid="{_guid(3)}"><CodeRef targetGUID="{CODE}"/></Coding></AudioSelection>'
        "</AudioSource>"
    )
    qdpx = make_qdpx(project_xml(codes=CODES, sources=sources),
                     {f"Sources/{_guid(5)}.txt": TEXT.replace("\n", "\r\n")})
    report = import_project(qdpx, tmp_path / "s")
    study = Study.open(tmp_path / "s")
    assert _quotes(study) == {"opptak-2-transkripsjon": ["Det er liksom to ulike verdener"]}
    assert report.skipped == [("Opptak 2.m4a: 1 coding of stretches of the recording (qualcode "
                              "codes text only)")]


def test_a_text_that_came_only_as_a_word_file_is_read_from_it(make_qdpx, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("I: Hvordan gikk det?")
    document.add_paragraph("A: Det gikk bra, takk.")
    data = io.BytesIO()
    document.save(data)
    sources = (
        f'<TextSource guid="{_guid(1)}" name="Intervju 7.docx" '
        f'richTextPath="internal://{_guid(1)}.docx">{_coded("Hvordan", 1)}</TextSource>'
    )
    qdpx = make_qdpx(project_xml(codes=CODES, sources=sources),
                     {f"sources/{_guid(1)}.docx": data.getvalue()})
    report = import_project(qdpx, tmp_path / "s")
    study = Study.open(tmp_path / "s")
    assert study.transcript("intervju-7").text == "I: Hvordan gikk det?\n\nA: Det gikk bra, takk."
    assert not study.coders()
    assert report.skipped == [
        ("Intervju 7.docx: only a Word version of the text came with the project, so the text was "
        "taken from it, but selections count in a plain-text version that is missing; its 1 "
        "coding was not imported")
    ]


def test_comments_on_passages_become_memos_that_quote_the_passage(
    make_qdpx, tmp_path: Path
) -> None:
    """MAXQDA writes a comment as a selection without codes; NVivo links an annotation note to
    a selection; QualCoder puts the passage inside the note the source refers to."""
    comment_start = TEXT.index("NAV og oss")
    selections = (
        f'<PlainTextSelection guid="{_guid(1)}" startPosition="{comment_start}" '
        f'endPosition="{comment_start + 10}" creatingUser="{KARI}"><Description>Hvem er '
        '«oss»?</Description></PlainTextSelection>'
        + _coded("to ulike verdener", 2)
    )
    sources = (f'<TextSource guid="{_guid(3)}" name="Intervju 1" plainTextPath="a.txt">'
               f'{selections}<NoteRef targetGUID="{_guid(4)}"/></TextSource>')
    hvordan = TEXT.index("Hvordan")
    notes = (
        f'<Notes><Note guid="{_guid(4)}" creatingUser="{KARI}"><PlainTextContent>Åpent '
        f'spørsmål.</PlainTextContent><PlainTextSelection guid="{_guid(5)}" '
        f'startPosition="{hvordan}" endPosition="{hvordan + 7}"/></Note>'
        f'<Note guid="{_guid(6)}" creatingUser="{KARI}" plainTextPath="internal://{_guid(6)}.txt"/>'
        f'</Notes><Links><Link guid="{_guid(7)}" originGUID="{_guid(6)}" '
        f'targetGUID="{_guid(102)}"/></Links>'
    )
    qdpx = make_qdpx(project_xml(codes=CODES, sources=sources, after=notes),
                     {"sources/a.txt": TEXT, f"sources/{_guid(6)}.txt": "Sterkt bilde."})
    report = import_project(qdpx, tmp_path / "s")
    study = Study.open(tmp_path / "s")
    with study.store("kari") as store:
        [coding] = store.codings()
        assert store.memo("coding", coding.id) == "Sterkt bilde."
        assert store.memo("transcript", "intervju-1") == (
            "On “NAV og oss”: Hvem er «oss»?\n\nOn “Hvordan”: Åpent spørsmål.")
    assert report.skipped == []


def test_document_variables_become_the_attributes_of_the_one_informant(
    make_qdpx, tmp_path: Path
) -> None:
    """MAXQDA and Quirkos keep an interviewee's attributes as variables of the document, in a
    case without a name; NVivo can code passages to cases."""
    variables = (
        f'<Variables><Variable guid="{_guid(1)}" name="role" typeOfVariable="Text"/>'
        f'<Variable guid="{_guid(2)}" name="Alder" typeOfVariable="Integer"/></Variables>'
        f'<Cases><Case guid="{_guid(3)}"><VariableValue><VariableRef targetGUID="{_guid(1)}"/>'
        f'<TextValue>Bedriftsleder</TextValue></VariableValue><VariableValue><VariableRef '
        f'targetGUID="{_guid(2)}"/><IntegerValue>52</IntegerValue></VariableValue>'
        f'<SourceRef targetGUID="{_guid(4)}"/></Case>'
        f'<Case guid="{_guid(5)}" name="Anna"/></Cases>'
    )
    case_coding = (f'<PlainTextSelection guid="{_guid(6)}" startPosition="0" endPosition="5" '
                   f'creatingUser="{KARI}"><Coding guid="{_guid(7)}"><CodeRef '
                   f'targetGUID="{_guid(5)}"/></Coding></PlainTextSelection>')
    sources = (f'<TextSource guid="{_guid(4)}" name="Intervju 2" plainTextPath="b.txt">'
               f'{_coded("to ulike verdener", 1)}{case_coding}</TextSource>')
    qdpx = make_qdpx(project_xml(codes=CODES, sources=sources, before=variables),
                     {"sources/b.txt": TEXT})
    report = import_project(qdpx, tmp_path / "s")
    informant = Study.open(tmp_path / "s").transcript("intervju-2").informants["A"]
    assert informant.attributes == {"role": "Bedriftsleder", "Alder": "52"}
    assert report.skipped == [("codings that assign a passage to a case (qualcode knows "
                              "informants by their speaker labels)")]


def test_a_project_written_with_byte_order_marks_everywhere(tmp_path: Path) -> None:
    """QualCoder writes project.qde and every text file with a UTF-8 byte-order mark, in a
    `Sources/` folder; positions count from the first letter after the mark."""
    sources = (f'<TextSource guid="{_guid(1)}" name="Intervju 3" '
               f'plainTextPath="internal://{_guid(1)}.txt">{_coded("ulike verdener", 1)}'
               "</TextSource>")
    qdpx = tmp_path / "qualcoder.qdpx"
    with zipfile.ZipFile(qdpx, "w") as archive:
        archive.writestr("project.qde", project_xml(codes=CODES, sources=sources)
                         .encode("utf-8-sig"))
        archive.writestr(f"Sources/{_guid(1)}.txt", TEXT.encode("utf-8-sig"))
    import_project(qdpx, tmp_path / "s")
    assert _quotes(Study.open(tmp_path / "s")) == {"intervju-3": ["ulike verdener"]}
