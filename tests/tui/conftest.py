"""Fixtures for the workbench: a small study with a coder's codings, and helpers to wait.

The small study in `tests/tui/study/` (two transcripts, a six-code codebook) keeps snapshots
independent of the demo study, which changes as the demo grows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qualcode.study import Study

STUDY = Path(__file__).parent / "study"
# (transcript, quote, code) for the coder `ingrid`: written in one step, so all share a time.
CODINGS = [
    ("t01-bedrift", "Det ene er at vi trenger folk.", "motivation.recruitment"),
    ("t01-bedrift", "Det andre er at vi føler et visst ansvar.", "motivation.social-responsibility"),
    ("t01-bedrift", "Det er en time å kjøre hver vei, så de kommer nesten aldri hit.",
     "distance.geographic"),
    ("t01-bedrift", "så de kommer nesten aldri hit", "distance"),
    ("t01-bedrift", "Det er to forskjellige språk, liksom.", "distance.cognitive"),
    ("t02-fokusgruppe", "ute i distriktet er det en time å kjøre", "distance.geographic"),
]


@pytest.fixture
def study_path(tmp_path: Path) -> Path:
    """A private copy of the small test study, with `ingrid`'s codings and one memo."""
    root = tmp_path / "study"
    shutil.copytree(STUDY, root)
    study = Study.open(root)
    with study.store("ingrid", create=True) as store:
        by_transcript: dict[str, list[tuple[int, int, str]]] = {}
        for tid, quote, code in CODINGS:
            start = study.transcript(tid).text.index(quote)
            by_transcript.setdefault(tid, []).append((start, start + len(quote), code))
        for tid, spans in by_transcript.items():
            codings = store.add_codings(study.transcript(tid), spans, f"Code {tid}")
            if tid == "t01-bedrift":
                store.set_memo("coding", codings[2].id, "Distance as travel time.")
    return root
