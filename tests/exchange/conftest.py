"""Helpers for the exchange tests: the REFI-QDA schemas, and small projects built by hand the
way other programs write them."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from refi_helpers import SCHEMAS


@pytest.fixture
def schema() -> Callable[[str], object]:
    """`schema("Project")` or `schema("Codebook")`: the REFI-QDA schema as an lxml XMLSchema."""

    def load(name: str) -> object:
        return etree.XMLSchema(etree.parse(str(SCHEMAS / f"{name}.xsd")))

    return load


@pytest.fixture
def make_qdpx(tmp_path: Path) -> Callable[..., Path]:
    """Write a .qdpx from a .qde text and {path in zip: text or bytes}."""

    def make(qde: str, files: dict[str, str | bytes] | None = None,
             qde_name: str = "project.qde", name: str = "project.qdpx") -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(qde_name, qde.encode("utf-8"))
            for entry, content in (files or {}).items():
                archive.writestr(entry, content.encode("utf-8") if isinstance(content, str)
                                 else content)
        return path

    return make
