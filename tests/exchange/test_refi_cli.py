"""`qualcode refi ...` as a researcher types it, and its answers to mistakes."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from qualcode.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, " ".join(err.replace("│", " ").split())  # panel text, unwrapped


def test_export_and_import_a_project(demo_path: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "demo.qdpx"
    code, text, _ = run(capsys, "refi", "export", str(demo_path), "--out", str(out))
    assert code == 0 and "Coder ingrid" in text and out.is_file()
    code, text, _ = run(capsys, "refi", "import", str(out), str(tmp_path / "new"), "--json")
    assert code == 0
    report = json.loads(text)
    assert report["transcripts"] == 12 and report["coders"] == {"ingrid": 127, "jonas": 127}
    assert report["skipped"] == []
    code, text, _ = run(capsys, "check", str(tmp_path / "new"), "--json")
    assert code == 0 and json.loads(text)["problems"] == []


def test_export_and_import_a_codebook(demo_path: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "koder.qdc"
    code, text, _ = run(capsys, "refi", "export", str(demo_path), "--out", str(out), "--json")
    assert code == 0 and json.loads(text)["codes"] == 41
    run(capsys, "init", str(tmp_path / "s"), "--codebook", "none")
    code, text, _ = run(capsys, "refi", "import-codebook", str(tmp_path / "s"), str(out))
    assert code == 0 and "41 codes" in text
    assert (tmp_path / "s" / "codebooks" / "koder.yaml").is_file()
    code, _, err = run(capsys, "refi", "import-codebook", str(tmp_path / "s"), str(out))
    assert code == 2 and "already has codes" in err


ONE_CODING = (
    "<Project xmlns='urn:QDA-XML:project:1.0' name='x'><Users><User guid='{u}' name='Kari'/>"
    "</Users><CodeBook><Codes><Code guid='{c}' name='Avstand' isCodable='true'/></Codes>"
    "</CodeBook><Sources><TextSource guid='{s}' name='Intervju' plainTextPath='a.txt'>"
    "<PlainTextSelection guid='{s}' startPosition='0' endPosition='{end}' creatingUser='{u}'>"
    "<Coding guid='{c}'><CodeRef targetGUID='{c}'/></Coding></PlainTextSelection></TextSource>"
    "</Sources></Project>"
).replace("{u}", "00000000-0000-0000-0000-0000000000aa").replace(
    "{c}", "00000000-0000-0000-0000-0000000000cc").replace(
    "{s}", "00000000-0000-0000-0000-0000000000dd")


def _one_coding_project(path: Path, end: int = 3, code_attribute: str = "") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", ONE_CODING.replace("{end}", str(end)).replace(
            "isCodable='true'", f"isCodable='true' {code_attribute}"))
        archive.writestr("sources/a.txt", "Hei på deg.")
    return path


def test_import_summary_counts_in_words(tmp_path: Path, capsys) -> None:
    qdpx = _one_coding_project(tmp_path / "in.qdpx")
    code, text, _ = run(capsys, "refi", "import", str(qdpx), str(tmp_path / "new"))
    assert code == 0
    assert "1 coding" in text and "1 codings" not in text
    report = (tmp_path / "new" / "import-reports" / "in.md").read_text(encoding="utf-8")
    assert "- coder kari: 1 coding\n" in report and "- 1 transcript\n" in report


def test_names_from_the_project_are_printed_as_they_are(tmp_path: Path, capsys) -> None:
    qdpx = tmp_path / "in.qdpx"
    qde = ONE_CODING.replace("name='x'", "name='x' origin='Program [beta]'").replace(
        "</TextSource>", "</TextSource><PictureSource guid='00000000-0000-0000-0000-0000000000ee' "
        "name='Kart [/vedlegg].png' path='internal://kart.png'/>").replace("{end}", "3")
    with zipfile.ZipFile(qdpx, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/a.txt", "Hei på deg.")
    target = tmp_path / "ny [utkast]"
    code, text, err = run(capsys, "refi", "import", str(qdpx), str(target))
    assert code == 0, err
    said = " ".join(text.split())
    assert "Made by Program [beta]" in said
    assert "Kart [/vedlegg].png: a picture" in said
    said = "".join(said.split())
    for line in (f"Created the study {target}", f"qualcode check {target},"):
        assert "".join(line.split()) in said


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("text", "not a zip archive"),
        ("no-qde", "no project file"),
        ("bad-xml", ":3"),
        ("missing-source", "not in the project file"),
        ("not-empty", "not empty"),
        ("schema", ("in.qdpx/project.qde:1 The file does not follow the REFI-QDA standard here: "
                   "<Code> has an attribute colour that the standard does not know.")),
        ("out-of-range", ("in `Intervju`, a selection with 1 coding runs from position 0 to 99, "
                         "but the text has only 11 characters.")),
    ],
)
def test_bad_input_is_explained_with_exit_2_and_nothing_written(
    tmp_path: Path, capsys, setup: str, message: str
) -> None:
    qdpx = tmp_path / "in.qdpx"
    target = tmp_path / "new"
    if setup == "schema":
        _one_coding_project(qdpx, code_attribute="colour='#ff0000'")
    elif setup == "out-of-range":
        _one_coding_project(qdpx, end=99)
    elif setup == "text":
        qdpx.write_text("not a zip")
    else:
        with zipfile.ZipFile(qdpx, "w") as archive:
            if setup == "bad-xml":
                archive.writestr("project.qde", "<Project name='x'>\n<Users>\n</Project>")
            elif setup in ("missing-source", "not-empty"):
                archive.writestr(
                    "project.qde",
                    "<Project xmlns='urn:QDA-XML:project:1.0' name='x'><Sources><TextSource "
                    "guid='c0000000-0000-0000-0000-000000000001' plainTextPath="
                    "'internal://c0000000-0000-0000-0000-000000000001.txt'/></Sources></Project>",
                )
            else:
                archive.writestr("sources/a.txt", "text")
    if setup == "not-empty":
        target.mkdir()
        (target / "mine.txt").write_text("x")
    code, _, err = run(capsys, "refi", "import", str(qdpx), str(target))
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not target.exists() or [p.name for p in target.iterdir()] == ["mine.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".importing")]


def test_skip_problems_imports_what_can_be_read(tmp_path: Path, capsys) -> None:
    qdpx = _one_coding_project(tmp_path / "in.qdpx", end=99, code_attribute="colour='#ff0000'")
    code, text, _ = run(capsys, "refi", "import", str(qdpx), str(tmp_path / "new"),
                        "--skip-problems", "--json")
    assert code == 0
    report = json.loads(text)
    assert report["transcripts"] == 1 and report["codings"] == 0
    assert report["skipped"] == [("Intervju: a selection with 1 coding that runs from position 0 "
                                 "to 99, but the text has only 11 characters")]
    assert "breaks the REFI-QDA standard in 1 place" in report["remarks"][0]


def test_codebook_flag_writes_a_qdc(demo_path: Path, tmp_path: Path, capsys) -> None:
    code, text, _ = run(capsys, "refi", "export", str(demo_path), "--codebook", "--out",
                        str(tmp_path / "koder"))
    assert code == 0 and "41 codes" in text and (tmp_path / "koder.qdc").is_file()
    code, _, err = run(capsys, "refi", "export", str(demo_path), "--codebook", "--out",
                       str(tmp_path / "koder.qdpx"))
    assert code == 2 and ".qdc" in err and not (tmp_path / "koder.qdpx").exists()


def test_export_refuses_an_unknown_extension(demo_path: Path, tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "refi", "export", str(demo_path), "--out", str(tmp_path / "x.zip"))
    assert code == 2 and ".qdpx" in err
    assert not (tmp_path / "x.zip").exists()


def test_a_codebook_back_from_another_program_replaces_the_study_codebooks(
    demo_path: Path, tmp_path: Path, capsys
) -> None:
    qdc = tmp_path / "codebook.qdc"
    run(capsys, "refi", "export", str(demo_path), "--codebook", "--out", str(qdc))
    code, _, err = run(capsys, "refi", "import-codebook", str(demo_path), str(qdc))
    assert code == 2 and "Traceback" not in err
    assert "interorganisational-distance.yaml: 5 codes" in err
    assert "employer-cooperation.yaml: 36 codes" in err and "--replace" in err
    code, text, _ = run(capsys, "refi", "import-codebook", str(demo_path), str(qdc), "--replace")
    assert code == 0
    said = " ".join(text.split())
    assert ("Replaced interorganisational-distance.yaml and employer-cooperation.yaml with the "
            "codebook") in said
    assert "The old files are kept in" in said
    assert (demo_path / "codebooks" / "replaced" / "employer-cooperation.yaml").is_file()
    code, text, _ = run(capsys, "check", str(demo_path), "--json")
    assert code == 0 and json.loads(text)["problems"] == []
    code, _, err = run(capsys, "export", "quotes", str(demo_path), "--coder", "ingrid", "--out",
                       str(tmp_path / "quotes.docx"))
    assert code == 0, err


def test_import_codebook_json_reports_what_was_replaced(
    demo_path: Path, tmp_path: Path, capsys
) -> None:
    qdc = tmp_path / "codebook.qdc"
    run(capsys, "refi", "export", str(demo_path), "--codebook", "--out", str(qdc))
    code, text, _ = run(capsys, "refi", "import-codebook", str(demo_path), str(qdc), "--replace",
                        "--json")
    assert code == 0
    report = json.loads(text)
    assert [Path(p).name for p in report["replaced"]] == [
        "interorganisational-distance.yaml", "employer-cooperation.yaml"]
    assert report["codes"] == report["kept_ids"] == 41 and report["added_to_config"] is True
    assert report["unlisted"] == []
