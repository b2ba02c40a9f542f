"""Whole studies to and from REFI-QDA .qdpx: schema, round trip, and the traps of other programs."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from refi_helpers import KARI, assert_valid, project_xml

from qualcode.errors import ImportFileError, StudyError
from qualcode.exchange.ids import NAMESPACE
from qualcode.exchange.refi_project import export_project, import_project
from qualcode.study import Study

NS = "{urn:QDA-XML:project:1.0}"


def _guid(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, key))


@pytest.fixture
def exported(demo_path: Path, tmp_path: Path) -> Path:
    study = Study.open(demo_path)
    with study.store("ingrid") as store:
        coding = store.codings()[0]
        store.set_memo("transcript", coding.transcript, "Tidlig i feltarbeidet.")
        store.set_memo("code", "distance", "Kodeboka må skjerpes her.")
        store.set_memo("study", "", "Notat om hele studien.")
    out = tmp_path / "demo.qdpx"
    export_project(demo_path, out)
    return out


def test_exported_project_is_valid_against_the_schema(exported: Path, schema) -> None:
    with zipfile.ZipFile(exported) as archive:
        assert_valid(schema("Project"), archive.read("project.qde"))


def test_exported_project_structure(exported: Path, demo_path: Path) -> None:
    study = Study.open(demo_path)
    with zipfile.ZipFile(exported) as archive:
        names = set(archive.namelist())
        root = ET.fromstring(archive.read("project.qde"))
        assert root.tag == f"{NS}Project"
        assert [u.get("name") for u in root.iter(f"{NS}User")] == ["ingrid", "jonas"]
        sources = list(root.iter(f"{NS}TextSource"))
        assert len(sources) == len(study.transcript_ids)
        for source in sources:
            transcript = study.transcript(source.get("name"))
            assert source.get("guid") == _guid(f"transcript:{transcript.id}")
            entry = f"sources/{source.get('guid')}.txt"
            assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
            assert entry in names
            assert archive.read(entry).decode("utf-8") == transcript.text
    assert "project.qde" in names
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{NS}User")}
    found = set()
    for source in root.iter(f"{NS}TextSource"):
        transcript = study.transcript(source.get("name"))
        for selection in source.iter(f"{NS}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            for coding in selection.iter(f"{NS}Coding"):
                coder = users[coding.get("creatingUser")]
                found.add((coder, transcript.id, start, end, coding.find(f"{NS}CodeRef").get(
                    "targetGUID")))
    expected = set()
    for coder in ("ingrid", "jonas"):
        with study.store(coder) as store:
            expected |= {(coder, c.transcript, c.start, c.end, _guid(f"code:{c.code}"))
                         for c in store.codings()}
    assert found == expected
    cases = list(root.iter(f"{NS}Case"))
    assert len(cases) == len(study.informants())
    notes = list(root.iter(f"{NS}Note"))
    assert len(notes) == 14 + 3
    assert len(root.findall(f"{NS}NoteRef")) == 1  # the memo on the study


def test_export_is_the_same_every_time(demo_path: Path, tmp_path: Path) -> None:
    export_project(demo_path, tmp_path / "a.qdpx")
    export_project(demo_path, tmp_path / "b.qdpx")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def test_round_trip_keeps_texts_codes_codings_memos_and_informants(
    exported: Path, demo_path: Path, tmp_path: Path
) -> None:
    report = import_project(exported, tmp_path / "back")
    before, after = Study.open(demo_path), Study.open(tmp_path / "back")
    assert report.transcripts == len(before.transcript_ids)
    assert report.codes == len(before.codebook)
    assert not report.skipped
    assert after.transcript_ids == before.transcript_ids
    for tid in before.transcript_ids:
        old, new = before.transcript(tid), after.transcript(tid)
        assert new.text == old.text
        assert (new.title, new.form, new.language) == (old.title, old.form, old.language)
        assert {k: v.attributes for k, v in new.informants.items()} == {
            k: v.attributes for k, v in old.informants.items()}
    assert after.codebook.ids == before.codebook.ids
    for code in before.codebook.walk():
        other = after.codebook[code.id]
        assert (other.labels, other.colour, other.parent_id, other.examples) == (
            code.labels, code.colour, code.parent_id, code.examples)
        assert (other.description, other.inclusion, other.exclusion) == (
            code.description, code.inclusion, code.exclusion)
        assert [c.id for c in other.children] == [c.id for c in code.children]
    assert after.coders() == before.coders() == ["ingrid", "jonas"]
    for coder in before.coders():
        with before.store(coder) as old, after.store(coder) as new:
            assert [(c.transcript, c.start, c.end, c.code, c.quote) for c in new.codings()] == [
                (c.transcript, c.start, c.end, c.code, c.quote) for c in old.codings()]
            old_memos = {(m.target_kind, _span(old, m), m.text) for m in old.memos()}
            new_memos = {(m.target_kind, _span(new, m), m.text) for m in new.memos()}
            assert new_memos == old_memos
    assert report.coders == {"ingrid": 127, "jonas": 127}


def _guids(qdpx: Path) -> dict[str, set[str]]:
    """Element name -> the GUIDs of those elements in the project."""
    with zipfile.ZipFile(qdpx) as archive:
        root = ET.fromstring(archive.read("project.qde"))
    out: dict[str, set[str]] = {}
    for element in root.iter():
        if element.get("guid"):
            out.setdefault(element.tag.removeprefix(NS), set()).add(element.get("guid"))
    return out


def test_a_study_that_went_out_and_came_back_exports_with_the_same_guids(
    exported: Path, tmp_path: Path
) -> None:
    import_project(exported, tmp_path / "back")
    again = tmp_path / "again.qdpx"
    export_project(tmp_path / "back", again)
    before, after = _guids(exported), _guids(again)
    assert set(before) == {"User", "Code", "Variable", "Case", "TextSource",
                           "PlainTextSelection", "Coding", "Note"}
    assert after == before


def test_the_consensus_of_a_qualcode_study_stays_the_consensus(
    demo_path: Path, tmp_path: Path
) -> None:
    study = Study.open(demo_path)
    with study.store("ingrid") as store:
        first = store.codings()[0]
    with study.store("consensus", create=True) as store:
        store.add_coding(study.transcript(first.transcript), first.start, first.end, first.code)
    export_project(demo_path, tmp_path / "demo.qdpx")
    report = import_project(tmp_path / "demo.qdpx", tmp_path / "back")
    assert report.coders["consensus"] == 1
    assert Study.open(tmp_path / "back").coders(include_consensus=True) == [
        "consensus", "ingrid", "jonas"]


def test_a_study_without_transcripts_exports_a_valid_project(tmp_path: Path, schema) -> None:
    from qualcode.study.create import init_study

    init_study(tmp_path / "empty")
    report = export_project(tmp_path / "empty", tmp_path / "empty.qdpx")
    assert (report.transcripts, report.coders) == (0, {})
    with zipfile.ZipFile(tmp_path / "empty.qdpx") as archive:
        assert_valid(schema("Project"), archive.read("project.qde"))
    back = import_project(tmp_path / "empty.qdpx", tmp_path / "back")
    assert back.reading == "no selections to place"


def test_the_imported_study_folder_can_be_read_like_any_new_folder(
    exported: Path, tmp_path: Path
) -> None:
    import_project(exported, tmp_path / "back")
    (tmp_path / "plain").mkdir()
    assert (tmp_path / "back").stat().st_mode == (tmp_path / "plain").stat().st_mode


def _span(store, memo) -> object:
    """A memo's target in a form that survives new coding ids."""
    if memo.target_kind != "coding":
        return memo.target
    coding = store.coding(memo.target)
    return (coding.transcript, coding.start, coding.end, coding.code)


# ---------------------------------------------------------------------------------------------
# Projects written the way other programs write them

TEXT = (
    "I: Hvordan er samarbeidet med NAV?\r\n\r\n"
    "A: Det er liksom to ulike verdener, NAV og oss.  \r\n"
    "Vi møtes aldri helt på midten.\r\n\r\n"
    "I: Og kafe\u0301en?\r\n\r\n"
    "A: Jeg tror vi står for langt fra hverandre, rett og slett.\r\n"
)
CODES = (
    '<Code guid="{AAAAAAAA-0000-0000-0000-000000000001}" name="Distanse" isCodable="false" '
    'color="#4E79A7"><Code guid="AAAAAAAA-0000-0000-0000-000000000002" name="Kognitiv distanse" '
    'isCodable="true"><Description>Ulike verdener.</Description></Code></Code>'
    '<Code guid="AAAAAAAA-0000-0000-0000-000000000003" name="consensus" isCodable="true"/>'
)
COGNITIVE = "AAAAAAAA-0000-0000-0000-000000000002"


def _selection(text: str, quote: str, code: str, user: str = KARI, inclusive: bool = False,
               crlf_as_one: bool = False, guid: str = "B0000000-0000-0000-0000-000000000001",
               notes: str = "") -> str:
    counted = text.replace("\r\n", "\n") if crlf_as_one else text
    start = counted.index(quote)
    end = start + len(quote) - (1 if inclusive else 0)
    return (
        f'<PlainTextSelection guid="{guid}" name="{quote[:20]}…" startPosition="{start}" '
        f'endPosition="{end}" creatingUser="{user}"><Coding guid="{guid[:-1]}9" '
        f'creatingUser="{user}"><CodeRef targetGUID="{code}"/>{notes}</Coding>'
        "</PlainTextSelection>"
    )


def _foreign_project(inclusive: bool = False, crlf_as_one: bool = False) -> str:
    quotes = ["to ulike verdener", "Vi møtes aldri helt på midten", "for langt fra hverandre",
              "samarbeidet med NAV", "rett og slett"]
    selections = "".join(
        _selection(TEXT, q, COGNITIVE, inclusive=inclusive, crlf_as_one=crlf_as_one,
                   guid=f"B0000000-0000-0000-0000-00000000000{i}")
        for i, q in enumerate(quotes)
    )
    sources = (
        '<TextSource guid="C0000000-0000-0000-0000-000000000001" name="Intervju 1.docx" '
        'plainTextPath="internal://C0000000-0000-0000-0000-000000000001.txt">'
        f"<Description>Leder i industribedrift</Description>{selections}</TextSource>"
        '<PDFSource guid="C0000000-0000-0000-0000-000000000002" name="Rapport.pdf" '
        'path="internal://C0000000-0000-0000-0000-000000000002.pdf"><PDFSelection '
        'guid="C0000000-0000-0000-0000-000000000012" page="1" firstX="1" firstY="1" secondX="2" '
        'secondY="2"><Coding guid="C0000000-0000-0000-0000-000000000022"><CodeRef '
        f'targetGUID="{COGNITIVE}"/></Coding></PDFSelection></PDFSource>'
        '<AudioSource guid="C0000000-0000-0000-0000-000000000003" name="Opptak.m4a" '
        'path="relative://Opptak.m4a"/>'
    )
    cases = (
        '<Variables><Variable guid="D0000000-0000-0000-0000-000000000001" name="role" '
        'typeOfVariable="Text"/></Variables><Cases><Case guid="E0000000-0000-0000-0000-0000000'
        '00001" name="A"><VariableValue><VariableRef targetGUID="D0000000-0000-0000-0000-0000000'
        '00001"/><TextValue>Bedriftsleder</TextValue></VariableValue><SourceRef targetGUID="C000'
        '0000-0000-0000-0000-000000000001"/></Case></Cases>'
    )
    return project_xml(codes=CODES, sources=sources, before=cases)


@pytest.mark.parametrize(
    ("inclusive", "crlf_as_one"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_foreign_project_with_its_traps(make_qdpx, tmp_path: Path, inclusive, crlf_as_one) -> None:
    qdpx = make_qdpx(
        _foreign_project(inclusive, crlf_as_one),
        {"Sources/c0000000-0000-0000-0000-000000000001.TXT": TEXT.encode("utf-8"),
         "Sources/c0000000-0000-0000-0000-000000000002.PDF": b"%PDF-1.4"},
        qde_name="Export fra program.QDE",
    )
    report = import_project(qdpx, tmp_path / "s")
    study = Study.open(tmp_path / "s")
    assert study.transcript_ids == ["intervju-1"]
    transcript = study.transcript("intervju-1")
    assert transcript.text.startswith("I: Hvordan er samarbeidet med NAV?\n\nA: Det er liksom")
    assert "kaféen" in transcript.text and "  \n" not in transcript.text
    assert transcript.title == "Leder i industribedrift"
    assert transcript.informants["A"].role == "Bedriftsleder"
    assert report.coders == {"kari": 5}
    assert ("inclusive" in report.reading) == inclusive
    assert ("one character" in report.reading) == crlf_as_one
    with study.store("kari") as store:
        quotes = sorted(c.quote for c in store.codings())
        assert {c.code for c in store.codings()} == {"distanse.kognitiv-distanse"}
        for coding in store.codings():
            assert transcript.text[coding.start : coding.end] == coding.quote
    assert quotes == sorted(["to ulike verdener", "Vi møtes aldri helt på midten",
                             "for langt fra hverandre", "samarbeidet med NAV", "rett og slett"])
    skipped = " ".join(report.skipped)
    assert "Rapport.pdf: a PDF without the plain text of its pages" in skipped
    assert "its 1 coding was not imported" in skipped
    assert "Opptak.m4a: an audio recording without a transcript" in skipped
    assert (tmp_path / "s" / "import-reports" / "project.md").is_file()
    assert "consensus" in study.codebook  # a code may be called that; only coders may not


def test_users_codings_notes_and_odd_names(make_qdpx, tmp_path: Path) -> None:
    text = "Første linje.\nAndre linje med mer tekst.\n"
    other = "00000000-0000-0000-0000-0000000000bb"
    note = '<NoteRef targetGUID="F0000000-0000-0000-0000-000000000001"/>'
    selections = (
        _selection(text, "Første linje", COGNITIVE, guid="B0000000-0000-0000-0000-000000000001",
                   notes=note)
        + _selection(text, "mer tekst", COGNITIVE, user=other,
                     guid="B0000000-0000-0000-0000-000000000002")
        + _selection(text, "Andre", "AAAAAAAA-0000-0000-0000-00000000dead",
                     guid="B0000000-0000-0000-0000-000000000003")
    )
    sources = (
        '<TextSource guid="C0000000-0000-0000-0000-000000000001" name="fritekst" '
        f'plainTextPath="fritekst.txt">{selections}'
        '<NoteRef targetGUID="F0000000-0000-0000-0000-000000000002"/></TextSource>'
    )
    notes = (
        '<Notes><Note guid="F0000000-0000-0000-0000-000000000001" creatingUser="'
        f'{KARI}"><PlainTextContent>Viktig sitat.</PlainTextContent></Note>'
        '<Note guid="F0000000-0000-0000-0000-000000000002" creatingUser="'
        f'{other}"><PlainTextContent>Om hele teksten.</PlainTextContent></Note>'
        '<Note guid="F0000000-0000-0000-0000-000000000003"><PlainTextContent>Løs.'
        "</PlainTextContent></Note></Notes>"
    )
    users = f'<User guid="{KARI}" name="Kari Nordmann"/><User guid="{other}" name="Consensus"/>'
    qdpx = make_qdpx(project_xml(codes=CODES, sources=sources, users=users, after=notes),
                     {"sources/fritekst.txt": text})
    report = import_project(qdpx, tmp_path / "s", language="nb")
    study = Study.open(tmp_path / "s")
    assert study.config.language == "nb"
    assert study.coders(include_consensus=True) == ["consensus-import", "kari-nordmann"]
    assert report.coders == {"kari-nordmann": 1, "consensus-import": 1}
    assert any("consensus-import" in r for r in report.remarks)
    assert any("not in the codebook" in s for s in report.skipped)
    assert any("notes not attached" in s for s in report.skipped)
    with study.store("kari-nordmann") as store:
        coding = store.codings()[0]
        assert store.memo("coding", coding.id) == "Viktig sitat."
    with study.store("consensus-import") as store:
        assert store.memo("transcript", "fritekst") == "Om hele teksten."


def test_inline_text_whole_source_codings_nested_folder_and_formatted_only(
    make_qdpx, tmp_path: Path
) -> None:
    coding = (f'<Coding guid="B0000000-0000-0000-0000-000000000009" creatingUser="{KARI}">'
              f'<CodeRef targetGUID="{COGNITIVE}"/></Coding>')
    sources = (
        '<TextSource guid="C0000000-0000-0000-0000-000000000001" name="Svar 1">'
        f"<PlainTextContent>Kort svar fra skjema.</PlainTextContent>{coding}</TextSource>"
        '<TextSource guid="C0000000-0000-0000-0000-000000000002" name="Svar 2" '
        'plainTextPath="internal://C0000000-0000-0000-0000-000000000002.txt"/>'
        '<TextSource guid="C0000000-0000-0000-0000-000000000003" name="Bare Word.docx" '
        'richTextPath="internal://C0000000-0000-0000-0000-000000000003.docx"/>'
    )
    qdpx = make_qdpx(
        project_xml(codes=CODES, sources=sources),
        {"Eksport/Sources/C0000000-0000-0000-0000-000000000002.txt":
         "\ufeffEt annet svar.".encode("utf-8")},
        qde_name="Eksport/project.qde",
    )
    report = import_project(qdpx, tmp_path / "s")
    study = Study.open(tmp_path / "s")
    assert study.transcript_ids == ["svar-1", "svar-2"]
    assert study.transcript("svar-2").text == "Et annet svar."
    with study.store("kari") as store:
        [whole] = store.codings()
    assert (whole.transcript, whole.quote) == ("svar-1", "Kort svar fra skjema.")
    assert any("Bare Word.docx: formatted text without a plain-text version" in s
               for s in report.skipped)


# ---------------------------------------------------------------------------------------------
# Bad input: a clear error, and nothing written


def _nothing_written(parent: Path, target: Path) -> None:
    assert not target.exists() or not any(target.iterdir())
    assert not [p for p in parent.iterdir() if p.name.endswith(".importing")]


def test_not_a_zip(tmp_path: Path) -> None:
    bad = tmp_path / "project.qdpx"
    bad.write_text("hello")
    with pytest.raises(ImportFileError, match="not a zip archive"):
        import_project(bad, tmp_path / "s")
    _nothing_written(tmp_path, tmp_path / "s")


def test_no_qde_inside(tmp_path: Path) -> None:
    bad = tmp_path / "project.qdpx"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("sources/a.txt", "text")
    with pytest.raises(ImportFileError, match="no project file"):
        import_project(bad, tmp_path / "s")
    _nothing_written(tmp_path, tmp_path / "s")


def test_invalid_xml_names_the_line(make_qdpx, tmp_path: Path) -> None:
    qdpx = make_qdpx('<?xml version="1.0"?>\n<Project name="x">\n<Users>\n</Project>\n')
    with pytest.raises(ImportFileError) as caught:
        import_project(qdpx, tmp_path / "s")
    assert caught.value.line == 4
    assert "project.qde" in str(caught.value.path)
    _nothing_written(tmp_path, tmp_path / "s")


def test_missing_source_file(make_qdpx, tmp_path: Path) -> None:
    sources = ('<TextSource guid="C0000000-0000-0000-0000-000000000001" name="a" '
               'plainTextPath="internal://C0000000-0000-0000-0000-000000000001.txt">'
               + _selection("abc def", "def", COGNITIVE) + "</TextSource>"
               '<TextSource guid="C0000000-0000-0000-0000-000000000002" name="b" '
               'plainTextPath="b.txt"/>')
    qdpx = make_qdpx(project_xml(codes=CODES, sources=sources), {"sources/b.txt": "Tekst."})
    with pytest.raises(ImportFileError, match="not in the project file") as caught:
        import_project(qdpx, tmp_path / "s")
    assert "--skip-problems" in caught.value.hint
    _nothing_written(tmp_path, tmp_path / "s")
    report = import_project(qdpx, tmp_path / "s", skip_problems=True)
    assert report.transcripts == 1
    assert report.skipped == [("a: its text file `internal://C0000000-0000-0000-0000-000000000001"
                              ".txt` is not in the project file; its 1 coding was not imported")]


def test_target_not_empty(exported: Path, tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "notes.txt").write_text("mine")
    with pytest.raises(StudyError, match="not empty"):
        import_project(exported, tmp_path / "s")
    assert [p.name for p in (tmp_path / "s").iterdir()] == ["notes.txt"]


def test_a_failure_half_way_leaves_nothing(exported: Path, tmp_path: Path, monkeypatch) -> None:
    from qualcode.exchange import study_builder

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(study_builder, "_store", broken)
    (tmp_path / "s").mkdir()
    with pytest.raises(StudyError, match="could not be written"):
        import_project(exported, tmp_path / "s")
    _nothing_written(tmp_path, tmp_path / "s")
    assert (tmp_path / "s").is_dir()


def _bad_selection_project(start: int, end: int) -> str:
    text_source = (
        '<TextSource guid="C0000000-0000-0000-0000-000000000001" name="Intervju 1" '
        'plainTextPath="a.txt">\n'
        + _selection("Første linje.\n", "Første", COGNITIVE,
                     guid="B0000000-0000-0000-0000-000000000001") + "\n"
        + f'<PlainTextSelection guid="B0000000-0000-0000-0000-000000000002" '
        f'startPosition="{start}" endPosition="{end}" creatingUser="{KARI}"><Coding '
        f'guid="B0000000-0000-0000-0000-000000000003"><CodeRef targetGUID="{COGNITIVE}"/>'
        "</Coding></PlainTextSelection>\n</TextSource>"
    )
    return project_xml(codes=CODES, sources=text_source)


@pytest.mark.parametrize(("start", "end", "reason"), [
    (3, 400, "runs from position 3 to 400, but the text has only 14 characters"),
    (9, 2, "ends (at 2) before it starts (at 9)"),
])
def test_selections_that_do_not_fit_their_text_are_refused_unless_skipped(
    make_qdpx, tmp_path: Path, start: int, end: int, reason: str
) -> None:
    qde = _bad_selection_project(start, end)
    qdpx = make_qdpx(qde, {"sources/a.txt": "Første linje.\n"})
    with pytest.raises(ImportFileError) as caught:
        import_project(qdpx, tmp_path / "s")
    lines = qde.splitlines()
    assert caught.value.line == 1 + next(
        n for n, line in enumerate(lines) if f'startPosition="{start}" endPosition="{end}"' in line)
    assert f"in `Intervju 1`, a selection with 1 coding {reason}" in caught.value.message
    assert "--skip-problems" in caught.value.hint
    _nothing_written(tmp_path, tmp_path / "s")
    report = import_project(qdpx, tmp_path / "s", skip_problems=True)
    assert report.coders == {"kari": 1}
    assert report.skipped == [f"Intervju 1: a selection with 1 coding that {reason}"]


def test_a_project_that_breaks_the_schema_is_refused_unless_skipped(
    make_qdpx, tmp_path: Path
) -> None:
    qde = project_xml(codes=CODES, sources=(
        '<TextSource guid="C0000000-0000-0000-0000-000000000001" name="Intervju 1" '
        'plainTextPath="a.txt">\n<PlainTextSelection guid="B0000000-0000-0000-0000-000000000001"'
        ' startPosition="null" endPosition="6">\n</PlainTextSelection></TextSource>'))
    qde = qde.replace('name="Kognitiv distanse" isCodable="true"',
                      'name="Kognitiv distanse" isCodable="ja"')
    qdpx = make_qdpx(qde, {"sources/a.txt": "Første linje."})
    with pytest.raises(ImportFileError) as caught:
        import_project(qdpx, tmp_path / "s")
    assert caught.value.line == 4
    assert caught.value.message == (
        'The file does not follow the REFI-QDA standard here: <Code> has isCodable="ja", which '
        "is not true or false. It breaks the standard in 1 more place.")
    assert str(caught.value.path).endswith("project.qdpx/project.qde")
    _nothing_written(tmp_path, tmp_path / "s")
    report = import_project(qdpx, tmp_path / "s", skip_problems=True)
    assert report.remarks[0].startswith("project.qde breaks the REFI-QDA standard in 2 places "
                                        '(line 4: <Code> has isCodable="ja"')
    assert report.skipped == ["Intervju 1: a selection without valid positions (line 6)"]


def test_a_selection_in_a_text_with_a_byte_order_mark_lands_on_its_words(
    make_qdpx, tmp_path: Path
) -> None:
    text = "A: Vi møtes aldri helt på midten.\r\n"
    sources = ('<TextSource guid="C0000000-0000-0000-0000-000000000001" name="Intervju 1" '
               f'plainTextPath="a.txt">{_selection(text, "aldri helt", COGNITIVE)}</TextSource>')
    qdpx = make_qdpx(project_xml(codes=CODES, sources=sources),
                     {"Sources/A.TXT": "\ufeff".encode() + text.encode("utf-8")})
    import_project(qdpx, tmp_path / "s")
    with Study.open(tmp_path / "s").store("kari") as store:
        assert [c.quote for c in store.codings()] == ["aldri helt"]


def test_codings_whose_text_is_gone_are_left_out_with_their_memos(
    demo_path: Path, tmp_path: Path
) -> None:
    study = Study.open(demo_path)
    with study.store("ingrid") as store:
        memo = next(m for m in store.memos() if m.target_kind == "coding")
        coding = store.coding(memo.target)
    path = demo_path / "transcripts" / f"{coding.transcript}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(coding.quote, "Dette ble sagt på en helt annen måte.", 1),
                    encoding="utf-8")
    report = export_project(demo_path, tmp_path / "demo.qdpx")
    [lost] = [s for s in report.notes if "no longer in" in s]
    assert coding.transcript in lost and "qualcode check" in lost
    assert "--fix" not in lost  # storing new positions cannot bring lost text back
    assert "1 memo on codings that were left out, or on codes or transcripts that no longer " \
           "exist" in report.skipped
    with zipfile.ZipFile(tmp_path / "demo.qdpx") as archive:
        root = ET.fromstring(archive.read("project.qde"))
    referred = {ref.get("targetGUID") for ref in root.iter(f"{NS}NoteRef")}
    assert {note.get("guid") for note in root.iter(f"{NS}Note")} == referred


def test_codings_on_moved_text_are_exported_where_the_text_is_now(
    demo_path: Path, tmp_path: Path
) -> None:
    """Text added before a coding moves it; the other program gets the current positions."""
    study = Study.open(demo_path)
    with study.store("ingrid") as store:
        coding = store.codings()[0]
    path = demo_path / "transcripts" / f"{coding.transcript}.md"
    text = path.read_text(encoding="utf-8")
    added = "Et nytt avsnitt som ble skrevet inn etterpå. "
    path.write_text(text.replace(coding.quote, added + coding.quote, 1), encoding="utf-8")
    report = export_project(demo_path, tmp_path / "demo.qdpx")
    assert not [s for s in report.notes + report.skipped if "no longer in" in s]
    [moved] = report.notes
    assert "found at a new place" in moved
    import_project(tmp_path / "demo.qdpx", tmp_path / "back")
    back = Study.open(tmp_path / "back")
    with back.store("ingrid") as store:
        found = [c for c in store.codings(transcript=coding.transcript)
                 if c.quote == coding.quote]
    [moved] = found
    assert moved.start == coding.start + len(added)
    assert back.transcript(coding.transcript).text[moved.start:moved.end] == coding.quote


def _zip_with_header_change(path: Path, flag: int = 0, method: int | None = None) -> Path:
    """A .qdpx whose project.qde is marked as encrypted, or as packed with another method."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", project_xml(codes=CODES))
    data = bytearray(buffer.getvalue())
    central = data.find(b"PK\x01\x02")
    for header, flags_at, method_at in ((0, 6, 8), (central, 8, 10)):
        data[header + flags_at] |= flag
        if method is not None:
            data[header + method_at] = method
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(("flag", "method", "message"), [
    (1, None, "protected by a password"),
    (0, 9, "packed in a way qualcode cannot unpack"),
])
def test_a_protected_or_oddly_packed_project_is_explained(
    tmp_path: Path, flag: int, method: int | None, message: str
) -> None:
    qdpx = _zip_with_header_change(tmp_path / "project.qdpx", flag, method)
    with pytest.raises(ImportFileError, match=message):
        import_project(qdpx, tmp_path / "s")
    _nothing_written(tmp_path, tmp_path / "s")
