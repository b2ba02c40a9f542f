"""Adding keywords to a code in its codebook file, keeping the file as the researcher wrote it.

The YAML is read and written round-trip (comments, order, quoting and flow lists are kept); the
indentation is the one that reproduces the unchanged file exactly. The new file is checked as a
codebook before it replaces the old one, and it is written atomically.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from qualcode.errors import CodebookError
from qualcode.study.codebook import Code, read_codebook
from qualcode.study.files import write_atomic
from qualcode.study.yamlfile import load_yaml_text

_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 6, 2), (4, 4, 0), (2, 3, 1), (4, 5, 1))
_BEFORE = ("negative_keywords", "colour", "children")


def _yaml(mapping: int, sequence: int, offset: int) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: YAML, data) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _faithful_yaml(text: str, path: Path) -> YAML:
    """The YAML settings that write this file back unchanged (else the common 2/4/2)."""
    for indent in _INDENTS:
        yaml = _yaml(*indent)
        if _dump(yaml, yaml.load(text)) == text:
            return yaml
    return _yaml(*_INDENTS[0])


def _find(codes, code_id: str) -> CommentedMap | None:
    for node in codes or []:
        if isinstance(node, CommentedMap):
            if str(node.get("id", "")).strip() == code_id:
                return node
            found = _find(node.get("children"), code_id)
            if found is not None:
                return found
    return None


def _terms(seq: CommentedSeq) -> set[str]:
    out = set()
    for item in seq:
        term = item.get("term") if isinstance(item, dict) else item
        if term is not None:
            out.add(str(term).strip().lower())
    return out


def _move_trailing_comment(seq: CommentedSeq, old_last: int, new_last: int) -> None:
    """Keep comment lines that followed the list after it (an end-of-line comment stays put)."""
    entry = seq.ca.items.get(old_last)
    if not entry or entry[0] is None:
        return
    token = entry[0]
    value = token.value
    keep, newline, rest = value.partition("\n")
    if not rest:
        return
    moved = copy.copy(token)
    moved.value = "\n" + rest if keep.strip().startswith("#") else value
    if keep.strip().startswith("#"):
        token.value = keep + newline
    else:
        entry[0] = None
        if not any(entry):
            del seq.ca.items[old_last]
    seq.ca.items[new_last] = [moved, None, None, None]


def add_keywords(code: Code, terms: Sequence[str], weight: float = 1.0) -> list[str]:
    """Add `terms` to the code's `keywords` in its codebook file; returns the terms added.

    Terms the code already has are skipped. Raises CodebookError if the file cannot be read or
    the result would not be a valid codebook (the file is then left as it was).
    """
    if code.path is None:
        raise CodebookError(f"The code `{code.id}` has no codebook file.")
    if weight <= 0:
        raise CodebookError(
            "A keyword's weight must be above 0.", hint="Use a weight such as 0.5, 1 or 2."
        )
    path = Path(code.path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CodebookError(f"The codebook cannot be read: {exc.strerror}.", path=path) from None
    load_yaml_text(text, path, CodebookError)  # a syntax error is reported with its line
    yaml = _faithful_yaml(text, path)
    data = yaml.load(text)
    node = _find(data.get("codes") if isinstance(data, CommentedMap) else None, code.id)
    if node is None:
        raise CodebookError(
            f"The code `{code.id}` is no longer in this file.",
            path=path,
            hint="The file may have been edited since the study was opened; open it again.",
        )
    seq = node.get("keywords")
    if seq is None:
        seq = CommentedSeq()
        keys = list(node.keys())
        where = next((keys.index(k) for k in _BEFORE if k in keys), len(keys))
        node.insert(where, "keywords", seq)
    elif not isinstance(seq, CommentedSeq):
        raise CodebookError(
            f"`keywords` of `{code.id}` is not a list.", path=path, line=code.line,
            hint="Make it a list (`keywords: [avstand]`) and try again.",
        )
    have = _terms(seq)
    added: list[str] = []
    old_last = len(seq) - 1
    for term in terms:
        term = " ".join(str(term).split())
        if not term or term.lower() in have:
            continue
        if weight == 1.0:
            seq.append(term)
        else:
            item = CommentedMap([("term", term), ("weight", weight)])
            item.fa.set_flow_style()
            seq.append(item)
        have.add(term.lower())
        added.append(term)
    if not added:
        return []
    if old_last >= 0 and not seq.fa.flow_style():
        _move_trailing_comment(seq, old_last, len(seq) - 1)
    new_text = _dump(yaml, data)
    _check(new_text, path)
    write_atomic(path, new_text)
    return added


def _check(text: str, path: Path) -> None:
    """Refuse to write text that would not read back as a valid codebook."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / path.name
        trial.write_text(text, encoding="utf-8")
        _book, problems = read_codebook(trial)
    errors = [p for p in problems if p.severity == "error" and p.kind != "duplicate-id"]
    if errors:
        raise CodebookError(
            f"Adding the keywords would make the codebook invalid: {errors[0].message}",
            path=path,
            hint="The file was not changed. Fix the codebook with `qualcode check` first.",
        )
