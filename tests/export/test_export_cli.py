"""`qualcode export quotes` and `qualcode matrix` as typed, and every mistake ending in exit 2."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import docx
import pytest

from qualcode.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_export_quotes_to_each_format(coded, tmp_path: Path, capsys) -> None:
    for name in ("q.docx", "q.csv", "q.xlsx"):
        code, out, err = run(capsys, "export", "quotes", coded.root, "--out", tmp_path / name)
        assert code == 0, err
        assert "Wrote 7 quotes" in out.replace("\n", " ")
        assert (tmp_path / name).stat().st_size > 0
    assert leftovers(tmp_path) == []


def test_export_options_reach_the_sheet(coded, tmp_path: Path, capsys) -> None:
    out = tmp_path / "utvalg.csv"
    code, _, err = run(
        capsys,
        "export",
        "quotes",
        coded.root,
        "--out",
        out,
        "--codes",
        "distance,motivation",
        "--where",
        "role=Bedriftsleder",
        "--where",
        "role=NAV-veileder",
        "--transcripts",
        "nb-*",
        "--min-words",
        "5",
        "--coder",
        "consensus",
        "--json",
    )
    assert code == 0, err
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["role"] for r in rows} == {"Bedriftsleder", "NAV-veileder"}
    assert {r["code_id"] for r in rows} <= {
        "distance.organisational",
        "distance.geographic",
        "distance.structural",
    }


def test_json_summary(coded, tmp_path: Path, capsys) -> None:
    code, out, _ = run(
        capsys,
        "export",
        "quotes",
        coded.root,
        "--out",
        tmp_path / "q.docx",
        "--json",
        "--group-by",
        "role,code",
        "--context",
        "2",
        "--memos",
    )
    assert code == 0
    summary = json.loads(out)
    assert summary["quotes"] == 7 and summary["informants"] == 4
    assert summary["coders"] == ["consensus"] and summary["format"] == "Word document"
    headings = [
        p.text
        for p in docx.Document(str(tmp_path / "q.docx")).paragraphs
        if p.style.name == "Heading 1"
    ]
    assert headings[0] == "Bedriftsleder"


def test_export_without_a_format_shows_help(capsys) -> None:
    code, out, _ = run(capsys, "export")
    assert code == 2
    assert "quotes" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--codes", "distance.geografic"], "distance.geographic"),
        (["--where", "sector=privat"], "organisation_type"),
        (["--group-by", "code,rolle"], "Did you mean `role`"),
        (["--where", "role"], "KEY=VALUE"),
        (["--coder", "ingird"], "Known coders"),
        (["--transcripts", "nb-99"], "No transcript matches"),
    ],
)
def test_bad_options_exit_2_with_a_hint(coded, tmp_path, capsys, argv, expected) -> None:
    out = tmp_path / "q.docx"
    code, _, err = run(capsys, "export", "quotes", coded.root, "--out", out, *argv)
    assert code == 2
    assert expected in " ".join(err.split()) or expected in err
    assert "Traceback" not in err
    assert not out.exists() and leftovers(tmp_path) == []


def test_unsupported_extension(coded, tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "export", "quotes", coded.root, "--out", tmp_path / "q.pdf")
    assert code == 2
    assert ".docx" in err and ".xlsx" in err


def test_missing_output_folder(coded, tmp_path: Path, capsys) -> None:
    out = tmp_path / "ikke-her" / "q.docx"
    code, _, err = run(capsys, "export", "quotes", coded.root, "--out", out)
    assert code == 2
    assert "does not exist" in err
    assert not out.parent.exists()


@pytest.mark.parametrize("lock", ["~$sitater.docx", "~$itater.docx", ".~lock.sitater.docx#"])
def test_a_document_open_in_word_is_left_alone(coded, tmp_path, capsys, lock) -> None:
    out = tmp_path / "sitater.docx"
    out.write_bytes(b"the author's own edits")
    (tmp_path / lock).write_bytes(b"")
    code, _, err = run(capsys, "export", "quotes", coded.root, "--out", out)
    assert code == 2
    assert "open in another program" in err
    assert out.read_bytes() == b"the author's own edits"


def test_a_locked_file_is_not_replaced(coded, tmp_path, capsys, monkeypatch) -> None:
    out = tmp_path / "sitater.xlsx"
    out.write_bytes(b"old")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    code, _, err = run(capsys, "export", "quotes", coded.root, "--out", out)
    assert code == 2
    assert "open in another program" in err
    assert out.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_a_failure_while_writing_leaves_no_half_file(coded, tmp_path, capsys, monkeypatch) -> None:
    from qualcode.export import word

    def broken(selection, path, progress=None):
        Path(path).write_bytes(b"half a document")
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(word, "write_docx", broken)
    out = tmp_path / "q.docx"
    code, _, err = run(capsys, "export", "quotes", coded.root, "--out", out)
    assert code == 2
    assert "could not be written" in err
    assert not out.exists() and leftovers(tmp_path) == []


def test_several_coders_without_consensus_asks_which(bare, code_passages, tmp_path, capsys):
    from qualcode.study import Study

    study = Study.open(bare)
    code_passages(study, "ingrid")
    code_passages(study, "jonas")
    code, _, err = run(capsys, "export", "quotes", bare, "--out", tmp_path / "q.docx")
    assert code == 2
    assert "ingrid, jonas" in err
    code, _, err = run(
        capsys, "export", "quotes", bare, "--out", tmp_path / "q.docx", "--coders", "ingrid,jonas"
    )
    assert code == 0, err


# -- matrix ------------------------------------------------------------------------------------


def test_matrix_prints_a_table(coded, capsys) -> None:
    code, out, _ = run(capsys, "matrix", coded.root, "--depth", "1")
    assert code == 0
    assert "Distanse" in out and "total" in out


def test_matrix_json(coded, capsys) -> None:
    code, out, _ = run(
        capsys, "matrix", coded.root, "--cols", "region", "--count", "informants", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["columns"] == "region" and data["count"] == "informants"
    assert "Innlandet" in data["column_values"]
    assert "Nordland" in data["column_values"]  # no quotes, but an informant from there
    assert data["total"] == 4


def test_matrix_csv_file(coded, tmp_path: Path, capsys) -> None:
    out = tmp_path / "matrise.csv"
    code, _, err = run(capsys, "matrix", coded.root, "--cols", "transcript", "--csv", out)
    assert code == 0, err
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "code_id" and "nb-01-industri-utkant" in rows[0]
    assert rows[-1][-1] == "7"


def test_matrix_unknown_column(coded, capsys) -> None:
    code, _, err = run(capsys, "matrix", coded.root, "--cols", "rolle")
    assert code == 2
    assert "role" in err


def test_a_new_file_gets_ordinary_permissions_and_a_replaced_one_keeps_its_own(
    coded, tmp_path: Path, capsys
) -> None:
    umask = os.umask(0o022)
    try:
        new = tmp_path / "ny.csv"
        assert run(capsys, "export", "quotes", coded.root, "--out", new)[0] == 0
        assert new.stat().st_mode & 0o777 == 0o644
        old = tmp_path / "gammel.csv"
        old.write_text("x")
        old.chmod(0o640)
        assert run(capsys, "export", "quotes", coded.root, "--out", old)[0] == 0
        assert old.stat().st_mode & 0o777 == 0o640 and old.read_text() != "x"
    finally:
        os.umask(umask)


def test_a_folder_without_write_permission(coded, tmp_path: Path, capsys, monkeypatch) -> None:
    real_open = os.open

    def refuse(path, flags, mode=0o777, **kwargs):
        if flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    code, _, err = run(capsys, "export", "quotes", coded.root, "--out", tmp_path / "q.docx")
    assert code == 2
    assert "may not write in this folder" in err
    assert not (tmp_path / "q.docx").exists()


# -- the study's own files and files that may not be replaced ---------------------------------

STUDY_FILES = [
    "informants.csv",
    "informants.xlsx",
    "qualcode.yaml",
    "transcripts/nb-01-industri-utkant.csv",
    "codings/ingrid.xlsx",
    "codebooks/sitater.docx",
    "import-reports/sitater.csv",
    ".qualcode/sitater.csv",
]


@pytest.mark.parametrize("name", STUDY_FILES)
def test_an_export_never_replaces_a_study_file(coded_copy, capsys, name) -> None:
    root = coded_copy.root
    target = root / name
    target.parent.mkdir(exist_ok=True)
    before = target.read_bytes() if target.exists() else None
    code, _, err = run(capsys, "export", "quotes", root, "--out", target, "--coder", "consensus")
    message = " ".join(err.split())
    assert code == 2, message
    assert "qualcode will not write an export over it" in message
    assert (target.read_bytes() if target.exists() else None) == before
    assert not [p for p in target.parent.iterdir() if p.name.startswith(f".{target.stem}.")]


@pytest.mark.parametrize("name", ["informants.csv", "codings/tabell.csv", "qualcode.yaml"])
def test_the_matrix_never_replaces_a_study_file(coded_copy, capsys, name) -> None:
    target = coded_copy.root / name
    before = target.read_bytes() if target.exists() else None
    code, _, err = run(capsys, "matrix", coded_copy.root, "--csv", target)
    assert code == 2
    assert "Traceback" not in err
    assert (target.read_bytes() if target.exists() else None) == before


def test_a_study_file_is_named_for_what_it_is(coded_copy, capsys) -> None:
    out = coded_copy.root / "informants.csv"
    code, _, err = run(capsys, "export", "quotes", coded_copy.root, "--out", out)
    message = " ".join(err.split())
    assert code == 2
    assert "the study's informant table" in message
    code, _, err = run(
        capsys, "matrix", coded_copy.root, "--csv", coded_copy.root / "codings/m.csv"
    )
    message = " ".join(err.split())
    assert "`codings` folder" in message and "--csv" in message and "matrix.csv" in message


@pytest.mark.parametrize("argv", [["export", "quotes"], ["matrix"]])
def test_a_read_only_file_is_left_alone(coded, tmp_path, capsys, argv) -> None:
    out = tmp_path / "sitater.csv"
    out.write_text("the lead's own notes", encoding="utf-8")
    out.chmod(0o444)
    # An administrator may write any file; the file is still read-only to its owner.
    assert not out.stat().st_mode & 0o222
    option = "--out" if argv[0] == "export" else "--csv"
    code, _, err = run(capsys, *argv, coded.root, option, out)
    message = " ".join(err.split())
    assert code == 2
    assert "read-only" in message and "chmod u+w" in message
    assert out.read_text(encoding="utf-8") == "the lead's own notes"
    assert leftovers(tmp_path) == []


def test_an_existing_folder_is_called_a_folder(coded, tmp_path, capsys) -> None:
    code, _, err = run(capsys, "export", "quotes", coded.root, "--out", tmp_path)
    message = " ".join(err.split())
    assert code == 2
    assert "That is a folder" in message and str(tmp_path / "quotes.docx") in message


def test_an_empty_group_by_is_refused(coded, tmp_path, capsys) -> None:
    out = tmp_path / "q.docx"
    for value in ("", ","):
        code, _, err = run(
            capsys, "export", "quotes", coded.root, "--out", out, "--group-by", value
        )
        assert code == 2
        assert "without any keys" in " ".join(err.split())
        assert not out.exists()


def test_counts_of_one_are_singular(coded, tmp_path, capsys) -> None:
    out = tmp_path / "en.csv"
    argv = ["--out", out, "--codes", "distance.organisational"]
    code, printed, _ = run(capsys, "export", "quotes", coded.root, *argv)
    assert code == 0
    assert "Wrote 1 quote (1 code, 1 informant;" in " ".join(printed.split())


def test_paths_with_brackets_are_printed_as_they_are(coded, tmp_path, capsys) -> None:
    folder = tmp_path / "utkast [v2]"
    folder.mkdir()
    for argv in (["export", "quotes", coded.root, "--out", folder / "q [bold].csv"],
                 ["matrix", coded.root, "--csv", folder / "m [dim].csv"]):
        code, printed, err = run(capsys, *argv)
        assert code == 0, err
        assert "".join(f"to {argv[-1]}".split()) in "".join(printed.split())


def test_an_unknown_code_names_the_codebook_of_the_nearest(coded, tmp_path, capsys) -> None:
    code, _, err = run(
        capsys, "export", "quotes", coded.root, "--out", tmp_path / "q.docx", "--codes", "motivaton"
    )
    message = "".join(err.split())
    assert code == 2
    assert "employer-cooperation.yaml" in message
    assert "interorganisational-distance.yaml" not in message


# -- matrix options -----------------------------------------------------------------------------


def test_matrix_cols_code_is_refused(coded, capsys) -> None:
    code, _, err = run(capsys, "matrix", coded.root, "--cols", "code")
    message = " ".join(err.split())
    assert code == 2
    assert "rows of the table are codes already" in message and "--cols role" in message


def test_matrix_cols_is_checked_as_cols(coded, capsys) -> None:
    code, _, err = run(capsys, "matrix", coded.root, "--cols", "rolle")
    message = " ".join(err.split())
    assert code == 2
    assert "(in --cols)" in message and "Did you mean `role`" in message
    assert "--group-by" not in message and "Known: code" not in message and " code," not in message


def test_matrix_csv_must_be_named_csv(coded, tmp_path, capsys) -> None:
    out = tmp_path / "m.xlsx"
    code, _, err = run(capsys, "matrix", coded.root, "--csv", out)
    message = " ".join(err.split())
    assert code == 2
    assert "`.csv`" in message and "--csv matrix.csv" in message
    assert not out.exists()
    code, _, err = run(capsys, "matrix", coded.root, "--csv", tmp_path)
    message = " ".join(err.split())
    assert code == 2
    assert "That is a folder" in message and f"--csv {tmp_path / 'matrix.csv'}" in message
    assert "quotes.docx" not in message


# -- matrix in a terminal -----------------------------------------------------------------------


def matrix_on_screen(monkeypatch, width: int, *argv) -> list[str]:
    """The lines `qualcode matrix` prints on a terminal `width` characters wide."""
    from rich.console import Console

    from qualcode.cli import export_verbs

    screen = Console(file=io.StringIO(), width=width, highlight=False)
    monkeypatch.setattr(export_verbs, "console", screen)
    assert main(["matrix", *map(str, argv)]) == 0
    return screen.file.getvalue().splitlines()


def numbers(line: str) -> list[int]:
    return [int(cell) for cell in line.replace("│", " ").split()[1:] if cell.isdigit()]


@pytest.mark.parametrize("width", [80, 50])
def test_matrix_of_many_roles_keeps_every_number_and_name_readable(
    coded, capsys, monkeypatch, width
) -> None:
    argv = [coded.root, "--coder", "ingrid", "--cols", "role"]
    _code, out, _ = run(capsys, "matrix", *argv, "--json")
    data = json.loads(out)
    lines = matrix_on_screen(monkeypatch, width, *argv)
    assert max(len(line) for line in lines) <= width
    assert not [line for line in lines if "…" in line]
    footers = [n for line in lines if line.startswith("│ total") for n in numbers(line)]
    assert footers == [*data["column_totals"].values(), data["total"]]
    geographic = next(r for r in data["table"] if r["code"] == "distance.geographic")
    shown = [n for line in lines if line.startswith("│   Geografisk") for n in numbers(line)]
    assert shown == [n for n in [*geographic["cells"].values(), geographic["total"]] if n]
    key_starts = next(i for i, line in enumerate(lines) if line.startswith("Columns (role):"))
    key = " ".join(" ".join(lines[key_starts:]).split())
    for i, role in enumerate(data["column_values"], 1):
        assert f"{i} {role or '(none)'}" in key
    words = set(" ".join(lines).replace("│", " ").split())
    for row in data["table"]:  # labels may wrap, but no word of them is cut
        assert set(row["label"].split()) <= words, row["label"]
