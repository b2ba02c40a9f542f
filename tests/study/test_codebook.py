"""Codebooks: the tree, stable ids, and validation messages that point at file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.errors import CodebookError
from qualcode.resources import shipped_codebooks
from qualcode.study.codebook import load_codebook, read_codebook, read_codebooks

GOOD = """\
# A small codebook
codebook:
  id: distance
  title: Distanse
codes:
  - id: distance
    label: {nb: Distanse, en: Distance}
    description: Avstand mellom organisasjoner.
    children:
      - id: distance.geographic
        label: {nb: Geografisk distanse, en: Geographic distance}
        colour: "#4E79A7"
        keywords:
          - avstand
          - {term: lang reisevei, weight: 2}
        negative_keywords: [kognitiv]
        children:
          - id: distance.geographic.phone
            label: Telefon
"""


def write(tmp_path: Path, text: str, name: str = "book.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_tree_of_any_depth_with_keywords_and_weights(tmp_path: Path) -> None:
    book = load_codebook(write(tmp_path, GOOD))
    assert [c.id for c in book.walk()] == [
        "distance",
        "distance.geographic",
        "distance.geographic.phone",
    ]
    geo = book["distance.geographic"]
    assert geo.label("en") == "Geographic distance"
    assert geo.label("nb") == "Geografisk distanse"
    assert geo.colour == "#4e79a7"
    assert [(k.term, k.weight) for k in geo.keywords] == [("avstand", 1.0), ("lang reisevei", 2.0)]
    assert [k.term for k in geo.negative_keywords] == ["kognitiv"]
    assert book.depth("distance.geographic.phone") == 3
    assert book.at_depth("distance.geographic.phone", 1) == "distance"
    assert book.at_depth("distance.geographic.phone", 2) == "distance.geographic"
    assert book.at_depth("distance", 2) == "distance"
    assert book.path_label("distance.geographic", "nb") == "Distanse › Geografisk distanse"
    assert [c.id for c in book.descendants("distance")] == [
        "distance.geographic",
        "distance.geographic.phone",
    ]


def test_unknown_field_is_located_and_the_nearest_name_suggested(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("description:", "descripton:"))
    _, problems = read_codebook(path)
    [problem] = problems
    assert problem.kind == "unknown-field"
    assert (problem.line, problem.column) == (8, 5)
    assert "did you mean `description`?" in problem.hint.lower()


def test_duplicate_ids_missing_labels_bad_colours_and_empty_keywords_are_all_reported(
    tmp_path: Path,
) -> None:
    text = """\
codes:
  - id: a
    label: A
    colour: blue
  - id: a
    label: Again
  - id: b
    keywords: []
"""
    _, problems = read_codebook(write(tmp_path, text))
    found = {(p.kind, p.line) for p in problems}
    assert ("bad-colour", 4) in found
    assert ("duplicate-id", 5) in found
    assert ("missing-label", 7) in found
    assert ("empty-keywords", 8) in found
    dup = next(p for p in problems if p.kind == "duplicate-id")
    assert "book.yaml:2" in dup.message


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "codes:\n  - id: a\n    label: [unclosed\n  - id: b\n")
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert caught.value.path == path
    assert caught.value.line is not None and caught.value.line >= 3
    assert "YAML syntax error" in caught.value.message


def test_ids_must_be_unique_across_codebooks_of_a_study(tmp_path: Path) -> None:
    one = write(tmp_path, "codes:\n  - id: x\n    label: X\n", "one.yaml")
    two = write(tmp_path, "codes:\n  - id: y\n    label: Y\n  - id: x\n    label: X2\n", "two.yaml")
    book, problems = read_codebooks([one, two])
    assert book is not None and book.ids == ["x", "y"]
    assert [p.kind for p in problems] == ["duplicate-id"]
    assert problems[0].path == two and problems[0].line == 4


def test_unknown_code_lookup_suggests_near_ids(tmp_path: Path) -> None:
    book = load_codebook(write(tmp_path, GOOD))
    with pytest.raises(CodebookError) as caught:
        book["distance.geografic"]
    assert "distance.geographic" in caught.value.hint


def test_shipped_codebooks_are_valid_and_have_the_four_distance_types() -> None:
    books = shipped_codebooks()
    assert {"interorganisational-distance", "employer-cooperation"} <= set(books)
    merged, problems = read_codebooks(list(books.values()))
    assert problems == []
    assert merged is not None
    children = [c.id for c in merged["distance"].children]
    assert children == [
        "distance.geographic",
        "distance.cognitive",
        "distance.organisational",
        "distance.structural",
    ]
    for code_id in children:
        code = merged[code_id]
        assert code.description and code.inclusion and code.exclusion and code.keywords
        assert code.label("nb") != code.label("en")


def test_an_unquoted_colour_read_as_a_comment_is_explained(tmp_path: Path) -> None:
    text = "codes:\n  - id: a\n    label: A\n    colour: #ff0000\n  - id: b\n    label: B\n"
    _, problems = read_codebook(write(tmp_path, text))
    [problem] = problems
    assert (problem.kind, problem.line, problem.column) == ("bad-colour", 4, 5)
    assert "#ff0000" in problem.message and "comment" in problem.message
    assert problem.hint == 'Put the colour in quotes: colour: "#ff0000".'


def test_an_empty_colour_without_a_comment_gets_a_default_colour(tmp_path: Path) -> None:
    book, problems = read_codebook(write(tmp_path, "codes:\n  - id: a\n    label: A\n    colour:\n"))
    assert problems == []
    assert book is not None and book["a"].colour.startswith("#")


def test_a_codebook_saved_as_windows_1252_names_line_and_column_of_the_bad_byte(
    tmp_path: Path,
) -> None:
    path = tmp_path / "book.yaml"
    path.write_bytes("codes:\n  - id: a\n    label: Tilgjengelighet … på kontoret\n".encode("cp1252"))
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert (caught.value.line, caught.value.column) == (3, 28)
    assert "not UTF-8" in caught.value.message
    assert "save it with the encoding UTF-8" in caught.value.hint


def test_an_unknown_code_with_no_near_id_says_where_the_ids_are(tmp_path: Path) -> None:
    book = load_codebook(write(tmp_path, GOOD))
    hint = book.suggest_hint("zzzz")
    assert "codebooks/" in hint and "qualcode check" not in hint
