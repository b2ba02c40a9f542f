"""How long opening and checking a large study takes, cold and warm, and its peak memory.

Generates a study of 200 transcripts of about 10,000 words (2 million words) with two coders'
codings, then runs `check_study` (read settings and codebooks, parse every transcript, read the
informant table, anchor every coding) in fresh processes: once cold (first run: no caches) and
then warm (the same files again, operating-system cache hot). Prints seconds and peak memory.

    python bench/study_load.py [--transcripts 200] [--words 10000]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "arbeidsgiver NAV kontoret avstand samarbeid oppfølging veileder kandidat tiltak "
    "lønnstilskudd praksis bedrift kommune telefon møte forstå språk regler leder ansvar "
    "makt beslutning byråkrati tid jobb arbeidstrening mentor kontaktperson fast "
    "og det var vi de som på i til med ikke for å har en ble litt altså liksom"
).split()


def make_study(root: Path, transcripts: int, words: int, seed: int = 7) -> None:
    from qualcode.study import Study
    from qualcode.study.create import init_study

    rng = random.Random(seed)
    init_study(root, codebooks=["interorganisational-distance", "employer-cooperation"])
    for i in range(transcripts):
        turns, count = [], 0
        while count < words:
            n = rng.randint(20, 160)
            body = " ".join(rng.choice(WORDS) for _ in range(n))
            sentences = body.replace(" og ", ". Og ").capitalize() + "."
            turns.append(f"I: {rng.choice(WORDS).capitalize()}?\n\nA: {sentences}")
            count += n + 1
        front = (
            f"---\ntitle: Intervju {i}\ninformants:\n  A: {{role: "
            f"{rng.choice(['Bedriftsleder', 'NAV-veileder', 'Jobbspesialist'])}, region: "
            f"{rng.choice(['Agder', 'Nordland', 'Innlandet'])}}}\n---\n\n"
        )
        (root / "transcripts" / f"t{i:03d}.md").write_text(front + "\n\n".join(turns) + "\n")
    study = Study.open(root)
    codes = [c.id for c in study.codebook.walk()]
    for coder in ("ingrid", "jonas"):
        with study.store(coder, create=True) as store:
            for t in study.transcripts[: transcripts // 2]:
                spans = []
                for seg in t.paragraphs[1::6]:
                    spans.append((seg.start, seg.end, rng.choice(codes)))
                store.add_codings(t, spans, "bench")


CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from qualcode.study.check import check_study
report = check_study(sys.argv[1])
elapsed = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mib": peak, "words": report.words,
                  "transcripts": report.transcripts, "errors": len(report.errors),
                  "codings": sum(c.codings for c in report.coders)}))
"""


def measure(root: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(root)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def drop_page_cache(root: Path) -> None:
    """Best effort: ask the kernel to forget cached file pages (needs root; else ignored)."""
    subprocess.run(["sync"], check=False)
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=200)
    parser.add_argument("--words", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "study"
        t0 = time.perf_counter()
        make_study(root, args.transcripts, args.words)
        print(f"generated study in {time.perf_counter() - t0:.1f} s")
        import shutil

        shutil.rmtree(root / ".qualcode", ignore_errors=True)  # no parse cache: a cold start
        drop_page_cache(root)
        cold = measure(root)
        warm = [measure(root) for _ in range(3)]
        best = min(warm, key=lambda r: r["seconds"])
        print(
            f"study: {cold['transcripts']} transcripts, {cold['words']:,} words, "
            f"{cold['codings']:,} codings"
        )
        print(f"load + validate, cold: {cold['seconds']:.2f} s   (target ≤ 10 s)")
        print(f"load + validate, warm: {best['seconds']:.2f} s   (target ≤ 1 s; best of 3)")
        print(f"peak memory: {max(r['peak_mib'] for r in [cold, *warm]):.0f} MiB")


if __name__ == "__main__":
    main()
