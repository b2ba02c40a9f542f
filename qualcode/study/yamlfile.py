"""Reading the YAML files a researcher edits by hand, keeping line and column for messages.

ruamel.yaml's round-trip loader remembers where every key and item stands, so a problem can be
reported as `codebooks/distance.yaml:14:5`. Lines and columns here are 1-based, as editors show
them.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from qualcode.errors import QualcodeError


def load_yaml_text(
    text: str, path: Path, error: type[QualcodeError], line_offset: int = 0
) -> Any:
    """Parse YAML text, turning syntax errors into `error` with file, line and column.

    Args:
        text: the YAML source.
        path: the file it came from, for messages.
        error: the QualcodeError subclass to raise.
        line_offset: lines before `text` in the file (front matter starts after `---`).
    """
    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        column = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "the YAML could not be read"
        raise error(
            f"YAML syntax error: {problem}",
            path=path,
            line=line,
            column=column,
            hint="Check the indentation and quoting on that line (values containing ': ' need "
            "quotes) and save the file again.",
        ) from None
    except YAMLError as exc:
        raise error(
            f"YAML syntax error: {exc}",
            path=path,
            hint="Fix the YAML and save the file again.",
        ) from None


def read_yaml_file(path: Path, error: type[QualcodeError]) -> Any:
    """Read and parse a YAML file; a missing or undecodable file becomes `error`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(
            "The file does not exist.", path=path, hint="Check the name and the folder."
        ) from None
    except OSError as exc:
        raise error(f"The file cannot be read: {exc.strerror}.", path=path) from None
    return load_yaml_text(decode_utf8(data, path, error), path, error)


def decode_utf8(data: bytes, path: Path, error: type[QualcodeError]) -> str:
    """The text of a file that must be UTF-8 (a byte-order mark is allowed).

    Raises `error` naming the line and column of the first byte that is not UTF-8.
    """
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = byte_position(data, exc.start)
        raise error(
            f"The file is not UTF-8 text: the character at line {line}, column {column} "
            f"(byte {exc.start}) cannot be read. It was probably saved as Windows-1252 "
            "(\"ANSI\") or another older encoding.",
            path=path,
            line=line,
            column=column,
            hint="Open the file in your editor and save it with the encoding UTF-8 (in "
            "Notepad: File > Save As, Encoding: UTF-8), then try again.",
        ) from None


def byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based (line, column) of byte `offset`, counting characters of the line before it."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def key_position(mapping: Any, key: str, line_offset: int = 0) -> tuple[int | None, int | None]:
    """1-based (line, column) of `key` in a round-trip mapping, or (None, None)."""
    if isinstance(mapping, CommentedMap):
        try:
            line, col = mapping.lc.key(key)
            return line + 1 + line_offset, col + 1
        except (KeyError, TypeError):
            pass
        return node_position(mapping, line_offset)
    return None, None


def value_position(mapping: Any, key: str, line_offset: int = 0) -> tuple[int | None, int | None]:
    """1-based (line, column) of the value of `key`, falling back to the key's position."""
    if isinstance(mapping, CommentedMap):
        try:
            line, col = mapping.lc.value(key)
            return line + 1 + line_offset, col + 1
        except (KeyError, TypeError):
            return key_position(mapping, key, line_offset)
    return None, None


def item_position(seq: Any, index: int, line_offset: int = 0) -> tuple[int | None, int | None]:
    """1-based (line, column) of item `index` of a round-trip sequence."""
    if isinstance(seq, CommentedSeq):
        try:
            line, col = seq.lc.item(index)
            return line + 1 + line_offset, col + 1
        except (KeyError, TypeError, IndexError):
            pass
    return None, None


def node_position(node: Any, line_offset: int = 0) -> tuple[int | None, int | None]:
    """1-based (line, column) where a mapping or sequence starts."""
    if isinstance(node, (CommentedMap, CommentedSeq)):
        return node.lc.line + 1 + line_offset, node.lc.col + 1
    return None, None


def nearest_name(name: str, known: Iterable[str]) -> str | None:
    """The known name closest to a misspelt one, if any is close enough to suggest."""
    matches = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return matches[0] if matches else None


def unknown_field_hint(name: str, known: Iterable[str]) -> str:
    """'Did you mean `description`?' or the list of known names."""
    known = sorted(known)
    guess = nearest_name(name, known)
    if guess:
        return f"Did you mean `{guess}`?"
    return "Known fields: " + ", ".join(f"`{k}`" for k in known) + "."


def plain(value: Any) -> Any:
    """Round-trip YAML nodes as plain dicts, lists and scalars."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value
