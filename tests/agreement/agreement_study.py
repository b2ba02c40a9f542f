"""Tiny hand-made studies whose agreement figures can be worked out on paper."""

from __future__ import annotations

from pathlib import Path

from qualcode.study import Study
from qualcode.study.create import init_study

# Two transcripts without speaker labels, so each is one turn, split into paragraphs only.
#   t1: paragraphs [0, 20), [22, 42), [44, 64); 64 characters
#   t2: paragraphs [0, 30), [32, 62); 62 characters
#   t3: coded by ingrid only, so it is left out of every comparison
TEXTS = {
    "t1": "x" * 20 + "\n\n" + "y" * 20 + "\n\n" + "z" * 20,
    "t2": "w" * 30 + "\n\n" + "v" * 30,
    "t3": "u" * 40,
}

GEO = "distance.geographic"
COG = "distance.cognitive"
ORG = "distance.organisational"
STR = "distance.structural"

CODINGS = {
    "ingrid": [
        ("t1", 0, 20, GEO),
        ("t1", 5, 15, GEO),  # overlaps her own coding: merged, never counted twice
        ("t1", 22, 42, COG),
        ("t2", 0, 30, GEO),
        ("t3", 0, 10, GEO),
    ],
    "jonas": [
        ("t1", 0, 10, GEO),
        ("t1", 30, 64, COG),  # reaches into the third paragraph
        ("t2", 0, 30, GEO),
        ("t2", 32, 62, STR),
    ],
}


def make_study(
    root: Path,
    codings: dict[str, list[tuple[str, int, int, str]]],
    texts: dict[str, str] | None = None,
) -> Study:
    """A study with the distance codebook, the given transcripts and coders' codings."""
    init_study(root, codebooks=["interorganisational-distance"])
    for tid, text in (texts or TEXTS).items():
        (root / "transcripts" / f"{tid}.md").write_text(text + "\n", encoding="utf-8")
    study = Study.open(root)
    for coder, rows in codings.items():
        with study.store(coder, create=True) as store:
            by_transcript: dict[str, list[tuple[int, int, str]]] = {}
            for tid, start, end, code in rows:
                by_transcript.setdefault(tid, []).append((start, end, code))
            for tid, spans in by_transcript.items():
                store.add_codings(study.transcript(tid), spans, "test")
    return Study.open(root)
