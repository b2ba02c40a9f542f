"""The agreement verbs as a lead types them, and the mistakes they explain without a traceback."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from agreement_study import CODINGS, GEO, ORG, STR, make_study
from rich.console import Console
from sklearn.metrics import cohen_kappa_score

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
    listed = json.loads(out)["disagreements"]
    assert listed[0]["settled"]["decision"] == "ingrid"
    assert listed[0]["settled"]["memo"] == "Hele grunnen."
    code, out, _ = run(capsys, "disagreements", root, "--open", "--json")
    assert [d["id"] for d in json.loads(out)["disagreements"]] == [2, 3]

    code, _, err = run(capsys, "settle", root, "--id", "9", "--take", "a")
    assert code == 2 and "numbered 1 to 3" in err
    code, _, err = run(capsys, "settle", root, "--id", "2", "--take", "c")
    assert code == 2 and "not a decision" in err
    code, out, _ = run(capsys, "settle", root, "--id", "1", "--reopen")
    assert code == 0 and "Reopened #1" in out


def coverage(study, coder: str, transcript: str, code: str) -> np.ndarray:
    """Which characters of a transcript a coder coded with a code, one by one."""
    marked = np.zeros(len(study.transcript(transcript).text), dtype=bool)
    with study.store(coder) as store:
        for coding in store.codings(transcript=transcript):
            if coding.code == code:
                marked[coding.start : coding.end] = True
    return marked


def test_demo_study_figures_match_a_character_by_character_count(
    demo_path: Path, capsys, tmp_path: Path
) -> None:
    from qualcode.study import Study

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
    assert data["left_out"] == [
        {"transcript": "en-02-participant-english", "coded_by": ["jonas"]},
        {"transcript": "nb-09-arbeidslivscoach-utkant", "coded_by": ["ingrid"]},
    ]
    study = Study.open(demo_path)
    compared = [t["id"] for t in data["transcripts"]]
    geo = next(c for c in data["levels"]["character"]["codes"] if c["code"] == GEO)
    kappas, weights = [], []
    for part in geo["transcripts"]:
        ingrid = coverage(study, "ingrid", part["transcript"], GEO)
        jonas = coverage(study, "jonas", part["transcript"], GEO)
        assert part["characters"] == ingrid.size
        assert part["coded"] == {"ingrid": int(ingrid.sum()), "jonas": int(jonas.sum())}
        assert part["percent"]["value"] == pytest.approx(float(np.mean(ingrid == jonas)))
        kappa = cohen_kappa_score(ingrid, jonas)
        assert part["kappa"]["value"] == pytest.approx(kappa, abs=1e-9)
        kappas.append(kappa)
        weights.append(ingrid.size)
    assert [p["transcript"] for p in geo["transcripts"]] == compared
    mean = geo["statistics"]["cohen"]
    assert mean["value"] == pytest.approx(np.average(kappas, weights=weights), abs=1e-9)
    assert mean["units"] == sum(weights) == geo["kappa_base"]["characters"]
    # Pooled over all compared transcripts: the krippendorff package on every character.
    pooled = np.array(
        [
            np.concatenate([coverage(study, c, t, GEO) for t in compared])
            for c in ("ingrid", "jonas")
        ]
    ).astype(float)
    assert geo["units"] == pooled.shape[1]
    assert geo["statistics"]["alpha"]["value"] == pytest.approx(
        krippendorff.alpha(reliability_data=pooled, level_of_measurement="nominal"), abs=1e-9
    )
    assert (tmp_path / "demo.docx").stat().st_size > 0


def test_three_coders_from_the_command_line(tmp_path: Path, capsys) -> None:
    study = make_study(
        tmp_path / "s", {**CODINGS, "kari": [("t1", 0, 20, GEO), ("t2", 0, 30, GEO)]}
    )
    code, out, _ = run(capsys, "agreement", study.root, "--level", "segment")
    assert code == 0 and "κ: Fleiss' kappa" in said(out)
    assert "Agreement between ingrid, jonas and kari" in said(out)


def printed(result, width: int, **options) -> str:
    """What `qualcode agreement` prints for a result in a terminal of this width."""
    from qualcode.cli.agreement_verbs import print_agreement

    screen = io.StringIO()
    print_agreement(result, out=Console(file=screen, width=width), **options)
    return screen.getvalue()


def shown_whole(number: str, text: str) -> bool:
    """Whether a figure appears in the text with no digit cut off either side."""
    number, text = number.replace("\u00a0", " "), text.replace("\u00a0", " ")
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text) is not None


def figures_shown(result, keys: tuple[str, ...]) -> list[str]:
    from qualcode.agreement.columns import figure_columns

    found = []
    for level in result.levels.values():
        columns = [c for c in figure_columns(level, len(result.coders)) if c.key in keys]
        for f in [*level.codes, *([level.overall] if level.overall else [])]:
            found += [c.cell(f) for c in columns]
    return found


@pytest.mark.parametrize("width", [80, 60, 40])
def test_every_number_appears_whole_in_a_narrow_terminal(demo_study, width: int) -> None:
    from qualcode.agreement.compare import compare

    result = compare(demo_study, ["ingrid", "jonas"], groups=["distance"])
    text = printed(result, width)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    main = ("units", "percent", "kappa", "kappa_base", "alpha", "ualpha")
    for number in figures_shown(result, main):
        assert shown_whole(number, text), number
    # The lesser coefficients are left out for room, and the table says so.
    assert "Left out at this width" in " ".join(text.split())
    text = printed(result, width, all_statistics=True)
    for number in figures_shown(result, ("scott", "ac1", "bp")):
        assert shown_whole(number, text), number


def test_a_wide_terminal_shows_every_coefficient_with_a_legend(demo_study) -> None:
    from qualcode.agreement.compare import compare

    result = compare(demo_study, ["ingrid", "jonas"], levels=["segment"])
    text = " ".join(printed(result, 160).split())
    assert "Left out at this width" not in text
    for legend in ("π: Scott's pi", "AC1: Gwet's AC1", "BP: Brennan–Prediger", "α: Krippendorff"):
        assert legend in text
    for number in figures_shown(result, ("scott", "ac1", "bp")):
        assert shown_whole(number, text), number


def test_character_kappa_is_shown_with_the_characters_and_transcripts_it_rests_on(
    demo_study,
) -> None:
    from qualcode.agreement.compare import compare

    code = "measure-content.work-trial.ordinary"
    result = compare(demo_study, ["ingrid", "jonas"], levels=["character"], codes=[code])
    [row] = result.levels["character"].codes
    base = row.kappa_base
    assert (base.defined, base.compared, base.unused) == (1, 5, 4)
    assert row.statistics["cohen"].units == base.characters < row.units
    text = printed(result, 80)
    assert f"{base.characters:,}".replace(",", "\u00a0") + " in 1/5" in text
    assert "NVivo reports kappa 1" in " ".join(text.split())


def test_per_transcript_figures_in_the_terminal_and_the_report(
    tiny, capsys, tmp_path: Path
) -> None:
    target = tmp_path / "agreement.md"
    code, out, err = run(capsys, "agreement", tiny.root, "--per-transcript", "--report", target)
    assert code == 0, err
    assert "Character level per transcript" in out
    report = target.read_text(encoding="utf-8")
    assert "## Character level per transcript" in report
    assert "| code | transcript | chars | ingrid | jonas | % | κ | reading |" in report
    # Ingrid coded 20 characters of t1 with geographic, Jonas 10; kappa 880/1520.
    assert f"| {GEO} | t1 | 64 | 20 | 10 | 84.4 | 0.579 | moderate |" in report
    assert "| π | AC1 | BP |" in report  # the report always has every coefficient
    code, _, err = run(capsys, "agreement", tiny.root, "--level", "segment", "--per-transcript")
    assert code == 2 and "character level" in err


def test_a_code_nobody_used_says_so_at_every_level(tiny, capsys, tmp_path: Path) -> None:
    target = tmp_path / "agreement.md"
    code, out, _ = run(capsys, "agreement", tiny.root, "--codes", ORG, "--report", target)
    assert code == 0
    text = said(out)
    assert text.count("undefined: nobody used it") >= 3  # the reading at each level
    assert "nobody used this code, so there is nothing to agree on" in text
    assert "no variation" not in text
    assert "nobody used this code" in target.read_text(encoding="utf-8")


def test_disagreements_name_the_transcripts_left_out(tiny, capsys) -> None:
    code, out, _ = run(capsys, "disagreements", tiny.root, "--coders", "ingrid,jonas")
    assert code == 0
    assert "`t3` was coded by ingrid but not by jonas; it is left out" in said(out)
    assert "3 disagreements in 2 transcripts" in said(out)
    code, out, _ = run(capsys, "disagreements", tiny.root, "--json", "--code", STR)
    data = json.loads(out)
    assert data["transcripts"] == ["t1", "t2"]
    assert data["left_out"] == [{"transcript": "t3", "coded_by": ["ingrid"]}]
    assert [d["id"] for d in data["disagreements"]] == [3]


@pytest.mark.parametrize(
    ("outputs", "words"),
    [
        (["--report", "side.md", "--csv", "bad.txt"], "ending in .csv"),
        (["--csv", "figures.csv", "--report", "bad.txt"], ".md or .docx"),
        (["--csv", "figures.csv", "--report", "missing/side.md"], "does not exist"),
        (["--report", "side.md", "--csv", "missing/figures.csv"], "does not exist"),
    ],
)
def test_a_failing_command_writes_no_file_at_all(
    tiny, capsys, tmp_path: Path, monkeypatch, outputs, words
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "agreement", tiny.root, *outputs)
    assert code == 2 and words in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny"]


def test_a_reliability_table_with_an_unclosed_quotation_mark_is_refused(
    tmp_path: Path, capsys
) -> None:
    table = tmp_path / "m9.csv"
    table.write_text('unit,a,b\n1,"x\n2,y,z\n', encoding="utf-8")
    code, _, err = run(capsys, "agreement", "--data", table)
    assert code == 2
    assert "m9.csv:2:2" in err.replace(" ", "") and "quotation mark" in err
    table.write_text("unit,a,b\n1,2,3\n2,-1,4\n", encoding="utf-8")
    code, _, err = run(capsys, "agreement", "--data", table, "--level", "ratio")
    assert code == 2 and "m9.csv:3:2" in err.replace(" ", "") and "below zero" in err


def test_consensus_names_its_coders_in_a_sentence_and_lists_the_known_ones(
    tmp_path: Path, capsys
) -> None:
    study = make_study(
        tmp_path / "s", {**CODINGS, "kari": [("t1", 0, 20, GEO), ("t2", 0, 30, GEO)]}
    )
    root = study.root
    code, out, _ = run(capsys, "consensus", root, "--coders", "ingrid,jonas,kari")
    assert code == 0 and "Consensus of ingrid, jonas and kari" in out
    code, _, err = run(capsys, "consensus", root, "--coders", "ingrid,nora")
    assert code == 2 and "Known coders: ingrid, jonas, kari." in err


def test_consensus_says_which_decisions_went_stale_and_what_changed(tiny, capsys) -> None:
    root = tiny.root
    run(capsys, "consensus", root, "--coders", "ingrid,jonas")
    run(capsys, "settle", root, "--id", "1", "--take", "a")
    with tiny.store("jonas") as store:
        [coding] = [c for c in store.codings("t1") if c.code == GEO]
        store.change_coding(coding.id, tiny.transcript("t1"), end=12)
    code, out, _ = run(capsys, "consensus", root)
    assert code == 0
    text = said(out)
    assert "1 earlier decision no longer matches a disagreement" in text
    assert f"t1 line 1, 0–20, {GEO}: kept ingrid's codings" in text
    assert f"jonas: {GEO} 0–10 → 0–12" in text
    code, out, _ = run(capsys, "consensus", root, "--json")
    [stale] = json.loads(out)["stale"]
    assert (stale["transcript"], stale["start"], stale["end"], stale["line"]) == ("t1", 0, 20, 1)
    assert stale["changes"] == [f"jonas: {GEO} 0–10 → 0–12"]
