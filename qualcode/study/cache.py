"""A disk cache of parsed study files, so reopening a large study is quick.

Parsing YAML front matter and codebooks with positions (for messages) is the slow part of
opening a study. The results are kept as JSON in `<study>/.qualcode/cache/`, each keyed by the
source file's size and modification time and by qualcode's version; a changed file is simply
parsed again. The folder can be deleted at any time. JSON (not pickle) keeps the cache harmless
if a study folder comes from someone else.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from qualcode import __version__
from qualcode.study.codebook import Code, Codebook, Keyword
from qualcode.study.problems import Problem

CACHE_DIR = Path(".qualcode") / "cache"


def file_key(paths: list[Path]) -> list[list[Any]]:
    """What identifies the state of some files: name, size and modification time."""
    out = []
    for path in paths:
        stat = path.stat()
        out.append([str(path.name), stat.st_size, stat.st_mtime_ns])
    return out


class ParseCache:
    """Load and store JSON-able results for a study, keyed by the files they came from."""

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_DIR

    def get(self, name: str, key: Any) -> Any | None:
        path = self.folder / f"{name}.json"
        try:
            with path.open(encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        if data.get("version") != __version__ or data.get("key") != key:
            return None
        return data.get("value")

    def put(self, name: str, key: Any, value: Any) -> None:
        path = self.folder / f"{name}.json"
        payload = json.dumps({"version": __version__, "key": key, "value": value}, ensure_ascii=False)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(payload, encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            # A read-only study folder simply goes without a cache; nothing is lost.
            return


def problems_to_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.to_dict() for p in problems]


def problems_from_json(items: list[dict[str, Any]]) -> list[Problem]:
    return [
        Problem(
            severity=item["severity"],
            kind=item["kind"],
            message=item["message"],
            path=Path(item["path"]) if item["path"] else None,
            line=item["line"],
            column=item["column"],
            hint=item["hint"],
        )
        for item in items
    ]


def codebook_to_json(book: Codebook) -> dict[str, Any]:
    def code(c: Code) -> dict[str, Any]:
        return {
            "id": c.id,
            "labels": c.labels,
            "description": c.description,
            "inclusion": c.inclusion,
            "exclusion": c.exclusion,
            "examples": c.examples,
            "keywords": [[k.term, k.weight] for k in c.keywords],
            "negative_keywords": [[k.term, k.weight] for k in c.negative_keywords],
            "colour": c.colour,
            "parent_id": c.parent_id,
            "codebook_id": c.codebook_id,
            "path": str(c.path) if c.path else None,
            "line": c.line,
            "children": [code(child) for child in c.children],
        }

    return {
        "id": book.id,
        "title": book.title,
        "description": book.description,
        "paths": [str(p) for p in book.paths],
        "roots": [code(c) for c in book.roots],
    }


def codebook_from_json(data: dict[str, Any]) -> Codebook:
    def code(d: dict[str, Any]) -> Code:
        return Code(
            id=d["id"],
            labels=d["labels"],
            description=d["description"],
            inclusion=d["inclusion"],
            exclusion=d["exclusion"],
            examples=d["examples"],
            keywords=[Keyword(t, w) for t, w in d["keywords"]],
            negative_keywords=[Keyword(t, w) for t, w in d["negative_keywords"]],
            colour=d["colour"],
            parent_id=d["parent_id"],
            codebook_id=d["codebook_id"],
            path=Path(d["path"]) if d["path"] else None,
            line=d["line"],
            children=[code(child) for child in d["children"]],
        )

    return Codebook(
        id=data["id"],
        title=data["title"],
        description=data["description"],
        roots=[code(c) for c in data["roots"]],
        paths=[Path(p) for p in data["paths"]],
    )
