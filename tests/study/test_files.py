"""Files qualcode writes: whole or not at all, with the permissions a researcher expects."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from qualcode.study.files import write_atomic

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX matter")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_mode_the_users_umask_gives(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "agreement.md", "# Agreement\n")
        os.umask(0o002)
        write_atomic(tmp_path / "quotes.csv", "code,quote\n")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "agreement.md") == 0o644
    assert _mode(tmp_path / "quotes.csv") == 0o664
    assert (tmp_path / "quotes.csv").read_text(encoding="utf-8") == "code,quote\n"


def test_a_replaced_file_keeps_its_own_mode(tmp_path: Path) -> None:
    path = tmp_path / "qualcode.yaml"
    path.write_text("name: x\n", encoding="utf-8")
    path.chmod(0o600)
    write_atomic(path, "name: y\n")
    assert _mode(path) == 0o600
    assert path.read_text(encoding="utf-8") == "name: y\n"
    assert [p.name for p in tmp_path.iterdir()] == ["qualcode.yaml"]
