"""Real projects exported by other programs (skipped where the samples are not available)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from refi_helpers import SAMPLES

from qualcode.exchange.refi_project import import_project
from qualcode.study import Study

NS = "{urn:QDA-XML:project:1.0}"
# sources, codes, codings as the projects hold them
KNOWN = {
    "qc-demo.qdpx": (2, 262, 205),
    "target-atlas-project.qdpx": (0, 3, 0),
    "blank-atlas-project.qdpx": (0, 0, 0),
}
SAMPLE_FILES = sorted(SAMPLES.glob("*.qdpx")) if SAMPLES.is_dir() else []


def _counts(path: Path) -> tuple[int, int, int]:
    with zipfile.ZipFile(path) as archive:
        qde = next(n for n in archive.namelist() if n.lower().endswith(".qde"))
        root = ET.fromstring(archive.read(qde))
    sources = root.find(f"{NS}Sources")
    texts = len(sources.findall(f"{NS}TextSource")) if sources is not None else 0
    codes = len(list(root.iter(f"{NS}Code")))
    codings = len(sources.findall(f".//{NS}Coding")) if sources is not None else 0
    return texts, codes, codings


@pytest.mark.skipif(not SAMPLE_FILES, reason=f"no sample projects in {SAMPLES}")
@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_imports_with_every_source_code_and_coding(sample: Path, tmp_path: Path) -> None:
    expected = _counts(sample)
    if sample.name in KNOWN:
        assert expected == KNOWN[sample.name]
    report = import_project(sample, tmp_path / "study")
    assert (report.transcripts, report.codes, report.codings) == expected
    assert not report.skipped
    if not expected[1]:
        return
    study = Study.open(tmp_path / "study")
    assert len(study.transcript_ids) == expected[0]
    assert len(study.codebook) == expected[1]
    total = 0
    for coder in study.coders():
        with study.store(coder) as store:
            for coding in store.codings():
                assert study.transcript(coding.transcript).text[coding.start : coding.end] == (
                    coding.quote)
                total += 1
    assert total == expected[2]


@pytest.mark.skipif(not (SAMPLES / "qc-demo.qdpx").is_file(), reason="sample not available")
def test_sample_quotes_are_the_passages_the_other_program_selected(tmp_path: Path) -> None:
    sample = SAMPLES / "qc-demo.qdpx"
    with zipfile.ZipFile(sample) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        raw = {s.get("plainTextPath"): archive.read(f"sources/{s.get('plainTextPath')}").decode()
               for s in root.iter(f"{NS}TextSource")}
    wanted = set()
    for source in root.iter(f"{NS}TextSource"):
        text = raw[source.get("plainTextPath")]
        for selection in source.iter(f"{NS}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            wanted.add((source.get("plainTextPath").removesuffix(".txt"),
                        " ".join(text[start:end].split())))
    import_project(sample, tmp_path / "study")
    study = Study.open(tmp_path / "study")
    with study.store("cp") as store:
        found = {(c.transcript, " ".join(c.quote.split())) for c in store.codings()}
    assert found == wanted
