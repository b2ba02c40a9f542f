"""Coding progress, code usage, recent codes, and the lock that keeps windows apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from qualcode.store.lock import CoderLock
from qualcode.store.progress import (
    merge_spans,
    recent_codes,
    rolled_up,
    study_progress,
    transcript_progress,
    usage_by_coder,
)
from qualcode.study import Study


def test_progress_counts_informant_speech_covered_once(study_path: Path) -> None:
    study = Study.open(study_path)
    transcript = study.transcript("t01-bedrift")
    with study.store("ingrid") as store:
        codings = store.codings(transcript="t01-bedrift")
    progress = transcript_progress(transcript, codings)
    spoken = sum(t.end - t.start for t in transcript.turns if not t.is_interviewer)
    covered = sum(b - a for a, b in merge_spans((c.start, c.end) for c in codings))
    assert (progress.codings, progress.total, progress.coded) == (5, spoken, covered)
    assert 0 < progress.percent < 100
    everything = study_progress(study, ["ingrid", "nobody"])
    assert everything["t01-bedrift"]["ingrid"] == progress
    assert "nobody" not in everything["t01-bedrift"]


def test_merge_spans_joins_overlaps() -> None:
    assert merge_spans([(5, 9), (0, 3), (2, 6), (12, 14)]) == [(0, 9), (12, 14)]


def test_usage_rolls_up_to_parent_codes(study_path: Path) -> None:
    study = Study.open(study_path)
    usage = usage_by_coder(study, ["ingrid"])
    assert usage["ingrid"] == Counter({"distance.geographic": 2, "motivation.recruitment": 1,
                                       "motivation.social-responsibility": 1, "distance": 1,
                                       "distance.cognitive": 1})
    totals = rolled_up(study.codebook, usage["ingrid"])
    assert totals["distance"] == 4 and totals["motivation"] == 2


def test_recent_codes_are_newest_first_and_unique(study_path: Path) -> None:
    study = Study.open(study_path)
    with study.store("ingrid") as store:
        transcript = study.transcript("t02-fokusgruppe")
        store.add_coding(transcript, 0, 5, "motivation.recruitment")
        codings = store.codings()
    recent = recent_codes(codings, limit=3)
    assert recent[0] == "motivation.recruitment"
    assert len(recent) == len(set(recent)) == 3


def test_a_second_lock_sees_the_first_holder(tmp_path: Path) -> None:
    first, second = CoderLock(tmp_path / "ingrid.lock"), CoderLock(tmp_path / "ingrid.lock")
    assert first.acquire() is None
    holder = second.acquire()
    assert holder is not None and holder.pid == os.getpid()
    assert "process" in holder.describe()
    second.release()  # not the holder: leaves the lock alone
    assert (tmp_path / "ingrid.lock").exists()
    first.release()
    assert not (tmp_path / "ingrid.lock").exists()
    assert second.acquire() is None


def test_a_lock_left_by_a_killed_window_is_taken_over(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    import socket

    path = tmp_path / "ingrid.lock"
    path.write_text(json.dumps({"pid": int(gone.stdout), "host": socket.gethostname(),
                                "since": "2025-01-01T10:00:00", "token": "old"}))
    lock = CoderLock(path)
    assert lock.acquire() is None
    assert json.loads(path.read_text())["pid"] == os.getpid()
