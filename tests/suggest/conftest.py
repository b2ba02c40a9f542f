"""Fixtures of the suggestion tests: the tiny study (see tiny_study.py), fresh for each test."""

from __future__ import annotations

from pathlib import Path

import pytest
from tiny_study import make_study

from qualcode.study import Study


@pytest.fixture
def tiny_path(tmp_path: Path) -> Path:
    return make_study(tmp_path / "tiny")


@pytest.fixture
def tiny_study(tiny_path: Path) -> Study:
    return Study.open(tiny_path)
