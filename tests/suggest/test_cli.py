"""The suggest, keywords and evaluate verbs: output, JSON, and clear errors with exit code 2."""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console
from tiny_study import CODEBOOK, CODINGS, code_paragraphs, edit_transcript, make_study

from qualcode.cli import suggest_verbs
from qualcode.cli.main import main
from qualcode.study import Study


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
    flat = " ".join(out.split())
    assert code == 0 and "t1: no new suggestions; 2 suggestions are already coded by ann" in flat
    assert "┏" not in out  # a sentence, not an empty table


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


def on_screen(monkeypatch, width: int, *argv: str) -> tuple[int, list[str]]:
    """What a verb prints on a terminal `width` characters wide, line by line."""
    screen = Console(file=io.StringIO(), width=width, highlight=False)
    monkeypatch.setattr(suggest_verbs, "console", screen)
    code = main(list(argv))
    return code, screen.file.getvalue().splitlines()


def keywords_only_text(capsys, tiny_path, text: str, *options: str) -> tuple[int, str]:
    """`qualcode suggest STUDY --keywords-only --text TEXT [options]`: exit status and output."""
    code, out, _ = run(capsys, "suggest", str(tiny_path), "--keywords-only", *options, "--text", text)
    return code, out


def test_suggest_text_json_is_an_object_as_for_transcripts(capsys, tiny_path):
    code, out = keywords_only_text(capsys, tiny_path, "Sentralbordet svarer ikke.", "--json")
    data = json.loads(out)
    assert code == 0 and data["text"] == "Sentralbordet svarer ikke." and data["learned_from"] == []
    assert [s["code"] for s in data["suggestions"]] == ["geo"]
    assert data["suggestions"][0]["reasons"][0]["keyword"] == "sentralbord"
    assert "nothing_suggested" not in data
    code, out = keywords_only_text(capsys, tiny_path, "Vi snakket om været.", "--json")
    data = json.loads(out)
    assert data["suggestions"] == [] and "no keyword of the codebook" in data["nothing_suggested"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--text", "Sentralbordet svarer ikke.", "--transcript", "t1"], "cannot go together"),
        (
            ["--text", "Sentralbordet svarer ikke.", "--coder", "ann", "--show-coded"],
            "--show-coded",
        ),
        (["--transcript", "t1", "--language", "en"], "--language gives the language of a passage"),
    ],
)
def test_options_that_would_be_ignored_are_refused(capsys, tiny_path, argv, expected):
    code, out, err = run(capsys, "suggest", str(tiny_path), *argv)
    assert code == 2 and out == ""
    assert expected in " ".join(err.split()) and "Traceback" not in err


def test_no_suggestions_for_a_passage_says_why(capsys, tiny_path):
    code, out = keywords_only_text(capsys, tiny_path, "Vi snakket om været.")
    flat = " ".join(out.split())
    assert code == 0
    assert "No suggestions for this passage: no keyword of the codebook occurs in it." in flat
    assert "Try a longer passage" in flat
    code, out = keywords_only_text(
        capsys, tiny_path, "Sentralbordet svarer ikke.", "--min-score", "0.99"
    )
    flat = " ".join(out.split())
    assert "the closest is Geografisk (geo) at" in flat and "below the 0.99 needed" in flat
    assert "because of Sentralbordet → sentralbord" in flat


def test_a_passage_opening_with_a_long_word_still_shows_its_text(capsys, tiny_path):
    link = "https://www.nav.no/kontakt/sentralbordogveiledningforarbeidsgivereihelelandet"
    (tiny_path / "transcripts" / "t5.md").write_text(
        f"A: {link} svarer aldri, sier sentralbordet.\n", encoding="utf-8"
    )
    code, out, _ = run(capsys, "suggest", str(tiny_path), "--keywords-only", "--transcript", "t5")
    assert code == 0 and "sentralbord" in out
    assert "https://" in out  # cut inside the word, not shown as a bare `…`


def test_a_transcript_without_suggestions_gets_a_sentence_not_an_empty_table(capsys, tiny_path):
    code, out, _ = run(
        capsys,
        "suggest",
        str(tiny_path),
        "--keywords-only",
        "--transcript",
        "t1",
        "--min-score",
        "0.99",
    )
    flat = " ".join(out.split())
    assert code == 0 and "┏" not in out
    assert "t1: no suggestions: the closest is Geografisk (geo)" in flat
    assert "A lower --min-score shows weaker suggestions." in flat


def test_a_codebook_without_keywords_is_named_as_the_reason(capsys, tmp_path):
    root = make_study(tmp_path / "bare", codings=False)
    codebook = root / "codebooks" / "test.yaml"
    plain = "\n".join(
        line
        for line in CODEBOOK.splitlines()
        if line.startswith(("codebook", "  id", "  title", "codes", "  - id", "    label"))
    )
    codebook.write_text(plain + "\n", encoding="utf-8")
    code, out, err = run(capsys, "suggest", str(root), "--transcript", "t1")
    assert code == 0, err
    assert "the codebook has no keywords and nothing has been learned yet" in " ".join(out.split())


def long_ids(tmp_path):
    """The tiny study with code ids as long as real ones, and ann's codings under them."""
    ids = {"geo": "distance.geographic-placement", "coffee": "workplace.coffee-machine"}
    root = make_study(tmp_path / "long", codings=False)
    text = CODEBOOK
    for short, long in ids.items():
        text = text.replace(f"id: {short}", f"id: {long}")
    (root / "codebooks" / "test.yaml").write_text(text, encoding="utf-8")
    codings = {tid: [(i, ids.get(c, c)) for i, c in items] for tid, items in CODINGS.items()}
    code_paragraphs(Study.open(root), "ann", codings)
    return root, ids


def folded_ids(lines: list[str], ids) -> list[list[str]]:
    """Each id's pieces as the first column shows them: its line, then the lines below it
    whose other columns are empty."""
    pieces = []
    for i, line in enumerate(lines):
        first = line.split()[0] if line.strip() else ""
        if any(long.startswith(first) for long in ids) and first:
            own = [first]
            for below in lines[i + 1 :]:
                if len(below.split()) != 1:
                    break
                own.append(below.split()[0])
            pieces.append(own)
    return pieces


@pytest.mark.parametrize("width", [80, 60])
def test_evaluate_folds_code_ids_only_after_dots_and_dashes(monkeypatch, tmp_path, width):
    root, ids = long_ids(tmp_path)
    code, lines = on_screen(
        monkeypatch, width, "evaluate", str(root), "--coder", "ann", "--folds", "3"
    )
    assert code == 0
    assert max(len(line) for line in lines) <= width
    shown = folded_ids(lines, ids.values())
    assert {"".join(pieces) for pieces in shown} == set(ids.values())
    for pieces in shown:
        assert all(piece.endswith((".", "-")) for piece in pieces[:-1]), pieces
    assert ["distance.", "geographic-placement"] in shown


def test_evaluate_on_a_narrow_terminal_lists_the_figures_whole(monkeypatch, tmp_path):
    root, ids = long_ids(tmp_path)
    code, lines = on_screen(
        monkeypatch, 40, "evaluate", str(root), "--coder", "ann", "--folds", "3"
    )
    assert code == 0 and max(len(line) for line in lines) <= 40
    assert set(ids.values()) <= set(lines)  # each id whole, on a line of its own
    figures = " ".join(lines[lines.index("distance.geographic-placement") + 1 :][:3])
    for name in ("coded", "precision", "recall", "F1", "wrong", "keywords F1"):
        assert re.search(rf"{name} \d+(\.\d\d)?( ·|$| )", figures), name
    assert "…" not in " ".join(lines)


def test_keyword_examples_are_whole_words_with_an_ellipsis_where_cut(monkeypatch, tiny_path):
    code, lines = on_screen(monkeypatch, 100, "keywords", str(tiny_path), "--code", "coffee")
    assert code == 0
    examples = " ".join(line.split("│")[-2].strip() for line in lines if line.count("│") > 2)
    quotes = [quote.split("»")[0] for quote in examples.split("«")[1:]]
    study = Study.open(tiny_path)
    texts = [" ".join(study.transcript(t).text.split()) for t in study.transcript_ids]
    assert quotes
    for quote in quotes:
        whole = quote.strip("…")
        (text,) = [t for t in texts if whole in t]
        start = text.index(whole)
        assert start == 0 or text[start - 1] == " ", quote  # begins with a whole word
        assert quote.startswith("…") == (start > 0)
        end = start + len(whole)
        assert end == len(text) or text[end] == " ", quote  # and ends with one
        assert quote.endswith("…") == (end < len(text))
    assert "t1, line 3" in " ".join(" ".join(lines).split())


LOST = "1 coding by ann whose text is no longer in `t2` was left out."


def test_codings_whose_text_is_gone_are_named_in_a_note(capsys, tiny_path):
    edit_transcript(tiny_path, "t2", "Kaffemaskinen gikk i stykker igjen i går.", "Det gikk bra.")
    code, out, _ = run(capsys, "suggest", str(tiny_path), "--coder", "ann", "--transcript", "t1")
    flat = " ".join(out.split())
    assert code == 0 and f"Note: {LOST}" in flat and "qualcode check" in flat
    code, out, _ = run(capsys, "suggest", str(tiny_path), "--coder", "ann", "--json")
    assert [note[: len(LOST)] for note in json.loads(out)["notes"]] == [LOST]
    code, out, _ = run(capsys, "suggest", str(tiny_path), "--coder", "ann", "--json",
                       "--text", "Kaffemaskinen er ny.")
    assert [note[: len(LOST)] for note in json.loads(out)["notes"]] == [LOST]
    code, out, _ = run(capsys, "evaluate", str(tiny_path), "--coder", "ann", "--folds", "3")
    assert code == 0 and f"Note: {LOST}" in " ".join(out.split())
    code, out, _ = run(capsys, "evaluate", str(tiny_path), "--coder", "ann", "--json")
    assert [note[: len(LOST)] for note in json.loads(out)["notes"]] == [LOST]


def test_a_coding_moved_by_an_edit_still_hides_its_suggestion(capsys, tiny_path):
    opening = "Før vi begynner vil jeg si litt om meg selv, om hvor lenge jeg har vært her, " \
        "og om hva jeg gjorde før jeg kom hit til kontoret i byen for snart seks år siden."
    edit_transcript(tiny_path, "t1", "A: ", f"A: {opening}\n\n")
    code, out, _ = run(capsys, "suggest", str(tiny_path), "--coder", "ann", "--transcript", "t1",
                       "--json")
    data = json.loads(out)
    assert code == 0 and data["already_coded"] == 2
    assert not {s["code"] for s in data["suggestions"]} & {"geo", "coffee"}
    assert any("found at a new place" in note for note in data["notes"])


def test_a_coder_with_too_little_to_learn_from_is_told_so(capsys, tiny_path):
    code_paragraphs(Study.open(tiny_path), "bob", {"t1": [(0, "geo")]})
    code, out, _ = run(capsys, "suggest", str(tiny_path), "--coder", "bob", "--transcript", "t3")
    flat = " ".join(out.split())
    assert code == 0 and "Too little to learn from yet in bob (1 passage)" in flat
    assert "once 3 passages have been coded with it" in flat
    assert "sentralbord" in flat  # the keywords still suggest geo in t3
    code, out, _ = run(capsys, "suggest", str(tiny_path), "--coder", "ann", "--transcript", "t3")
    flat = " ".join(out.split())
    assert "Model learned from ann (6 passages) on top of the codebook's keywords, for 1 code;" in flat
    assert "the other 2 codes keep the codebook's weights" in flat
