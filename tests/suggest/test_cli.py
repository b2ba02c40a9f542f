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
    code, _, err = run(capsys, "suggest", str(tiny_path), "--coder", "bob")
    assert code == 2 and "nothing to learn from" in err
