"""Changing the `codebooks:` list of qualcode.yaml and nothing else in the file.

The file is a researcher's own: its comments, the order of its settings, its quotes and its line
endings stay as they are. The list is edited in ruamel.yaml's round-trip mode, with the
indentation the file already uses, and the result is compared line by line with the original:
if anything besides the list's items would change, the file is left alone and the researcher is
told what to write by hand.
"""

from __future__ import annotations

import copy
import difflib
import io
from collections.abc import Collection
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from qualcode.errors import ConfigError
from qualcode.wording import plural_form

_KEY = "codebooks"
_DEFAULT_INDENT = (4, 2)
"""Where a list item's value and its `-` stand, counted from the key, when the file shows none."""


def change_codebooks_list(text: str, path: Path, add: str, remove: Collection[str] = ()) -> str:
    """The text of qualcode.yaml with `add` in its `codebooks:` list and `remove` taken out.

    The new file name takes the place of the first name removed, or comes right after the last
    item when nothing is removed. A study without a list (or with an empty one) uses every file
    in codebooks/, so its text is returned unchanged.

    Args:
        text: the file's text as read (a byte order mark and Windows line ends are kept).
        path: the file, for messages.
        add: the codebook file name to list.
        remove: file names to take off the list (names not on it are ignored).

    Raises:
        ConfigError: the file cannot be read, or the list cannot be changed without rewriting
            other lines of the file.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    newline = "\r\n" if "\r\n" in text else "\n"
    original = text.removeprefix("\ufeff").replace("\r\n", "\n")
    yaml = _round_trip_yaml()
    data = _load(yaml, original, path)
    if not isinstance(data, CommentedMap) or not data.get(_KEY):
        return text
    names = _listed(data[_KEY])
    wanted = _new_list(names, add, remove)
    if wanted == names:
        return text
    seq = _as_sequence(data)
    sequence, offset = _item_indent(seq, data, original)
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    _edit_items(seq, add, set(remove))
    out = io.StringIO()
    yaml.dump(data, out)
    changed = out.getvalue()
    if not _only_the_list_changed(original, changed, {*names, add}) or (
        _listed(yaml.load(changed)[_KEY]) != wanted
    ):
        raise _cannot_edit(path, add, [name for name in names if name in remove])
    return bom + changed.replace("\n", newline)


def _round_trip_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the researcher wrote on one
    return yaml


def _load(yaml: YAML, text: str, path: Path) -> Any:
    try:
        return yaml.load(text)
    except YAMLError as exc:
        raise ConfigError(
            f"qualcode.yaml cannot be read: {exc}",
            path=path,
            hint="Run `qualcode check` to see what is wrong, fix it and try again.",
        ) from None


def _listed(value: object) -> list[str]:
    return [value] if isinstance(value, str) else [str(name) for name in value]  # type: ignore[attr-defined]


def _new_list(names: list[str], add: str, remove: Collection[str]) -> list[str]:
    """The list as it should read afterwards."""
    kept = [name for name in names if name not in remove]
    if add in kept:
        return kept
    removed_at = next((i for i, name in enumerate(names) if name in remove), None)
    if removed_at is None:
        return [*kept, add]
    before = sum(1 for name in names[:removed_at] if name not in remove)
    return [*kept[:before], add, *kept[before:]]


def _as_sequence(data: CommentedMap) -> CommentedSeq:
    """The list itself; `codebooks: one.yaml` becomes a list of one."""
    value = data[_KEY]
    if not isinstance(value, CommentedSeq):
        value = CommentedSeq([value])
        data[_KEY] = value
    return value


def _item_indent(seq: CommentedSeq, data: CommentedMap, text: str) -> tuple[int, int]:
    """How far the first item's value and its `-` stand from the `codebooks:` key."""
    try:
        line, value_column = seq.lc.item(0)
        key_column = data.lc.key(_KEY)[1]
    except (AttributeError, KeyError, IndexError, TypeError):
        return _DEFAULT_INDENT
    item_line = text.split("\n")[line]
    dash = item_line.rfind("-", 0, value_column)
    if seq.fa.flow_style() or dash < key_column:
        return _DEFAULT_INDENT
    return value_column - key_column, dash - key_column


def _edit_items(seq: CommentedSeq, add: str, remove: set[str]) -> None:
    """Put `add` where the first removed item was (or after the last one) and drop the rest,
    keeping every comment line in its place."""
    names = [str(name) for name in seq]
    removing = [i for i, name in enumerate(names) if name in remove]
    already_listed = add in [name for name in names if name not in remove]
    if not removing:
        if not already_listed:
            seq.append(add)
            _move_comment_lines(seq, len(seq) - 2, len(seq) - 1)
        return
    first, *others = removing
    for index in reversed(others):
        _move_comment_lines(seq, index, index - 1)
        del seq[index]
    if already_listed:
        _move_comment_lines(seq, first, first - 1)
        del seq[first]
    else:
        seq[first] = add
        _drop_end_of_line_comment(seq, first)


def _move_comment_lines(seq: CommentedSeq, source: int, target: int) -> None:
    """Give the comment lines that follow item `source` to item `target`.

    ruamel.yaml keeps the comment lines between two items (or after the last one) with the item
    before them, together with that item's own end-of-line comment. The end-of-line comment
    stays; the lines below it move, so they stay where they stand in the file.
    """
    if target < 0:
        return
    slot = seq.ca.items.get(source)
    token = slot[0] if slot else None
    if token is None:
        return
    own_line, _, following = token.value.partition("\n")
    if not following:
        return
    token.value = own_line + "\n"
    target_slot = seq.ca.items.setdefault(target, [None, None, None, None])
    if target_slot[0] is None:
        moved = copy.copy(token)
        moved.value = "\n" + following
        target_slot[0] = moved
    else:
        target_slot[0].value += following


def _drop_end_of_line_comment(seq: CommentedSeq, index: int) -> None:
    """Take away the comment written on item `index`'s own line (it spoke of the old name)."""
    slot = seq.ca.items.get(index)
    if slot and slot[0] is not None:
        slot[0].value = "\n" + slot[0].value.partition("\n")[2]


def _only_the_list_changed(original: str, changed: str, names: set[str]) -> bool:
    """Whether every line that differs is an item of the list (or the `codebooks:` line)."""
    before, after = original.split("\n"), changed.split("\n")
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    return all(
        _is_list_line(line, names)
        for tag, a1, a2, b1, b2 in matcher.get_opcodes()
        if tag != "equal"
        for line in before[a1:a2] + after[b1:b2]
    )


def _is_list_line(line: str, names: set[str]) -> bool:
    stripped = line.strip()
    if stripped.startswith(f"{_KEY}:"):
        return True
    if not stripped.startswith("- "):
        return False
    name = stripped[2:].split(" #")[0].strip().strip("'\"")
    return name in names


def _cannot_edit(path: Path, add: str, removed: list[str]) -> ConfigError:
    steps = f"add the line `  - {add}`"
    if removed:
        steps += f" and delete the {plural_form(len(removed), 'line', 'lines')} of "
        steps += ", ".join(f"`{name}`" for name in removed)
    return ConfigError(
        "qualcode cannot change the `codebooks:` list in qualcode.yaml without rewriting other "
        "lines of the file (their indentation or layout), so nothing was changed.",
        path=path,
        hint=f"Under `codebooks:` in qualcode.yaml, {steps} yourself, then run the command again.",
    )
