"""How long agreement takes on a large study, and qualcode's alpha against `krippendorff`.

Generates a study of 200 transcripts (about 8,000 words each) with a codebook of 30 codes (five
parents with six children each) and three coders who coded every transcript: a shared "true"
coding of about one paragraph in three, which each coder follows with shifted boundaries, now
and then a different code, a missed passage or an extra one. Then, in fresh `Study` objects
(nothing cached), times

* reading the study and the three coders' codings (`load_material`),
* the character, segment (paragraphs) and span levels,

and prints the best of 3 runs, wall-clock and the process's CPU time (the latter shows what the
work costs when other programs compete for the processor; target: the three levels together in
at most 2 s). Finally it runs
bench/agreement_alpha.py: nominal alpha on 100,000 units × 3 coders, qualcode against the
`krippendorff` package (target: ratio at most 1).

    python bench/agreement_speed.py [--transcripts 200] [--words 8000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import agreement_alpha

from qualcode.agreement.levels import character_level, segment_level, span_level
from qualcode.agreement.material import load_material
from qualcode.study import Study
from qualcode.study.create import init_study

CODERS = ("ingrid", "jonas", "kari")
PARENTS = ("distance", "motivation", "cooperation", "barriers", "measures")
WORDS = [
    "arbeidsgiver",
    "NAV",
    "kontoret",
    "avstand",
    "samarbeid",
    "oppfølging",
    "veileder",
    "kandidat",
    "tiltak",
    "lønnstilskudd",
    "praksis",
    "bedrift",
    "kommune",
    "telefon",
    "møte",
    "forstå",
    "språk",
    "regler",
    "leder",
    "ansvar",
    "makt",
    "beslutning",
    "byråkrati",
    "tid",
    "jobb",
    "arbeidstrening",
    "mentor",
    "kontaktperson",
    "fast",
    "og",
    "det",
    "var",
    "vi",
    "de",
    "som",
    "på",
    "i",
    "til",
    "med",
    "ikke",
    "for",
    "å",
    "har",
    "en",
    "ble",
    "litt",
    "altså",
    "liksom",
]


def codebook_yaml() -> str:
    lines = ["codebook:", "  id: bench", "  title: Bench codebook", "codes:"]
    for parent in PARENTS:
        lines += [f"  - id: {parent}", f"    label: {parent.title()}", "    children:"]
        for i in range(1, 7):
            lines += [f"      - id: {parent}.c{i}", f"        label: {parent.title()} {i}"]
    return "\n".join(lines) + "\n"


def leaf_codes() -> list[str]:
    return [f"{p}.c{i}" for p in PARENTS for i in range(1, 7)]


def make_transcript(rng: random.Random, words: int, number: int) -> str:
    turns, count = [], 0
    while count < words:
        paragraphs = []
        for _ in range(rng.randint(1, 3)):
            n = rng.randint(20, 90)
            body = " ".join(rng.choice(WORDS) for _ in range(n))
            paragraphs.append(body.replace(" og ", ". Og ").capitalize() + ".")
            count += n
        turns.append(f"I: {rng.choice(WORDS).capitalize()}?\n\nA: " + "\n\n".join(paragraphs))
    front = f"---\ntitle: Intervju {number}\ninformants:\n  A: {{role: Bedriftsleder}}\n---\n\n"
    return front + "\n\n".join(turns) + "\n"


def coder_spans(rng: random.Random, truth, length: int, codes: list[str]):
    spans = []
    for start, end, code in truth:
        roll = rng.random()
        if roll < 0.08:
            continue  # missed
        if roll < 0.18:
            code = rng.choice(codes)  # another code
        start = min(max(0, start + rng.randint(-40, 40)), length - 2)
        end = max(start + 1, min(length, end + rng.randint(-40, 40)))
        spans.append((start, end, code))
    for _ in range(rng.randint(0, 4)):  # extra passages
        start = rng.randrange(0, length - 200)
        spans.append((start, start + rng.randint(50, 200), rng.choice(codes)))
    return spans


def make_study(root: Path, transcripts: int, words: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    init_study(root, codebooks=[])
    (root / "codebooks" / "bench.yaml").write_text(codebook_yaml(), encoding="utf-8")
    config = root / "qualcode.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("codebooks: []", "codebooks: [bench.yaml]"),
        encoding="utf-8",
    )
    for i in range(transcripts):
        (root / "transcripts" / f"t{i:03d}.md").write_text(
            make_transcript(rng, words, i), encoding="utf-8"
        )
    study = Study.open(root)
    codes = leaf_codes()
    stores = {coder: study.store(coder, create=True) for coder in CODERS}
    try:
        for transcript in study.transcripts:
            truth = []
            for paragraph in transcript.paragraphs:
                if rng.random() < 0.33:
                    truth.append((paragraph.start, paragraph.end, rng.choice(codes)))
                    if rng.random() < 0.15:
                        truth.append((paragraph.start, paragraph.end, rng.choice(codes)))
            for store in stores.values():
                spans = coder_spans(rng, truth, len(transcript.text), codes)
                store.add_codings(transcript, spans, "bench")
    finally:
        for store in stores.values():
            store.close()


CPU: dict[str, float] = {}


def timed(function, name: str = ""):
    """Wall-clock seconds and the result; the process's CPU seconds go to CPU[name]."""
    cpu = time.process_time()
    start = time.perf_counter()
    value = function()
    wall = time.perf_counter() - start
    if name:
        CPU[name] = min(CPU.get(name, float("inf")), time.process_time() - cpu)
    return wall, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transcripts", type=int, default=200)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the study in this folder")
    args = parser.parse_args()

    holder = None
    if args.keep is not None:
        root = args.keep
    else:
        holder = tempfile.TemporaryDirectory()
        root = Path(holder.name) / "bench-study"
    if not (root / "qualcode.yaml").exists():
        seconds, _ = timed(lambda: make_study(root, args.transcripts, args.words))
        print(f"generated the study in {seconds:.1f} s ({root})")

    best: dict[str, float] = {}
    for _ in range(3):
        study = Study.open(root)
        times = {}
        times["load"], material = timed(lambda s=study: load_material(s, list(CODERS)), "load")
        times["character"], _ = timed(lambda m=material: character_level(m), "character")
        times["segment"], _ = timed(lambda m=material: segment_level(m, "paragraph"), "segment")
        times["span"], _ = timed(lambda m=material: span_level(m), "span")
        for key, value in times.items():
            best[key] = min(best.get(key, float("inf")), value)
    characters = int(material.lengths.sum())
    stretches = sum(len(s) for s in material.spans.values())
    print(
        f"study: {len(material.transcripts)} transcripts, {characters:,} characters, "
        f"{len(material.coders)} coders, {len(material.codes)} codes, {stretches:,} merged codings"
    )
    print("  best of 3     wall      cpu")
    for key in ("load", "character", "segment", "span"):
        print(f"  {key:<10} {best[key]:6.3f} s  {CPU[key]:6.3f} s")
    levels = best["character"] + best["segment"] + best["span"]
    cpu = CPU["character"] + CPU["segment"] + CPU["span"]
    print(
        f"  three levels together: {levels:.3f} s wall, {cpu:.3f} s cpu (target <= 2 s); "
        f"with loading: {levels + best['load']:.3f} s wall"
    )
    print()
    status = agreement_alpha.main()
    if holder is not None:
        holder.cleanup()
    return status


if __name__ == "__main__":
    raise SystemExit(main())
