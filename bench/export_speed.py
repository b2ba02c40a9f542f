"""Time quote-sheet exports of 5,000 quotes to Word, CSV and Excel.

Generates a study (fixed seed) of 100 Norwegian transcripts with one to three informants each,
a two-level codebook of 36 codes, and one coder with 5,000 codings (every tenth with a memo),
then exports the whole sheet to each format and prints the time and the file size. Each export
is timed end to end (reading codings, building quotes, writing the file), best of 3. The Word
export is also timed with two sentences of context and memos.

Targets on the reference machine: .docx at most 10 s, .csv at most 1 s.

Run from the repository root:  python bench/export_speed.py [--keep FOLDER]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode.export import QuoteOptions, export_quotes
from qualcode.study import Study

SEED = 20250211
TRANSCRIPTS = 100
QUOTES = 5_000
RUNS = 3
ROLES = [
    "Bedriftsleder",
    "NAV-veileder",
    "Jobbspesialist",
    "Arbeidslivscoach",
    "Deltaker",
    "Fylkeskoordinator",
    "Kommunal enhetsleder",
]
PLACES = ["utkantkommune", "småby", "større by"]
REGIONS = ["Innlandet", "Vestland", "Agder", "Troms", "Nordland", "Trøndelag", "Viken"]
SENTENCES = [
    "Vi har hatt folk fra NAV inne i mange år nå, og det har stort sett gått bra.",
    "Det tar jo tid å lære opp en ny person, særlig når [navn] var borte i to uker.",
    "Hun sa «vi skal ringe deg tilbake», men så hørte vi ingenting på tre dager.",
    "Kontoret ligger i [kommunenavn], og det er nesten seksti kilometer én vei.",
    "Jeg vet ikke (…) det er vanskelig å si hva som gjorde utslaget til slutt.",
    "For oss er det en rekrutteringskanal, vi får se folk i arbeid før vi ansetter.",
    "Det er liksom to ulike verdener, NAV og oss, vi møtes aldri helt på midten.",
    "Ærlig talt, i sesongen er det godt med et par ekstra hender som ikke koster noe.",
    "Veilederen kjente ikke til tiltaket, så vi måtte forklare det selv [latter].",
    "Når lønnstilskuddet stopper, må vi vurdere om det er rom i budsjettet.",
    "Det bestemmes et sted i systemet, og vi får beskjed etterpå; vi blir ikke spurt.",
    "Det viktigste er at kandidaten møter opp, er blid og vil lære, resten ordner seg.",
]


def codebook_yaml() -> str:
    lines = ["codebook:", "  id: bench", "  title: Testkodebok", "codes:"]
    for i in range(6):
        lines += [
            f"  - id: theme{i}",
            f"    label: {{nb: Tema {i} – ærlig og åpen, en: Theme {i}}}",
            f"    description: Alt informanten sier om tema {i}, både gode og dårlige erfaringer.",
            "    inclusion: Når temaet er hovedsaken i avsnittet.",
            "    exclusion: Når temaet bare nevnes i forbifarten.",
            "    children:",
        ]
        for j in range(5):
            lines += [
                f"      - id: theme{i}.sub{j}",
                f"        label: {{nb: Undertema {i}.{j} på Østlandet, en: Subtheme {i}.{j}}}",
                f"        description: En bestemt side av tema {i}.",
            ]
    return "\n".join(lines) + "\n"


def transcript_text(rng: random.Random, labels: list[str]) -> str:
    turns = []
    for _ in range(40):
        turns.append(
            "I: "
            + rng.choice(
                ["Kan du si mer om det?", "Hvordan gikk det?", "Hva tenker du om samarbeidet?"]
            )
        )
        body = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 6)))
        turns.append(f"{rng.choice(labels)}: {body}")
    return "\n\n".join(turns) + "\n"


def make_study(root: Path) -> Study:
    rng = random.Random(SEED)
    (root / "codebooks").mkdir(parents=True)
    (root / "transcripts").mkdir()
    (root / "codings").mkdir()
    (root / "qualcode.yaml").write_text(
        'name: "Ytelsestest"\nlanguage: nb\nattribution: "({role} {informant}, '
        '{municipality_type})"\n',
        encoding="utf-8",
    )
    (root / "codebooks" / "bench.yaml").write_text(codebook_yaml(), encoding="utf-8")
    for t in range(TRANSCRIPTS):
        labels = ["A", "B", "C"][: rng.choice([1, 1, 1, 2, 3])]
        front = ["---", f"title: Intervju {t}", "informants:"]
        for label in labels:
            front += [
                f"  {label}:",
                f"    informant: {label}{t}",
                f"    role: {rng.choice(ROLES)}",
                f"    municipality_type: {rng.choice(PLACES)}",
                f"    region: {rng.choice(REGIONS)}",
            ]
        front.append("---")
        text = "\n".join(front) + "\n\n" + transcript_text(rng, labels)
        (root / "transcripts" / f"t{t:03d}.md").write_text(text, encoding="utf-8")
    study = Study.open(root)
    codes = [c for c in study.codebook.ids if "." in c]
    per_transcript = QUOTES // TRANSCRIPTS
    with study.store("bench", create=True) as store:
        for transcript in study.transcripts:
            spoken = [
                s for s in transcript.sentences if not transcript.turns[s.turn].is_interviewer
            ]
            spans: set[tuple[int, int, str]] = set()
            while len(spans) < per_transcript:
                first = rng.randrange(len(spoken))
                last = min(first + rng.randint(0, 2), len(spoken) - 1)
                if spoken[last].turn != spoken[first].turn:
                    last = first
                spans.add((spoken[first].start, spoken[last].end, rng.choice(codes)))
            made = store.add_codings(transcript, sorted(spans), f"Code {transcript.id}")
            for coding in made[::10]:
                store.set_memo("coding", coding.id, "Godt eksempel på avstand – bruk i kap. 3.")
        assert store.count() == QUOTES, store.count()
    return study


def best_of(runs: int, root: Path, options: QuoteOptions, out: Path) -> tuple[float, int]:
    best = float("inf")
    quotes = 0
    for _ in range(runs):
        study = Study.open(root)  # a fresh study each time: nothing cached between runs
        assert study.transcripts  # parsed before the clock starts, as in an open window
        began = time.perf_counter()
        result = export_quotes(study, options, out)
        best = min(best, time.perf_counter() - began)
        quotes = result.quotes
    return best, quotes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the study and files in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        root = base / "bench-study"
        began = time.perf_counter()
        make_study(root)
        print(
            f"study: {TRANSCRIPTS} transcripts, {QUOTES:,} codings "
            f"(generated in {time.perf_counter() - began:.1f} s)"
        )
        cases = [
            ("quotes.docx", QuoteOptions(), 10.0),
            ("quotes-context.docx", QuoteOptions(context=2, memos=True), 10.0),
            ("quotes.csv", QuoteOptions(), 1.0),
            ("quotes.xlsx", QuoteOptions(), None),
        ]
        print(f"{'file':<22}{'quotes':>8}{'seconds':>10}{'target':>9}{'size':>11}")
        failed = False
        for name, options, target in cases:
            out = base / name
            seconds, quotes = best_of(RUNS, root, options, out)
            size = out.stat().st_size
            mark = "" if target is None else ("  ok" if seconds <= target else "  SLOW")
            failed |= target is not None and seconds > target
            goal = f"{target:.0f} s" if target else "–"
            print(f"{name:<22}{quotes:>8,}{seconds:>10.2f}{goal:>9}{size / 1e6:>9.2f} MB{mark}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
