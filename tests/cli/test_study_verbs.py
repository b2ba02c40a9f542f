"""The study verbs as a researcher types them: init, import, check, demo; and their mistakes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_creates_a_study_that_checks_clean_with_a_note_that_it_has_no_transcripts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "init", str(tmp_path / "ny"), "--name", "Min studie")
    assert code == 0
    for name in ("qualcode.yaml", "codebooks", "transcripts", "codings", "informants.csv"):
        assert (tmp_path / "ny" / name).exists()
    code, out, _ = run(capsys, "check", str(tmp_path / "ny"), "--json")
    report = json.loads(out)
    assert report["name"] == "Min studie"
    assert report["problems"] == []
    [note] = report["notes"]
    assert note["kind"] == "no-transcripts"
    assert f"qualcode import {tmp_path / 'ny'} FILE" in note["hint"]
    assert code == 0
    code, out, _ = run(capsys, "check", str(tmp_path / "ny"))
    assert code == 0
    assert "No problems found" in out
    assert "Note: The study has no transcripts yet." in out


def test_init_refuses_a_folder_that_is_already_a_study(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "init", str(tmp_path / "s"))
    code, _, err = run(capsys, "init", str(tmp_path / "s"))
    assert code == 2
    assert "already a qualcode study" in err
    assert "Traceback" not in err


def test_demo_study_checks_clean(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from qualcode.study import Study

    code, out, _ = run(capsys, "check", str(demo_path), "--json")
    report = json.loads(out)
    assert report["problems"] == []
    assert code == 0
    assert report["transcripts"] >= 10
    assert report["words"] / report["transcripts"] > 2500
    study = Study.open(demo_path)
    transcripts = study.transcripts
    english = [t for t in transcripts if t.language == "en"]
    assert len(english) >= 2
    assert all(any(turn.speaker for turn in t.turns) for t in english)
    groups = [t for t in transcripts if t.form == "focus group"]
    assert groups and all(len(t.informants) >= 3 for t in groups)
    coded: dict[str, set[str]] = {}
    for coder in ("ingrid", "jonas"):
        with study.store(coder) as store:
            coded[coder] = set(store.coded_transcripts())
    assert len(coded["ingrid"] & coded["jonas"]) >= 4
    assert {c["coder"] for c in report["coders"]} == {"ingrid", "jonas"}


def test_import_cleans_reports_and_never_touches_the_users_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "init", str(tmp_path / "s"))
    source = tmp_path / "intervju.txt"
    raw = (
        "I: Hvordan er samarbeidet med NAV-\nkontoret?\n\n"
        "A: Vi har en fast kontakt\u00a0person, men arbeids-\ngiverne klager.\n"
    ).encode("cp1252")
    source.write_bytes(raw)
    code, out, _ = run(capsys, "import", str(tmp_path / "s"), str(source), "--json")
    assert code == 0
    [item] = json.loads(out)
    assert item["status"] == "new" and item["encoding"].lower() in ("cp1252", "windows-1252")
    assert source.read_bytes() == raw
    text = (tmp_path / "s" / "transcripts" / "intervju.md").read_text(encoding="utf-8")
    assert "NAV-kontoret" in text
    assert "arbeidsgiverne" in text
    assert "kontakt person" in text
    assert Path(item["report"]).read_text(encoding="utf-8").strip()
    # The researcher fills in the starter front matter; importing again changes nothing.
    assert '"A": {role: "", region: ""}' in text
    edited = text.replace('role: ""', 'role: "Bedriftsleder"')
    (tmp_path / "s" / "transcripts" / "intervju.md").write_text(edited, encoding="utf-8")
    code, out, _ = run(capsys, "import", str(tmp_path / "s"), str(source), "--json")
    assert code == 0
    assert json.loads(out)[0]["status"] == "unchanged"
    assert (tmp_path / "s" / "transcripts" / "intervju.md").read_text(encoding="utf-8") == edited


def test_import_is_all_or_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "init", str(tmp_path / "s"))
    good = tmp_path / "good.txt"
    good.write_text("A: Hei.\n", encoding="utf-8")
    bad = tmp_path / "passord.docx"
    bad.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)
    code, _, err = run(capsys, "import", str(tmp_path / "s"), str(good), str(bad))
    assert code == 2
    assert "passord.docx" in err
    assert "Traceback" not in err
    assert list((tmp_path / "s" / "transcripts").iterdir()) == []


def test_importing_a_changed_file_again_names_the_users_file_and_the_studys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "init", str(tmp_path / "s"))
    source = tmp_path / "src" / "ts.md"
    source.parent.mkdir()
    source.write_text("I: Hei.\n\nA: Hallo.\n", encoding="utf-8")
    run(capsys, "import", str(tmp_path / "s"), str(source))
    source.write_text("I: Hei.\n\nA: Hallo igjen.\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(tmp_path / "s"), str(source))
    assert code == 2
    first, message = " ".join(err.split()).split(" The study", 1)
    assert first == f"Could not import a file: {source}"
    assert str(tmp_path / "s" / "transcripts" / "ts.md") in message
    assert "--replace" in message and "Traceback" not in err


@pytest.mark.parametrize(
    ("setup", "argv", "expected"),
    [
        (None, ["check", "{tmp}/nowhere"], "There is no such folder"),
        (None, ["import", "{tmp}/nowhere", "x.txt"], "There is no such folder"),
        ("study", ["import", "{tmp}/s", "{tmp}/missing.txt"], "does not exist"),
        ("study", ["import", "{tmp}/s", "{tmp}/notes.pdf"], "cannot read `.pdf`"),
        ("study", ["init", "{tmp}/s/codebooks/x", "--codebook", "nosuch"], "ships no codebook"),
    ],
)
def test_user_mistakes_exit_2_with_a_message_and_no_traceback(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    setup: str | None,
    argv: list[str],
    expected: str,
) -> None:
    if setup == "study":
        run(capsys, "init", str(tmp_path / "s"))
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    code, _, err = run(capsys, *[a.format(tmp=tmp_path) for a in argv])
    assert code == 2
    assert expected in err
    assert "What to do" in err


def test_bad_codebook_yaml_is_reported_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "init", str(tmp_path / "s"))
    book = tmp_path / "s" / "codebooks" / "interorganisational-distance.yaml"
    lines = book.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "description:" in line and line.startswith("    "))
    lines[index] = lines[index].replace("description:", "descriptoin:")
    book.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", str(tmp_path / "s"))
    assert code == 1
    column = lines[index].index("descriptoin") + 1
    assert f"line {index + 1}, column {column}: Unknown field `descriptoin`" in out
    assert "Did you mean `description`?" in out


def test_the_installed_command_prints_no_traceback_for_a_user_mistake(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "qualcode", "check", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "There is no such folder" in result.stderr


def test_check_summary_says_when_a_coder_file_was_not_read(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    with sqlite3.connect(demo_path / "codings" / "ingrid.db") as db:
        db.execute("PRAGMA user_version = 99")
    code, out, err = run(capsys, "check", str(demo_path))
    assert code == 1 and err == ""
    [ingrid] = [line for line in out.splitlines() if line.startswith("Coder ingrid")]
    assert "not read (written by a newer qualcode" in ingrid
    assert "codings" not in ingrid


def test_check_of_a_file_explains_that_it_wants_the_study_folder(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    transcript = demo_path / "transcripts" / "nb-01-industri-utkant.md"
    code, _, err = run(capsys, "check", str(transcript))
    assert code == 2
    assert "This is a file, not a folder" in err
    assert "Give the study's folder instead" in err
    assert "There is no such folder" not in err


def test_json_mode_reports_a_mistake_as_a_json_error_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", str(tmp_path / "nowhere"), "--json")
    assert code == 2
    error = json.loads(out)["error"]
    assert error["message"] == "There is no such folder."
    assert error["path"] == str(tmp_path / "nowhere") and error["hint"]
    assert "There is no such folder" in err
    run(capsys, "init", str(tmp_path / "s"))
    code, out, _ = run(capsys, "import", str(tmp_path / "s"), str(tmp_path / "x.pdf"), "--json")
    assert code == 2 and json.loads(out)["error"]["title"] == "Could not import a file"


def test_demo_refuses_a_folder_holding_another_study(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "init", str(tmp_path / "s1"))
    before = sorted(p.name for p in (tmp_path / "s1").rglob("*"))
    code, out, err = run(capsys, "demo", "--no-open", str(tmp_path / "s1"))
    assert code == 2
    assert "another qualcode study, not the demo study" in err
    assert "already" not in out
    assert sorted(p.name for p in (tmp_path / "s1").rglob("*")) == before


def test_demo_reuses_a_folder_that_is_the_demo(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "demo", "--no-open", str(demo_path))
    assert code == 0
    assert "already" in out


@pytest.mark.parametrize("problem", ["newer-coder-file", "unknown-code"])
def test_coder_file_problems_through_the_installed_command(demo_path: Path, problem: str) -> None:
    """Run as a researcher runs it: a separate process, the exit status, no traceback."""
    import sqlite3

    with sqlite3.connect(demo_path / "codings" / "jonas.db") as db:
        if problem == "newer-coder-file":
            db.execute("PRAGMA user_version = 99")
        else:
            db.execute(
                "UPDATE codings SET code = 'distance.geografic' WHERE code = 'distance.geographic'"
            )
    before = (demo_path / "codings" / "jonas.db").read_bytes()
    check = subprocess.run(
        [sys.executable, "-m", "qualcode", "check", str(demo_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 1
    assert "Traceback" not in check.stderr + check.stdout
    shown = " ".join(check.stdout.split())
    if problem == "newer-coder-file":
        assert "written by a newer version of qualcode" in shown
        assert "Upgrade qualcode" in shown
        out = str(demo_path / "quotes.csv")
        export = subprocess.run(
            [sys.executable, "-m", "qualcode", "export", "quotes", str(demo_path)]
            + ["--coder", "jonas", "--out", out],
            capture_output=True,
            text=True,
            check=False,
        )
        assert export.returncode == 2
        assert "Traceback" not in export.stderr
        assert "newer version of qualcode" in " ".join(export.stderr.split())
    else:
        assert "use the code id `distance.geografic`, which no codebook has" in shown
        assert "Did you mean `distance.geographic`" in shown
    assert (demo_path / "codings" / "jonas.db").read_bytes() == before


def test_check_summary_counts_in_good_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "init", str(tmp_path / "s"))
    (tmp_path / "s" / "transcripts" / "t1.md").write_text(
        "---\ninformants: {A: {role: Leder}}\n---\nI: Hei.\n\nA: Hallo.\n", encoding="utf-8"
    )
    code, out, _ = run(capsys, "check", str(tmp_path / "s"))
    assert code == 0
    [line] = [line for line in out.splitlines() if line.startswith("Transcripts")]
    assert line.split(None, 1)[1].rstrip() == "1 (4 words, 1 informant)"


def test_check_summary_names_the_folder_only_when_it_adds_something(
    demo_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(demo_path.parent)
    code, out, _ = run(capsys, "check", "demo")
    assert code == 0
    [study] = [line.rstrip() for line in out.splitlines() if line.startswith("Study")]
    assert study.endswith("samarbeid om inkludering (demo)")
    assert "Folder" not in out
    code, out, _ = run(capsys, "check", str(demo_path))
    assert out.splitlines()[1].startswith("Folder")
    assert f"Folder{demo_path}" in "".join(out.split())  # the whole path, however long


def test_names_and_paths_with_brackets_are_printed_as_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def shows(out: str, *lines: object) -> bool:
        said = "".join(out.split())  # the terminal may wrap a long path
        return all("".join(str(line).split()) in said for line in lines)

    (tmp_path / "a[").mkdir()
    study = tmp_path / "a[" / "b] [bold]"
    code, out, err = run(capsys, "init", str(study), "--name", "Studie [pilot]")
    assert code == 0, err
    assert shows(out, f"Created the study {study}", f"qualcode open {study}.")
    source = tmp_path / "fil [x].txt"
    source.write_text("I: Hei.\n\nA: Hallo.\n", encoding="utf-8")
    code, out, err = run(capsys, "import", str(study), str(source))
    assert code == 0, err
    assert "Imported into Studie [pilot]" in out and "fil [x].txt" in out
    assert shows(out, f"listed in {study / 'import-reports'}.", f"qualcode check {study}.")
    code, out, err = run(capsys, "demo", "--no-open", str(tmp_path / "demo [v2]"))
    assert code == 0, err
    assert shows(out, f"qualcode open {tmp_path / 'demo [v2]'}.")
