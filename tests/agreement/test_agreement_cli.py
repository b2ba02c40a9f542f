"""The agreement verbs as a lead types them, and the mistakes they explain without a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from agreement_study import CODINGS, GEO, make_study

from qualcode.cli.main import main


def said(text: str) -> str:
    """What was printed, with line wrapping and panel borders undone."""
    return " ".join(text.replace("│", " ").split())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run a verb; what it printed, as printed, and its errors as read (see `said`)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, said(err)


def test_all_three_levels_by_default_with_the_base_and_the_reading(tiny, capsys) -> None:
    code, out, err = run(capsys, "agreement", tiny.root, "--coders", "ingrid,jonas")
    assert code == 0, err
    for title in ("Character level", "Segment level", "Span level"):
        assert title in out
    assert "paragraphs" in out and "all codes" in out
    assert "`t3` was coded by ingrid but not by jonas" in said(out)
    assert "Landis & Koch" in out and "0.667" in out


def test_json_has_every_statistic_with_its_units(tiny, capsys) -> None:
    code, out, _ = run(
        capsys,
        "agreement",
        tiny.root,
        "--coders",
        "ingrid,jonas",
        "--level",
        "segment",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["coders"] == ["ingrid", "jonas"]
    assert [t["id"] for t in data["transcripts"]] == ["t1", "t2"]
    assert data["left_out"] == [{"transcript": "t3", "coded_by": ["ingrid"]}]
    segment = data["levels"]["segment"]
    assert list(data["levels"]) == ["segment"]
    geo = next(c for c in segment["codes"] if c["code"] == GEO)
    assert geo["statistics"]["cohen"] == {
        "name": "Cohen's kappa",
        "value": pytest.approx(1.0),
        "units": 5,
        "note": None,
    }
    assert set(geo["statistics"]) == {"percent", "cohen", "scott", "fleiss", "alpha", "ac1", "bp"}
    # Lowest agreement first.
    values = [c["statistics"]["alpha"]["value"] for c in segment["codes"]]
    assert values == sorted(values)


def test_csv_has_a_row_per_level_code_and_transcript(tiny, capsys, tmp_path: Path) -> None:
    target = tmp_path / "figures.csv"
    code, out, _ = run(capsys, "agreement", tiny.root, "--csv", target, "--unit", "sentence")
    assert code == 0 and "figures.csv" in said(out).replace(" ", "")
    raw = target.read_bytes()
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header[:6] == ["level", "unit", "code", "label", "transcript", "units"]
    assert "cohen_kappa" in header and "unitizing_alpha" in header
    assert any(line.startswith(f"character,character,{GEO},") and ",t1," in line for line in lines)
    assert any(line.startswith("segment,sentence,*,") for line in lines)


def test_word_report_uses_real_heading_styles(tiny, capsys, tmp_path: Path) -> None:
    from docx import Document

    target = tmp_path / "agreement.docx"
    code, _, err = run(
        capsys,
        "agreement",
        tiny.root,
        "--coders",
        "ingrid,jonas",
        "--report",
        target,
        "--group",
        "distance",
    )
    assert code == 0, err
    doc = Document(str(target))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Coders and material" in headings and "Method" in headings
    assert any(h.startswith("Segment level") for h in headings)
    assert len(doc.tables) == 4
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "ingrid and jonas" in text
    assert "missing data" in text and "merged" in text


def test_markdown_report(tiny, capsys, tmp_path: Path) -> None:
    target = tmp_path / "agreement.md"
    code, _, _ = run(capsys, "agreement", tiny.root, "--level", "span", "--report", target)
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert "## Span level (unitizing alpha)" in text and "## Method" in text
    assert "| code | stretches | uα | reading |" in text


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--coders", "ingrid,kari"], "Known coders: ingrid, jonas"),
        (["--coders", "ingrid"], "at least two coders"),
        (["--coders", "ingrid,ingrid"], "named twice"),
        (["--level", "nominal"], "level of measurement"),
        (["--level", "words"], "Unknown level"),
        (["--codes", "distance.geografic"], "distance.geographic"),
        (["--depth", "0"], "--depth must be 1 or more"),
        (["--transcripts", "nb-*"], "No transcript matches"),
        (["--transcripts", "t3"], "No transcript was coded by all"),
        (["--report", "out.txt"], ".md or .docx"),
        (["--group", "distance.geographic"], "no codes below it"),
        (["--metric", "alpha"], "go with --data"),
    ],
)
def test_mistakes_are_explained_with_exit_2(tiny, capsys, argv, words) -> None:
    code, _, err = run(capsys, "agreement", tiny.root, *argv)
    assert code == 2
    assert words in err
    assert "Traceback" not in err


def test_a_coder_without_codings_is_named(tiny, capsys) -> None:
    tiny.store("kari", create=True).close()
    code, _, err = run(capsys, "agreement", tiny.root, "--coders", "ingrid,kari")
    assert code == 2
    assert "`kari` has no codings yet" in err


def test_reliability_table_from_any_source(tmp_path: Path, capsys) -> None:
    table = tmp_path / "table.csv"
    table.write_text("unit,a,b\n1,x,x\n2,y,y\n3,x,y\n4,y,\n", encoding="utf-8")
    code, out, _ = run(capsys, "agreement", "--data", table, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["units"] == 4 and data["missing"] == 1 and data["level"] == "nominal"
    names = [s["name"] for s in data["statistics"]]
    assert names[:2] == ["Percent agreement", "Cohen's kappa"]
    assert data["statistics"][0]["units"] == 3
    code, out, _ = run(capsys, "agreement", "--data", table, "--metric", "alpha")
    assert code == 0 and "Krippendorff's alpha (nominal)" in out


def test_a_malformed_reliability_table_names_row_and_column(tmp_path: Path, capsys) -> None:
    table = tmp_path / "table.csv"
    table.write_text("unit,a,b\n1,1,2\n2,3,4,5\n", encoding="utf-8")
    code, _, err = run(capsys, "agreement", "--data", table)
    assert code == 2
    assert "table.csv:3:4" in err.replace(" ", "") and "Row 3" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "agreement", "--data", table, "--coders", "a,b")
    assert code == 2 and "applies to a study" in err


def test_disagreements_consensus_and_settle_from_the_command_line(tiny, capsys) -> None:
    root = tiny.root
    code, out, _ = run(capsys, "disagreements", root, "--coders", "ingrid,jonas")
    assert code == 0
    assert "#1" in out and "boundaries differ" in out and "one coder only" in out
    assert "a = ingrid, b = jonas" in out

    code, out, _ = run(capsys, "consensus", root, "--coders", "ingrid,jonas", "--json")
    assert code == 0
    summary = json.loads(out)
    assert (summary["agreed"], summary["settled"], summary["open"]) == (1, 0, 3)

    code, out, _ = run(
        capsys, "settle", root, "--id", "1", "--take", "a", "--memo", "Hele grunnen."
    )
    assert code == 0 and "Settled #1" in out
    code, out, _ = run(capsys, "disagreements", root, "--json")
    listed = json.loads(out)
    assert listed[0]["settled"]["decision"] == "ingrid"
    assert listed[0]["settled"]["memo"] == "Hele grunnen."
    code, out, _ = run(capsys, "disagreements", root, "--open", "--json")
    assert [d["id"] for d in json.loads(out)] == [2, 3]

    code, _, err = run(capsys, "settle", root, "--id", "9", "--take", "a")
    assert code == 2 and "numbered 1 to 3" in err
    code, _, err = run(capsys, "settle", root, "--id", "2", "--take", "c")
    assert code == 2 and "not a decision" in err
    code, out, _ = run(capsys, "settle", root, "--id", "1", "--reopen")
    assert code == 0 and "Reopened #1" in out


def test_demo_study_ingrid_and_jonas(demo_path: Path, capsys, tmp_path: Path) -> None:
    from qualcode.study import Study

    study = Study.open(demo_path)
    if not {"ingrid", "jonas"} <= set(study.coders()):
        pytest.skip("the demo study has no codings by both ingrid and jonas yet")
    code, out, err = run(
        capsys,
        "agreement",
        demo_path,
        "--coders",
        "ingrid,jonas",
        "--json",
        "--group",
        "distance",
        "--report",
        tmp_path / "demo.docx",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["transcripts"]
    for level in ("character", "segment", "span"):
        overall = data["levels"][level]["overall"]
        value = next(iter(s["value"] for s in overall["statistics"].values()))
        assert value is None or -1.0 <= value <= 1.0
    assert (tmp_path / "demo.docx").exists()


def test_three_coders_from_the_command_line(tmp_path: Path, capsys) -> None:
    study = make_study(
        tmp_path / "s", {**CODINGS, "kari": [("t1", 0, 20, GEO), ("t2", 0, 30, GEO)]}
    )
    code, out, _ = run(capsys, "agreement", study.root, "--level", "segment")
    assert code == 0 and "Fleiss' κ" in out
