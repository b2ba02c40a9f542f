"""The suggest, keywords and evaluate verbs: output, JSON, and clear errors with exit code 2."""

from __future__ import annotations

import json

from qualcode.cli.main import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_suggest_json_lists_suggestions_per_passage(capsys, tiny_path):
    code, out, _ = run(capsys, "suggest", str(tiny_path), "--transcript", "t1", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["learned_from"] == ["ann"]
    geo = [s for s in data["suggestions"] if s["code"] == "geo"]
    assert geo and geo[0]["transcript"] == "t1" and geo[0]["triggers"]


def test_suggest_text_scores_one_passage(capsys, tiny_path):
    code, out, _ = run(
        capsys, "suggest", str(tiny_path), "--keywords-only", "--text", "Sentralbordet svarer ikke."
    )
    assert code == 0
    assert "geo" in out and "sentralbord" in out


def test_keywords_proposes_and_adds(capsys, tiny_path):
    code, out, _ = run(capsys, "keywords", str(tiny_path), "--code", "coffee", "--json")
    assert code == 0
    assert json.loads(out)["proposals"][0]["term"] == "kaffemaskin"
    code, out, _ = run(capsys, "keywords", str(tiny_path), "--code", "coffee", "--add-top", "1")
    assert code == 0 and "Added" in out
    assert "kaffemaskin" in (tiny_path / "codebooks" / "test.yaml").read_text(encoding="utf-8")


def test_evaluate_prints_model_and_baselines(capsys, tiny_path):
    code, out, _ = run(capsys, "evaluate", str(tiny_path), "--coder", "ann", "--folds", "3")
    assert code == 0
    for name in ("model", "keywords", "most common code"):
        assert name in out
    code, out, _ = run(capsys, "evaluate", str(tiny_path), "--coder", "ann", "--json")
    assert json.loads(out)["folds"] == 3


def test_bad_input_exits_2_with_a_message(capsys, tiny_path):
    code, _, err = run(capsys, "keywords", str(tiny_path), "--code", "geog")
    assert code == 2 and "Did you mean" in err and "geo" in err and "Traceback" not in err
    code, _, err = run(capsys, "suggest", str(tiny_path), "--transcript", "t9")
    assert code == 2 and "no transcript" in err
    code, _, err = run(capsys, "suggest", str(tiny_path), "--coder", "carl")
    assert code == 2 and "no coder" in err
    code, _, err = run(capsys, "evaluate", str(tiny_path), "--coder", "carl")
    assert code == 2 and "no coder" in err
    code, _, err = run(capsys, "evaluate", str(tiny_path), "--coder", "bob")
    assert code == 2 and "evaluation needs at least 2" in err
    code, _, err = run(capsys, "suggest", str(tiny_path), "--learn-from", "bob")
    assert code == 2 and "nothing to learn from" in err
    code, _, err = run(capsys, "suggest", str(tiny_path), "--coder", "ann", "--learn-from", "bob")
    assert code == 2 and "--learn-from" in err and "Traceback" not in err
    code, _, err = run(capsys, "suggest", str(tiny_path), "--with-consensus")
    assert code == 2 and "--coder" in err


def test_suggest_for_a_coder_leaves_out_what_they_coded(capsys, tiny_path):
    code, out, _ = run(capsys, "suggest", str(tiny_path), "--coder", "ann", "--transcript", "t1",
                       "--json")
    assert code == 0
    data = json.loads(out)
    assert data["coder"] == "ann" and data["learned_from"] == ["ann"]
    listed = {(s["code"], s["start"]) for s in data["suggestions"]}
    # ann coded paragraph 1 geo and paragraph 2 coffee: neither is suggested to her again
    assert data["already_coded"] == 2 and not {c for c, _ in listed} & {"geo", "coffee"}
    code, out, _ = run(capsys, "suggest", str(tiny_path), "--coder", "ann", "--transcript", "t1",
                       "--json", "--show-coded")
    marked = {s["code"]: s["already_coded"] for s in json.loads(out)["suggestions"]}
    assert marked["geo"] is True and marked["coffee"] is True
    code, out, _ = run(capsys, "suggest", str(tiny_path), "--coder", "ann", "--transcript", "t1")
    assert code == 0 and "2 more already coded by ann" in " ".join(out.split())


def test_suggest_for_a_coder_with_nothing_yet_uses_the_keywords(capsys, tiny_path):
    code, out, _ = run(capsys, "suggest", str(tiny_path), "--coder", "bob", "--transcript", "t1")
    assert code == 0
    assert "bob has no codings and no decisions on suggestions yet" in " ".join(out.split())
    assert "coffee" not in out  # ann's codes are not bob's to see


def test_suggest_text_shows_the_negative_keyword(capsys, tiny_path):
    code, out, _ = run(capsys, "suggest", str(tiny_path), "--keywords-only", "--text",
                       "Vi tar avstand fra det. Men vi får aldri tak i noen.")
    flat = " ".join(out.split())
    assert code == 0
    assert "tar avstand → ta avstand (negative keyword" in flat and "−2.0" in flat
    assert "får aldri tak i → få tak i (phrase, +4.0)" in flat


def test_keywords_says_why_there_is_nothing_to_propose(capsys, tiny_path):
    code, out, _ = run(capsys, "keywords", str(tiny_path), "--code", "cog")
    flat = " ".join(out.split())
    assert code == 0
    assert "Nothing to propose" in flat and "coded in 1 passage" in flat and "at least 2" in flat
    code, out, _ = run(capsys, "keywords", str(tiny_path), "--code", "cog", "--json")
    data = json.loads(out)
    assert data["proposals"] == [] and "at least 2" in data["nothing_to_propose"]
