"""A demo study with a known consensus layer to export: passages chosen for their quirks.

The passages keep what a quote sheet must never change: anonymising placeholders (`[navn]`,
`[virksomhet]`), omissions `(…)`, nested «guillemets» and Norwegian letters. One is spoken by
the interviewer (no informant), and two come from one focus group (two roles, one transcript).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from qualcode.study import CONSENSUS, Study

# (transcript, a fragment that starts and ends the passage, code, memo)
PASSAGES = [
    (
        "nb-01-industri-utkant",
        (
            "Det står bare i en e-post at «fra og med neste uke er det [navn] som er din "
            "kontaktperson»."
        ),
        "agency-cooperation.contact-person",
        "",
    ),
    (
        "nb-01-industri-utkant",
        (
            "Noen har sluttet, noen har fått andre oppgaver, de har omorganisert, det er et nytt "
            "team, det er (…) jeg vet ikke."
        ),
        "distance.organisational",
        "Klassisk eksempel – bruk i kapittel 4.",
    ),
    (
        "nb-01-industri-utkant",
        "For det første så har vi ikke NAV-kontor her lenger.",
        "distance.geographic",
        "",
    ),
    (
        "nb-01-industri-utkant",
        "Kan du begynne med å fortelle litt om bedriften, hva dere driver med?",
        "motivation",
        "",
    ),
    (
        "nb-03-fokusgruppe-nav-kontor",
        (
            "Jeg har ringt [virksomhet] fire ganger det siste halvåret, og sist gang sa daglig "
            "leder «nå må dere gi oss en pause»."
        ),
        "distance.structural",
        "",
    ),
    (
        "nb-03-fokusgruppe-nav-kontor",
        (
            "Jeg er jobbspesialist i IPS, altså individuell jobbstøtte, og jeg jobber tett med "
            "psykisk helse i kommunen og litt mot DPS."
        ),
        "distance.geographic",
        "",
    ),
    (
        "en-01-hotel-manager-city",
        "(…) The working language in the hotel is English.",
        "distance.cognitive",
        "",
    ),
]


@dataclass
class Coded:
    """A study with a consensus layer made from PASSAGES."""

    root: Path
    study: Study
    spans: list[tuple[str, int, int, str]]
    """(transcript, start, end, code) of each passage, in PASSAGES order."""


def add_passages(study: Study, coder: str, passages=PASSAGES) -> list[tuple[str, int, int, str]]:
    spans = []
    with study.store(coder, create=True) as store:
        for tid, fragment, code, memo in passages:
            transcript = study.transcript(tid)
            start = transcript.text.index(fragment)
            coding = store.add_coding(transcript, start, start + len(fragment), code)
            if memo:
                store.set_memo("coding", coding.id, memo)
            spans.append((tid, coding.start, coding.end, code))
    return spans


@pytest.fixture(scope="session")
def coded(_demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Coded:
    """The demo study with a consensus layer holding exactly PASSAGES (shared: do not change
    it; use `coded_copy` to change files)."""
    root = tmp_path_factory.mktemp("coded") / "demo"
    shutil.copytree(_demo_template, root)
    (root / "codings" / f"{CONSENSUS}.db").unlink(missing_ok=True)
    spans = add_passages(Study.open(root), CONSENSUS)
    return Coded(root, Study.open(root), spans)


@pytest.fixture
def coded_copy(coded: Coded, tmp_path: Path) -> Coded:
    """A private copy of `coded`, free to change."""
    root = tmp_path / "coded"
    shutil.copytree(coded.root, root)
    return Coded(root, Study.open(root), coded.spans)


@pytest.fixture
def bare(demo_path: Path) -> Path:
    """The demo study with no codings at all (coders are added by each test)."""
    for path in (demo_path / "codings").glob("*"):
        path.unlink()
    return demo_path


@pytest.fixture
def passages() -> list[tuple[str, str, str, str]]:
    return PASSAGES


@pytest.fixture
def code_passages():
    """`code_passages(study, coder, passages=PASSAGES)` codes passages for a coder."""
    return add_passages
