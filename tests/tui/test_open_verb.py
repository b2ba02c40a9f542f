"""`qualcode open` and `qualcode` alone: which study, which coder, and clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.cli.main import main
from qualcode.tui import app as app_module


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, str | None, str | None]]:
    """Record the workbenches the command line starts instead of taking over the terminal."""
    started: list[tuple[Path, str | None, str | None]] = []

    def run(self, *args, **kwargs) -> int:
        started.append((self.root, self.coder, self.start_transcript))
        return 0

    monkeypatch.setattr(app_module.QualcodeApp, "run", run)
    return started


def test_open_starts_the_workbench_on_the_study(study_path: Path, opened) -> None:
    assert main(["open", str(study_path), "--coder", "ingrid", "--transcript", "t01-bedrift"]) == 0
    assert opened == [(study_path.resolve(), "ingrid", "t01-bedrift")]


def test_qualcode_alone_opens_the_study_it_is_run_in(
    study_path: Path, opened, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(study_path)
    assert main([]) == 0
    assert opened == [(study_path.resolve(), None, None)]


def test_qualcode_alone_elsewhere_prints_help(
    tmp_path: Path, opened, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([]) == 2
    assert "usage: qualcode" in capsys.readouterr().out
    assert opened == []


def test_open_refuses_a_folder_that_is_not_a_study(
    tmp_path: Path, opened, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["open", str(tmp_path)]) == 2
    assert "not a qualcode study" in capsys.readouterr().err
    assert opened == []


def test_open_refuses_a_coder_name_that_cannot_be_a_file(
    study_path: Path, opened, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["open", str(study_path), "--coder", "two words"]) == 2
    assert "cannot be used as a coder name" in capsys.readouterr().err
    assert opened == []
