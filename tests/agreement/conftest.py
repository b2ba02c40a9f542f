"""Fixtures for the agreement tests: a tiny study worked out on paper (see agreement_study)."""

from __future__ import annotations

from pathlib import Path

import pytest
from agreement_study import CODINGS, make_study

from qualcode.study import Study


@pytest.fixture
def tiny(tmp_path: Path) -> Study:
    """Ingrid and Jonas on t1 and t2 (t3 coded by Ingrid only); see CODINGS."""
    return make_study(tmp_path / "tiny", CODINGS)
