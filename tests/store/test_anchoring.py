"""Codings stay on their passage when a transcript is edited; none is dropped silently."""

from __future__ import annotations

from pathlib import Path

from qualcode.study import Study
from qualcode.study.check import check_study
from qualcode.study.create import init_study

ORIGINAL = (
    "---\ninformants: {A: {role: Bedriftsleder}}\n---\n"
    "I: Hvordan er samarbeidet?\n\n"
    "A: NAV-kontoret ligger langt unna, og vi når dem ikke på telefon. "
    "De forstår ikke hvordan skiftarbeid fungerer.\n\n"
    "I: Hva med beslutninger?\n\n"
    "A: Alt må godkjennes av lederen deres, det tar uker.\n"
)


def make(tmp_path: Path) -> tuple[Study, dict[str, str]]:
    init_study(tmp_path / "s", codebooks=["interorganisational-distance"])
    path = tmp_path / "s" / "transcripts" / "t1.md"
    path.write_text(ORIGINAL, encoding="utf-8")
    study = Study.open(tmp_path / "s")
    t = study.transcript("t1")
    ids = {}
    with study.store("ingrid", create=True) as store:
        for code, quote in [
            ("distance.geographic", "NAV-kontoret ligger langt unna"),
            ("distance.cognitive", "De forstår ikke hvordan skiftarbeid fungerer."),
            ("distance.organisational", "Alt må godkjennes av lederen deres, det tar uker."),
        ]:
            start = t.text.index(quote)
            ids[code] = store.add_coding(t, start, start + len(quote), code).id
    return study, ids


def test_moved_and_slightly_edited_passages_are_found_and_fixed(tmp_path: Path) -> None:
    study, _ = make(tmp_path)
    edited = ORIGINAL.replace(
        "I: Hvordan er samarbeidet?", "I: Kan du si litt om hvordan samarbeidet er i dag?"
    ).replace("De forstår ikke hvordan skiftarbeid fungerer.", "De forstår ikke hvordan skiftarbeidet fungerer.")
    (study.transcripts_dir / "t1.md").write_text(edited, encoding="utf-8")
    report = check_study(study.root)
    moved = [p for p in report.problems if p.kind == "moved-anchor"]
    assert len(moved) == 3
    assert report.errors == []
    fixed = check_study(study.root, fix=True)
    assert fixed.coders[0].fixed == 3
    assert check_study(study.root).clean
    fresh = Study.open(study.root)
    t = fresh.transcript("t1")
    with fresh.store("ingrid") as store:
        by_code = {c.code: c for c in store.codings()}
        assert t.text[by_code["distance.geographic"].start :].startswith("NAV-kontoret ligger")
        assert by_code["distance.cognitive"].quote.startswith("De forstår ikke hvordan skiftarbeid")
        assert by_code["distance.organisational"].quote == (
            "Alt må godkjennes av lederen deres, det tar uker."
        )
        # Re-anchoring is one undoable step.
        assert store.undo() == "Re-anchor 3 codings"


def test_a_passage_that_was_deleted_is_reported_and_kept(tmp_path: Path) -> None:
    study, ids = make(tmp_path)
    edited = ORIGINAL.replace("Alt må godkjennes av lederen deres, det tar uker.", "Det vet jeg ikke.")
    (study.transcripts_dir / "t1.md").write_text(edited, encoding="utf-8")
    report = check_study(study.root, fix=True)
    lost = [p for p in report.problems if p.kind == "lost-anchor"]
    assert len(lost) == 1 and lost[0].severity == "error"
    assert "Alt må godkjennes" in lost[0].message
    assert lost[0].line == 10  # the line in the file, after front matter
    with study.store("ingrid") as store:
        assert ids["distance.organisational"] in {c.id for c in store.codings()}


MOVED_CODEBOOK = """\
codebook: {id: distance, title: Distanse}
codes:
  - id: distance
    label: Distanse
    children:
      - id: distance.cognitive
        label: Kognitiv distanse
        children:
          - id: distance.geographic
            label: Fysisk avstand
      - id: distance.organisational
        label: Organisatorisk distanse
"""


def test_renaming_or_moving_a_code_in_the_codebook_keeps_its_codings(tmp_path: Path) -> None:
    study, ids = make(tmp_path)
    book = study.root / "codebooks" / "interorganisational-distance.yaml"
    text = book.read_text(encoding="utf-8")
    book.write_text(text.replace("Geografisk distanse", "Fysisk avstand"), encoding="utf-8")
    report = check_study(study.root)
    assert report.clean
    assert Study.open(study.root).codebook["distance.geographic"].label("nb") == "Fysisk avstand"
    # Move `distance.geographic` from `distance` to under `distance.cognitive`.
    book.write_text(MOVED_CODEBOOK, encoding="utf-8")
    report = check_study(study.root)
    assert report.clean
    moved = Study.open(study.root)
    assert [c.id for c in moved.codebook.ancestors("distance.geographic")] == [
        "distance",
        "distance.cognitive",
    ]
    with moved.store("ingrid") as store:
        by_code = {c.code: c.id for c in store.codings()}
    assert by_code == ids
    assert report.coders[0].codings == 3


def test_unknown_code_ids_in_codings_are_errors_with_a_suggestion(tmp_path: Path) -> None:
    study, _ = make(tmp_path)
    book = study.root / "codebooks" / "interorganisational-distance.yaml"
    text = book.read_text(encoding="utf-8")
    book.write_text(text.replace("id: distance.cognitive", "id: distance.cognitiv"), encoding="utf-8")
    report = check_study(study.root)
    [problem] = [p for p in report.problems if p.kind == "unknown-code"]
    assert "distance.cognitive" in problem.message
    assert "distance.cognitiv" in problem.hint
