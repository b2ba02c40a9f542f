"""How quick the coding workbench feels on a long transcript.

Builds a temporary study with one generated 20,000-word interview, drives the real app
headless, and prints:

- first paint: from starting the app on the transcript to its text being drawn, when a coder
  comes back to a study (its parse cache and the coder's file exist); `--cold` measures the
  very first opening instead;
- apply a code: from the quick key to the coded passage being drawn in the code's colour,
  median and 95th percentile over many codings.

Targets: first paint at most 300 ms, applying a code at most 50 ms (median).

    python bench/tui_coding.py [--words 20000] [--codings 40]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

WORDS = ["vi", "har", "hatt", "en", "del", "folk", "fra", "NAV", "i", "arbeidstrening", "her", "og", "det", "har", "gått", "bra", "stort", "sett", "men", "det", "tar", "tid", "før", "de", "kommer", "inn", "i", "rutinene", "og", "vi", "må", "følge", "dem", "opp", "selv", "fordi", "veilederen", "sitter", "en", "time", "unna", "og", "har", "mange", "andre", "å", "ta", "seg", "av", "så", "vi", "ringer", "når", "det", "er", "noe", "og", "da", "får", "vi", "som", "regel", "svar", "etter", "noen", "dager", "det", "er", "ikke", "alltid", "lett", "å", "vite", "hvem", "man", "skal", "snakke", "med", "der", "inne", "og", "tiltakene", "har", "navn", "som", "ingen", "her", "skjønner", "men", "lønnstilskuddet", "hjelper", "det", "må", "jeg", "si", "ellers", "hadde", "vi", "ikke", "hatt", "råd", "til", "å", "ta", "inn", "noen", "i", "det", "hele", "tatt"]


def build_study(root: Path, words: int, seed: int = 7) -> str:
    """A study with one interview of about `words` words; returns the transcript id."""
    from qualcode.study.create import init_study

    init_study(root, name="Benchmark", language="nb")
    rng = random.Random(seed)
    turns, written = [], 0
    while written < words:
        question = " ".join(rng.choices(WORDS, k=rng.randint(8, 20))).capitalize() + "?"
        turns.append(f"I: {question}")
        paragraphs = []
        for _ in range(rng.randint(1, 3)):
            sentences = [
                " ".join(rng.choices(WORDS, k=rng.randint(6, 24))).capitalize() + "."
                for _ in range(rng.randint(2, 7))
            ]
            paragraphs.append(" ".join(sentences))
        answer = "\n\n".join(paragraphs)
        turns.append(f"A: {answer}")
        written += len(question.split()) + len(answer.split())
    front = (
        "---\ntitle: Generated long interview\nform: individual interview\n"
        "informants:\n  A: {role: Bedriftsleder, region: Innlandet}\n---\n\n"
    )
    (root / "transcripts" / "long-interview.md").write_text(
        front + "\n\n".join(turns) + "\n", encoding="utf-8"
    )
    return "long-interview"


async def wait_until(condition, what: str, limit: float = 10.0) -> None:
    """Yield to the app until `condition()` holds (fail loudly instead of hanging)."""
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            raise SystemExit(f"The app did not get there in {limit:.0f} s: {what}.")
        await asyncio.sleep(0)


async def first_paint(root: Path, transcript_id: str) -> float:
    """Seconds from starting the app on the transcript to its text being drawn."""
    from qualcode.tui.app import make_app
    from qualcode.tui.screens.coding import CodingScreen
    from qualcode.tui.widgets.transcript_view import TranscriptView

    start = time.perf_counter()
    app = make_app(root, coder="bench", transcript=transcript_id)
    async with app.run_test(size=(160, 45)):

        def view():
            screen = app.screen
            if not isinstance(screen, CodingScreen):
                return None
            return next(iter(screen.query(TranscriptView)), None)

        await wait_until(lambda: view() is not None and view().first_paint is not None,
                         "the transcript drawn")
        return view().first_paint - start


async def apply_codes(root: Path, transcript_id: str, codings: int) -> list[float]:
    """Seconds from a quick key (1-9) to the new coding drawn, for `codings` passages."""
    from textual import events

    from qualcode.tui.app import make_app
    from qualcode.tui.screens.coding import CodingScreen

    app = make_app(root, coder="bench", transcript=transcript_id)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(lambda: isinstance(app.screen, CodingScreen)
                         and app.screen.transcript is not None, "the coding screen")
        await pilot.pause()
        screen = app.screen
        view = screen.view
        codes = [c.id for c in app.session.study.codebook.walk()][:9]
        for code in codes:  # fill the quick keys: each takes the next number, 1 the first
            app.session.used(code)
        rng = random.Random(11)
        sentences = [s for s in screen.transcript.sentences if s.end - s.start > 20]
        timings = []
        for n in range(codings):
            sentence = rng.choice(sentences)
            view.select(sentence.start, sentence.end, center=True)
            await pilot.pause()
            key = str(n % len(codes) + 1)
            before = view._version
            began = time.perf_counter()
            app.post_message(events.Key(key, key))  # as the terminal delivers a key
            await wait_until(
                lambda before=before: view._version > before
                and view.painted_version == view._version and view.mark is None,
                "the coding drawn",
            )
            timings.append(time.perf_counter() - began)
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--codings", type=int, default=40)
    parser.add_argument("--opens", type=int, default=5, help="app starts to time (default 5)")
    parser.add_argument("--cold", action="store_true", help="first opening: no cache, no coder file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("QUALCODE_CONFIG_DIR", str(Path(folder) / "config"))
        root = Path(folder) / "study"
        transcript_id = build_study(root, args.words)
        from qualcode.study import Study

        words = Study.open(root).transcript(transcript_id).word_count
        paints = []
        for _ in range(args.opens):
            if args.cold:
                shutil.rmtree(root / ".qualcode", ignore_errors=True)
                for path in (root / "codings").glob("bench.*"):
                    path.unlink()
            else:  # what an earlier session leaves behind: the parse cache, the coder's file
                study = Study.open(root)
                study.transcript(transcript_id)
                study.store("bench", create=True).close()
            paints.append(asyncio.run(first_paint(root, transcript_id)))
        timings = asyncio.run(apply_codes(root, transcript_id, args.codings))
    when = "first opening" if args.cold else "reopening"
    print(f"transcript: {words:,} words".replace(",", " ") + ", terminal 160×45")
    print(f"first paint ({when}), median of {args.opens}: "
          f"{statistics.median(paints) * 1000:5.0f} ms  (target ≤ 300 ms; "
          f"runs: {', '.join(f'{p * 1000:.0f}' for p in paints)})")
    print(f"apply a code, median of {len(timings)}:   "
          f"{statistics.median(timings) * 1000:5.1f} ms  (target ≤ 50 ms)")
    print(f"apply a code, 95th percentile: {percentile(timings, 0.95) * 1000:5.1f} ms")


if __name__ == "__main__":
    main()
