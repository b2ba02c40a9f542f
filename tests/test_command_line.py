"""The `qualcode` command as a shell user meets it: pipes closed early and files the system refuses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.cli.main import main


def _qualcode(*args: str) -> list[str]:
    return [sys.executable, "-m", "qualcode", *args]


def test_output_piped_into_a_reader_that_stops_early_ends_quietly(demo_path: Path) -> None:
    """`qualcode suggest ... --json | head -1` must not end in a traceback."""
    writer = subprocess.Popen(
        _qualcode("suggest", str(demo_path), "--json"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert writer.stdout is not None
    writer.stdout.readline()
    writer.stdout.close()  # the reader goes away, as `head` does
    _, err = writer.communicate(timeout=120)
    assert writer.returncode == 0
    assert b"Traceback" not in err
    assert b"BrokenPipeError" not in err


def test_a_file_the_system_refuses_is_explained_not_a_traceback(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A transcript that turned into a folder (a sync tool's mishap) is named, with what to do."""
    broken = demo_path / "transcripts" / "nb-05-fylkeskoordinator.md"
    broken.unlink()
    broken.mkdir()
    code = main(["check", str(demo_path)])
    shown = capsys.readouterr()
    assert code in (1, 2)
    unwrapped = "".join((shown.out + shown.err).split())  # the terminal may wrap a long path
    assert "nb-05-fylkeskoordinator.md" in unwrapped
    assert "Traceback" not in shown.err


@pytest.mark.parametrize(
    "words",
    [
        ["suggest", "{demo}", "--coder", "zed", "--json"],
        ["agreement", "{demo}", "--coders", "ingrid,zed", "--json"],
        ["disagreements", "{demo}", "--coders", "ingrid", "--json"],
        ["export", "quotes", "{demo}", "--out", "{demo}/informants.csv", "--json"],
        ["matrix", "{demo}", "--coder", "ingrid", "--cols", "rolle", "--json"],
        ["refi", "import", "{demo}/missing.qdpx", "{demo}-new", "--json"],
        ["agreement", "{demo}", "--no-such-option", "--json"],
    ],
    ids=["suggest", "agreement", "disagreements", "export", "matrix", "refi", "usage"],
)
def test_with_json_a_mistake_is_also_told_as_json(
    demo_path: Path, capsys: pytest.CaptureFixture[str], words: list[str]
) -> None:
    """A program reading `--json` output learns what went wrong; a person still reads stderr."""
    import json

    code = main([w.replace("{demo}", str(demo_path)) for w in words])
    shown = capsys.readouterr()
    assert code == 2
    error = json.loads(shown.out)["error"]
    assert error["message"] and error["hint"]
    assert error["message"].split()[0] in shown.err  # the same explanation, for a person
    assert "Traceback" not in shown.err
