"""Time code suggestions on a generated study of about 2 million words.

Builds a study in a temporary folder: 200 transcripts of about 10,000 words, each a different
random draw (fixed seed) of informant paragraphs from the demo transcripts, with the demo
codebooks. Then prints, in one run:

  * spaCy's tokenizer alone on all the text (a fresh blank pipeline per language);
  * suggesting for every paragraph, cold (empty disk cache; no lemma, word form or keyword
    memories, simplemma's own cache emptied; fresh spaCy pipelines), as a ratio to the
    tokenizer;
  * the same, warm (a new Suggester over the filled disk cache), keywords alone and with a model
    learned from a generated coder; both include making the Suggester;
  * working out the explanation (triggers and reasons) of every one of those suggestions, which
    only output that shows them (`suggest --json`, a workbench panel) asks for;
  * scoring one passage right after a Suggester is made: `for_text` on 200 paragraphs and
    `for_span` on 200 paragraphs of the study, median, 95th percentile and worst (the first
    call included).

Reading and parsing the transcript files (the study's job, not the suggester's) is timed apart.
Garbage left by one measurement is collected before the next starts, so that no measurement
pays for another's. The tokenizer, cold and warm runs are made `--repeat` times (3), the
tokenizer and cold runs taking turns, and the best of each is reported beside all the runs: a
single run measures whatever else the machine is doing as much as the code.

Run from the repository root:  python bench/suggest_speed.py [--words 2000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode.resources import demo_root

SEED = 20250611
WORDS_PER_TRANSCRIPT = 10_000
_WORD = re.compile(r"\w+")


def paragraphs_by_language() -> dict[str, list[str]]:
    from qualcode.study import Study

    demo = Study.open(demo_root())
    out: dict[str, list[str]] = {"nb": [], "en": []}
    for transcript in demo.transcripts:
        informant_turns = {t.index for t in transcript.turns if not t.is_interviewer}
        for p in transcript.paragraphs:
            if p.turn in informant_turns:
                out.setdefault(transcript.language, []).append(transcript.text[p.start : p.end])
    return out


def generate(root: Path, words: int) -> None:
    source = demo_root()
    (root / "transcripts").mkdir(parents=True)
    shutil.copytree(source / "codebooks", root / "codebooks")
    shutil.copyfile(source / "qualcode.yaml", root / "qualcode.yaml")
    material = paragraphs_by_language()
    rng = random.Random(SEED)
    count = max(1, words // WORDS_PER_TRANSCRIPT)
    for i in range(count):
        language = "en" if i % 10 == 9 else "nb"
        pool = material[language]
        body, total = [], 0
        while total < WORDS_PER_TRANSCRIPT:
            question = f"I: Spørsmål {i}-{len(body)}?" if language == "nb" else f"I: Question {i}?"
            answer = rng.choice(pool)
            body += [question, f"A: {answer}"]
            total += len(_WORD.findall(answer)) + 3
        text = f"---\nlanguage: {language}\n---\n\n" + "\n\n".join(body) + "\n"
        (root / "transcripts" / f"gen-{i:03d}.md").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=2_000_000)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of the tokenizer, cold and warm (best counts)"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="qualcode-bench-"))
    os.environ["QUALCODE_CACHE_DIR"] = str(folder / "cache")
    try:
        run(folder / "study", args.words, max(1, args.repeat))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def timed(function, *args):
    """(seconds, result) of function(*args), after collecting the garbage of earlier work."""
    gc.collect()
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def runs(times: list[float]) -> str:
    return "(runs: " + ", ".join(f"{t:.2f}" for t in times) + ")" if len(times) > 1 else ""


def spread(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return (f"median {statistics.median(ordered):5.2f} ms, p95 {p95:5.2f} ms, "
            f"max {ordered[-1]:5.2f} ms")


def run(root: Path, words: int, repeat: int) -> None:
    import simplemma
    import spacy

    from qualcode.language import lemmas, pipeline
    from qualcode.study import Study
    from qualcode.suggest import Suggester, matching
    from qualcode.suggest.training import Source, train

    generate(root, words)
    cache_root = Path(os.environ["QUALCODE_CACHE_DIR"])
    started = time.perf_counter()
    study = Study.open(root)
    transcripts = study.transcripts
    parse = time.perf_counter() - started
    total_words = sum(t.word_count for t in transcripts)
    paragraphs = sum(
        sum(1 for p in t.paragraphs if not t.turns[p.turn].is_interviewer) for t in transcripts
    )
    print(f"Study: {len(transcripts)} transcripts, {total_words:,} words, {paragraphs:,} informant "
          f"paragraphs; reading and parsing the files: {parse:.2f} s")

    # Load simplemma's dictionaries and spaCy's language data once (a one-off per process).
    started = time.perf_counter()
    for language in ("nb", "en"):
        lemmas.lemma("hus", language)
        spacy.blank(language)
    print(f"One-off loading of spaCy language data and simplemma dictionaries: "
          f"{time.perf_counter() - started:.2f} s")

    def tokenize_all():
        tokenizers = {language: spacy.blank(language).tokenizer for language in ("nb", "en")}
        started = time.perf_counter()
        for t in transcripts:
            tokenizers[t.language](t.text)
        return time.perf_counter() - started

    def suggest_all(learn_from=(), model=None):
        suggester = Suggester(study, learn_from=list(learn_from))
        if model is not None:
            suggester.model = model
        return suggester, [s for t in transcripts for s in suggester.for_transcript(t)]

    def forget_everything(run: int) -> None:
        """A cold start: an empty disk cache, and nothing read or looked up kept in memory."""
        os.environ["QUALCODE_CACHE_DIR"] = str(cache_root / f"cold-{run}")
        pipeline.nlp_for.cache_clear()
        pipeline._FORMS.clear()
        lemmas._LEMMAS.clear()
        lemmas._KNOWN.clear()
        matching._INDEXES.clear()
        simplemma_cache = getattr(simplemma.lemmatizer, "_legacy_lemmatizer_for", None)
        if simplemma_cache is not None:
            simplemma_cache(False, False)._cached_lemmatize.cache_clear()

    # The tokenizer and the cold run take turns, so that a busy moment of the machine does not
    # fall on one side only; the best of each is compared.
    tokenizer_runs, cold_runs = [], []
    for run in range(repeat):
        gc.collect()
        tokenizer_runs.append(tokenize_all())
        forget_everything(run)
        seconds, (_, found) = timed(suggest_all)
        cold_runs.append(seconds)
        cold_count = len(found)
        del found
    tokenizer, cold = min(tokenizer_runs), min(cold_runs)
    print(f"\nspaCy tokenizer alone:                    {tokenizer:7.2f} s  {runs(tokenizer_runs)}")
    print(f"Suggest every paragraph, cold:            {cold:7.2f} s  = {cold / tokenizer:.2f} × "
          f"the tokenizer  {runs(cold_runs)}  ({cold_count:,} suggestions)")

    warm_runs = []
    for _ in range(repeat):
        seconds, (warm_suggester, found) = timed(suggest_all)
        assert len(found) == cold_count
        warm_runs.append(seconds)
    warm = min(warm_runs)
    print(f"Suggest every paragraph, warm (keywords): {warm:7.2f} s  = {warm / tokenizer:.2f} × "
          f"the tokenizer  {runs(warm_runs)}")
    explaining, _ = timed(lambda suggestions: [s.triggers for s in suggestions], found)
    print(f"Explain every one of those suggestions:   {explaining:7.2f} s  "
          f"(only when shown, e.g. suggest --json)")
    del found

    # A generated coder who coded the first 60 transcripts with the keyword model's best code.
    source = Source("generated")
    for t in transcripts[:60]:
        for s in warm_suggester.for_transcript(t, top=1):
            source.codings.setdefault(t.id, []).append((s.start, s.end, s.code))
    training, learned_model = timed(lambda: train(warm_suggester, [source]))
    print(f"Learning from 60 coded transcripts:       {training:7.2f} s")
    learned_runs = []
    for _ in range(repeat):
        seconds, (_, found) = timed(suggest_all, (), learned_model)
        learned_runs.append(seconds)
    print(f"Suggest every paragraph, warm (learned):  {min(learned_runs):7.2f} s  "
          f"{runs(learned_runs)}  (a new Suggester given that model; {len(found):,} suggestions)")
    del found

    rng = random.Random(SEED)
    material = [p for ps in paragraphs_by_language().values() for p in ps]
    sample = [rng.choice(material) for _ in range(200)]
    spans = []
    for _ in range(200):
        t = rng.choice(transcripts)
        p = rng.choice([p for p in t.paragraphs if not t.turns[p.turn].is_interviewer])
        spans.append((t, p.start, p.end))
    average = statistics.mean(len(_WORD.findall(p)) for p in sample)
    for label, model in (("keywords", None), ("learned", learned_model)):
        made, (engine, _) = timed(lambda: (Suggester(study, learn_from=[]), None))
        if model is not None:
            engine.model = model
        gc.collect()
        text_times, span_times = [], []
        for passage, (t, start, end) in zip(sample, spans):
            started = time.perf_counter()
            engine.for_text(passage)
            text_times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            engine.for_span(t, start, end)
            span_times.append((time.perf_counter() - started) * 1000)
        print(f"\nScore one passage ({label}; the Suggester was made in {made:.2f} s):")
        print(f"  for_text, {average:.0f} words on average:  {spread(text_times)}")
        print(f"  for_span, a paragraph of the study:  {spread(span_times)}")


if __name__ == "__main__":
    main()
