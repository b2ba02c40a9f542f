"""A tiny hand-made study: one codebook with comments, a few short Norwegian transcripts,
and helpers to code it and to decide on suggestions as a coder."""

from __future__ import annotations

from pathlib import Path

from qualcode.study import Study

CODEBOOK = """\
# Test codebook: comments must survive edits.
codebook:
  id: test
  title: Test

codes:
  # Place --------------------------------------------------------------
  - id: geo
    label: {nb: Geografisk, en: Geographic}
    keywords:
      - avstand        # the classic
      - sentralbord
      - kontaktperson
      - mil            # short: never inside a compound
      - {term: få tak i, weight: 2}
    negative_keywords:
      - ta avstand
    # colour comes last
    colour: "#59a14f"
  - id: cog
    label: Kognitiv
    keywords: [forstå ikke, sjargong]
  - id: coffee
    label: Kaffe
    colour: "#aaaaaa"
"""

TRANSCRIPTS = {
    "t1": [
        "Avstandene er store, og vi får aldri tak i noen.",
        "Kaffemaskinen på pauserommet er det viktigste vi har.",
        "Vi snakket om været og ferien.",
    ],
    "t2": [
        "Jeg forstår ikke sjargongen deres i det hele tatt.",
        "Kaffemaskinen gikk i stykker igjen i går.",
        "Vi snakket om været og hyttene.",
    ],
    "t3": [
        "Sentralbordet svarer aldri, og kontaktpersonen er borte.",
        "Alle samles rundt kaffemaskinen om morgenen.",
        "Vi snakket om været og fotball.",
    ],
    "t4": [
        "Vi tar avstand fra slike metoder.",
        "Ny kaffemaskin kom på plass i vinter.",
        "Vi snakket om været og bilene.",
    ],
}

CODINGS = {  # coder ann: transcript -> [(paragraph index, code)]
    "t1": [(0, "geo"), (1, "coffee")],
    "t2": [(0, "cog"), (1, "coffee")],
    "t3": [(0, "geo"), (1, "coffee")],
}


def code_paragraphs(study: Study, coder: str, codings: dict[str, list[tuple[int, str]]]) -> None:
    """Give paragraphs codes as `coder`: transcript -> [(paragraph index, code)]."""
    with study.store(coder, create=True) as store:
        for tid, items in codings.items():
            transcript = study.transcript(tid)
            paragraphs = transcript.paragraphs
            store.add_codings(
                transcript, [(paragraphs[i].start, paragraphs[i].end, c) for i, c in items]
            )


def decide(study: Study, coder: str, tid: str, paragraph: int, code: str, decision: str,
           times: int = 1) -> None:
    """Record `coder` accepting or rejecting `code` for a paragraph, `times` times."""
    transcript = study.transcript(tid)
    p = transcript.paragraphs[paragraph]
    with study.store(coder, create=True) as store:
        for _ in range(times):
            store.record_feedback(transcript, p.start, p.end, code, decision)


def edit_transcript(root: Path, tid: str, old: str, new: str) -> None:
    """Change a transcript file as a researcher would, after it was coded."""
    path = root / "transcripts" / f"{tid}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def make_study(root: Path, codings: bool = True) -> Path:
    (root / "codebooks").mkdir(parents=True)
    (root / "transcripts").mkdir()
    (root / "qualcode.yaml").write_text(
        "name: Tiny\nlanguage: nb\ncodebooks: [test.yaml]\n", encoding="utf-8"
    )
    (root / "codebooks" / "test.yaml").write_text(CODEBOOK, encoding="utf-8")
    for tid, paragraphs in TRANSCRIPTS.items():
        body = "\n\n".join(paragraphs)
        (root / "transcripts" / f"{tid}.md").write_text(f"A: {body}\n", encoding="utf-8")
    if codings:
        study = Study.open(root)
        code_paragraphs(study, "ann", CODINGS)
        with study.store("bob", create=True):
            pass
    return root
