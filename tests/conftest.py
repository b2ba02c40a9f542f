"""Shared fixtures: a fresh copy of the demo study, and isolation from the user's own settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.study import Study
from qualcode.study.create import create_demo


@pytest.fixture(autouse=True)
def _isolated_user_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's own qualcode settings and caches out of every test."""
    home = tmp_path_factory.mktemp("user-settings")
    monkeypatch.setenv("QUALCODE_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("QUALCODE_CACHE_DIR", str(home / "cache"))


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo-template") / "demo"
    create_demo(root)
    return root


@pytest.fixture
def demo_path(_demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo study (with its coders' codings) for one test."""
    import shutil

    target = tmp_path / "demo"
    shutil.copytree(_demo_template, target)
    return target


@pytest.fixture
def demo_study(demo_path: Path) -> Study:
    return Study.open(demo_path)
