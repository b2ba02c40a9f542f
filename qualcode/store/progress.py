"""How far coding has come: coverage per transcript and coder, code usage, recent codes.

Coverage counts the informants' words only: a transcript is fully coded when every character
an informant says lies in at least one coding (interviewer turns do not count). Transcripts
without an informant turn count all of their text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from qualcode.store.coder_store import Coding
from qualcode.study.codebook import Codebook
from qualcode.study.transcript import Transcript


@dataclass(frozen=True, slots=True)
class TranscriptProgress:
    """One coder's progress on one transcript."""

    codings: int
    coded: int
    """Characters of informant speech inside at least one coding."""
    total: int
    """Characters of informant speech."""

    @property
    def fraction(self) -> float:
        return self.coded / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        """Whole percent, never shown as 100 before everything is coded."""
        value = int(self.fraction * 100)
        return 99 if value == 100 and self.coded < self.total else value


NOT_STARTED = TranscriptProgress(0, 0, 0)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans joined, in order."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def informant_spans(transcript: Transcript) -> list[tuple[int, int]]:
    """The spoken text of informant turns (all turns when no informant turn exists)."""
    spans = [(t.start, t.end) for t in transcript.turns if not t.is_interviewer and t.end > t.start]
    if not spans:
        spans = [(t.start, t.end) for t in transcript.turns if t.end > t.start]
    return spans


def transcript_progress(transcript: Transcript, codings: Iterable[Coding]) -> TranscriptProgress:
    """How much of the informants' speech in `transcript` the codings cover."""
    codings = [c for c in codings if c.transcript == transcript.id]
    speech = informant_spans(transcript)
    total = sum(b - a for a, b in speech)
    coded = 0
    for start, end in merge_spans((c.start, c.end) for c in codings):
        for a, b in speech:
            if a < end and start < b:
                coded += min(b, end) - max(a, start)
    return TranscriptProgress(len(codings), coded, total)


def study_progress(
    study, coders: Iterable[str], transcripts: Iterable[Transcript] | None = None
) -> dict[str, dict[str, TranscriptProgress]]:
    """Progress per transcript id and coder, reading each coder's file once.

    Opens its own connections, so it may run in a background thread.
    """
    transcripts = list(transcripts if transcripts is not None else study.transcripts)
    out: dict[str, dict[str, TranscriptProgress]] = {t.id: {} for t in transcripts}
    for coder in coders:
        if not study.coder_path(coder).exists():
            continue
        with study.store(coder) as store:
            by_transcript: dict[str, list[Coding]] = {}
            for coding in store.codings():
                by_transcript.setdefault(coding.transcript, []).append(coding)
        for transcript in transcripts:
            found = by_transcript.get(transcript.id, [])
            out[transcript.id][coder] = transcript_progress(transcript, found)
    return out


def code_counts(codings: Iterable[Coding]) -> Counter[str]:
    """How many codings each code has."""
    return Counter(c.code for c in codings)


def rolled_up(codebook: Codebook, counts: Counter[str]) -> dict[str, int]:
    """Each code's count plus the counts of every code below it."""
    totals: dict[str, int] = {}
    for code in reversed(list(codebook.walk())):
        totals[code.id] = counts.get(code.id, 0) + sum(totals[c.id] for c in code.children)
    return totals


def usage_by_coder(study, coders: Iterable[str]) -> dict[str, Counter[str]]:
    """Codings per code for each coder (own connections: safe in a background thread)."""
    usage: dict[str, Counter[str]] = {}
    for coder in coders:
        if not study.coder_path(coder).exists():
            continue
        with study.store(coder) as store:
            usage[coder] = code_counts(store.codings())
    return usage


def recent_codes(codings: Iterable[Coding], limit: int = 9) -> list[str]:
    """The codes used most recently, newest first, each once."""
    ordered = sorted(codings, key=lambda c: (c.modified, c.created), reverse=True)
    out: list[str] = []
    for coding in ordered:
        if coding.code not in out:
            out.append(coding.code)
            if len(out) == limit:
                break
    return out
