"""Bringing a `.qdc` codebook (or a `.qdpx` project's codebook) into a study.

The codebook becomes a new YAML file in codebooks/. When its codes carry `qualcode id:` lines
that the study already uses, it is a codebook the study already has, back from another program:
it is then refused, naming every codebook file that has those ids, unless the researcher asks
to replace them. Replacing moves those files to codebooks/replaced/, keeps every id (so codings
stay with their codes), keeps the keywords REFI-QDA cannot carry, and changes the `codebooks:`
list of qualcode.yaml to match. Nothing is written until everything has been checked, and a
failure while writing puts every file back as it was.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ruamel.yaml.comments import CommentedSeq

from qualcode.errors import CodebookError, ConfigError, ImportFileError, StoreError, StudyError
from qualcode.exchange.archive import check_file
from qualcode.exchange.codebook_yaml import CodeEntry, render_codebook
from qualcode.exchange.descriptions import split_description
from qualcode.exchange.ids import slug, unique
from qualcode.exchange.refi_codebook import RefiCode, assign_ids, read_codebook_file, walk
from qualcode.study.codebook import ID_PATTERN, Code, read_codebooks
from qualcode.study.config import CONFIG_NAME, read_config
from qualcode.study.config_edit import change_codebooks_list
from qualcode.study.files import write_atomic
from qualcode.study.problems import raise_first_error
from qualcode.study.study import CODEBOOKS_DIR, CODER_NAME, CODINGS_DIR, Study
from qualcode.study.yamlfile import item_position, read_yaml_file
from qualcode.wording import joined, plural

REPLACED_DIR = "replaced"
"""Where replaced codebook files are kept, inside codebooks/."""
_SHOWN = 4
"""How many ids a message names before it says how many more there are."""


@dataclass
class CodebookImport:
    """What `import_codebook` wrote."""

    path: Path
    codes: int
    kept_ids: int
    added_to_config: bool
    """Whether the `codebooks:` list of qualcode.yaml was changed to name the new file."""
    replaced: list[Path] = field(default_factory=list)
    """Codebook files this one replaced, where they were."""
    kept_in: list[Path] = field(default_factory=list)
    """Where each replaced file is now (in codebooks/replaced/)."""
    unlisted: list[str] = field(default_factory=list)
    """Names taken off the `codebooks:` list because their files were no longer there."""
    remarks: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "codes": self.codes,
            "kept_ids": self.kept_ids,
            "added_to_config": self.added_to_config,
            "replaced": [str(p) for p in self.replaced],
            "kept_in": [str(p) for p in self.kept_in],
            "unlisted": self.unlisted,
            "remarks": self.remarks,
        }


@dataclass
class _StudyCodebooks:
    """The codebooks a study uses, as qualcode.yaml and codebooks/ say."""

    root: Path
    paths: list[Path]
    """The codebook files that exist, in the order the study reads them."""
    missing: list[str]
    """Names on the `codebooks:` list whose files are not in codebooks/."""
    codes: dict[str, Code]
    """Every code of those files, by id (each knows its file)."""

    def owners(self, ids: Iterable[str]) -> dict[Path, list[str]]:
        """The files that hold any of `ids`, in reading order, each with the ids it holds."""
        found: dict[Path, list[str]] = {path: [] for path in self.paths}
        for code_id in ids:
            code = self.codes.get(code_id)
            if code is not None and code.path in found:
                found[code.path].append(code_id)
        return {path: held for path, held in found.items() if held}


def import_codebook(
    study_dir: str | Path, source: str | Path, skip_problems: bool = False, replace: bool = False
) -> CodebookImport:
    """Add the codebook of a `.qdc` (or of a `.qdpx` project) to a study as a new YAML file.

    Args:
        study_dir: the study folder.
        source: the `.qdc` or `.qdpx` file.
        skip_problems: read a file that breaks the REFI-QDA schema as far as it can be read.
        replace: replace the study's codebook files that have codes with this codebook's
            `qualcode id:` ids, and take files that no longer exist off the `codebooks:` list.

    Raises:
        QualcodeError: the file cannot be read or is empty; the codebook file would overwrite
            one that exists; without `replace`, the study already has this codebook's ids or
            its `codebooks:` list names missing files; with `replace`, codings use codes that
            the new codebook no longer has. Nothing is written then.
    """
    root, source = Path(study_dir), Path(source)
    study = _read_study_codebooks(root)
    roots, remarks = _read_codes(source, skip_problems)
    target = root / CODEBOOKS_DIR / f"{slug(source.stem, keep='_') or 'imported'}.yaml"
    replaced, missing = _files_to_replace(study, roots, target, source, replace)
    ids = assign_ids(roots, {i for i, code in study.codes.items() if code.path not in replaced})
    remarks += _carry_over(ids.entries, [c for c in study.codes.values() if c.path in replaced],
                           root, source)
    if replace and not replaced and not missing:
        remarks.append(f"No codebook of the study has the ids of {source.name}, so nothing was "
                       "replaced: it was added beside the others.")
    config_path = root / CONFIG_NAME
    config_text = config_path.read_text(encoding="utf-8")
    new_config = change_codebooks_list(
        config_text, config_path, target.name, [p.name for p in replaced] + missing
    )
    changed = new_config != config_text
    kept = [path for path in study.paths if path not in replaced]
    kept_in = _write_all(target, _codebook_text(target, source, ids.entries), replaced, kept,
                         config_path, new_config if changed else None)
    return CodebookImport(target, len(ids.by_guid), ids.kept, changed, replaced, kept_in,
                          missing, remarks)


def _read_codes(source: Path, skip_problems: bool) -> tuple[list[RefiCode], list[str]]:
    """The codes of the file, and a remark when it breaks the schema."""
    check_file(source)
    roots, remark = read_codebook_file(source, skip_problems)
    if not roots:
        raise ImportFileError(
            "The codebook has no codes.", path=source, hint="Export it again with its codes."
        )
    return roots, [remark] if remark else []


def _files_to_replace(
    study: _StudyCodebooks, roots: list[RefiCode], target: Path, source: Path, replace: bool
) -> tuple[list[Path], list[str]]:
    """The codebook files the new one replaces, and the listed names to take off the list
    (files no longer there); without `replace`, refuse when there are any."""
    covered = study.owners(_written_ids(roots))
    missing = [name for name in study.missing if name != target.name]
    if not replace:
        _refuse_codebooks_it_has(covered, study.root, source)
        _refuse_missing_files(missing, study.root, source)
    replaced = list(covered)
    _refuse_overwriting(target, replaced)
    return replaced, missing


def _carry_over(entries: list[CodeEntry], old_codes: list[Code], root: Path,
                source: Path) -> list[str]:
    """Check the new codes against those they replace and keep their keywords; remarks."""
    new_ids = {entry.id for entry in _walk_entries(entries)}
    lost = [code.id for code in old_codes if code.id not in new_ids]
    _refuse_losing_coded_codes(lost, root, source)
    return [*_keep_keywords(entries, {code.id: code for code in old_codes}),
            *_codes_left_out(lost)]


def _read_study_codebooks(root: Path) -> _StudyCodebooks:
    """The study's settings, its codebook files (found and missing) and their codes."""
    if not (root / CONFIG_NAME).is_file():
        raise StudyError(
            f"This folder is not a qualcode study: it has no {CONFIG_NAME}.",
            path=root,
            hint=f"Create one with `qualcode init {shlex.quote(str(root))} --codebook none`, "
            "then import the codebook into it.",
        )
    config, problems = read_config(root)
    raise_first_error(problems, StudyError)
    assert config is not None
    paths = Study._codebook_paths(root, config, [])
    found = {path.name for path in paths}
    missing = [name for name in config.codebooks if name not in found]
    book, _problems = read_codebooks(paths)
    codes = {code.id: code for code in book.walk()} if book else {}
    return _StudyCodebooks(root, paths, missing, codes)


def _written_ids(roots: list[RefiCode]) -> list[str]:
    """The ids of the codebook's `qualcode id:` lines, in the file's order."""
    found = (split_description(code.description).code_id for code in walk(roots))
    return [code_id for code_id in found if code_id and ID_PATTERN.match(code_id)]


def _refuse_codebooks_it_has(covered: dict[Path, list[str]], root: Path, source: Path) -> None:
    if not covered:
        return
    files = _names([path.name for path in covered])
    lines = "".join(
        f"\n  - {path.name}: {plural(len(held), 'code')} ({_some(held)})"
        for path, held in covered.items()
    )
    one = len(covered) == 1
    raise CodebookError(
        "The study already has codes with the ids of this codebook: it is a codebook the study "
        f"has, back from another program. {'This file has' if one else 'These files have'} "
        f"them:{lines}",
        path=source,
        hint=f"To replace {files} with this codebook, run `{_command(root, source)} --replace`. "
        f"{'It is' if one else 'They are'} then moved to {root / CODEBOOKS_DIR / REPLACED_DIR}, "
        "every code keeps its id and codings stay with their codes.",
    )


def _refuse_missing_files(missing: list[str], root: Path, source: Path) -> None:
    if not missing:
        return
    config_path = root / CONFIG_NAME
    raise ConfigError(
        f"qualcode.yaml lists {_these_codebooks(missing)} under `codebooks:`, but "
        f"{'it is' if len(missing) == 1 else 'they are'} not in {root / CODEBOOKS_DIR}: "
        f"{_names(missing)}.",
        path=config_path,
        line=_line_of_listed(config_path, missing[0]),
        hint=f"If this codebook takes {'its' if len(missing) == 1 else 'their'} place, run "
        f"`{_command(root, source)} --replace`: {_names(missing)} "
        f"{'is' if len(missing) == 1 else 'are'} then taken off the list. Otherwise put "
        f"{'the file' if len(missing) == 1 else 'the files'} back in codebooks/, or take "
        f"{'it' if len(missing) == 1 else 'them'} off the list yourself.",
    )


def _line_of_listed(config_path: Path, name: str) -> int | None:
    """The line of qualcode.yaml on which `name` is listed under `codebooks:`."""
    listed = read_yaml_file(config_path, ConfigError).get("codebooks")
    if not isinstance(listed, CommentedSeq):
        return None
    index = next((i for i, item in enumerate(listed) if str(item) == name), None)
    return item_position(listed, index)[0] if index is not None else None


def _refuse_losing_coded_codes(lost: list[str], root: Path, source: Path) -> None:
    """Refuse to replace a codebook when codings use codes the new one no longer has (`lost`)."""
    used = _codings_per_code(root, set(lost))
    if not used:
        return
    lines = "".join(f"\n  - `{code_id}`: {plural(count, 'coding')}"
                    for code_id, count in used.items())
    raise CodebookError(
        f"This codebook lacks {plural(len(used), 'code')} of the codebooks it would replace, "
        f"and codings use {'it' if len(used) == 1 else 'them'}:{lines}",
        path=source,
        hint="Put the codes back in the other program (their descriptions need their "
        "`qualcode id:` lines) and export the codebook again, or recode those codings in "
        "qualcode first. Nothing was changed.",
    )


def _codings_per_code(root: Path, code_ids: set[str]) -> dict[str, int]:
    """How many codings of every coder use each of `code_ids` (files that cannot be read are
    left to `qualcode check`)."""
    from qualcode.store.coder_store import CoderStore

    counts: dict[str, int] = {}
    folder = root / CODINGS_DIR
    if not code_ids or not folder.is_dir():
        return counts
    for path in sorted(folder.glob("*.db")):
        if not CODER_NAME.match(path.stem):
            continue
        try:
            with CoderStore.open(path, coder=path.stem, read_only=True) as store:
                codings = store.codings(code=sorted(code_ids))
        except StoreError:
            continue
        for coding in codings:
            counts[coding.code] = counts.get(coding.code, 0) + 1
    return dict(sorted(counts.items()))


def _refuse_overwriting(target: Path, replaced: list[Path]) -> None:
    if target.exists() and target not in replaced:
        raise StudyError(
            f"The study already has a codebook file `{target.name}`; it was not overwritten.",
            path=target,
            hint="Rename the file you import, or move the existing codebook away first.",
        )


def _keep_keywords(entries: list[CodeEntry], old: dict[str, Code]) -> list[str]:
    """Give the new codes the keywords of the codes they replace (REFI-QDA drops them)."""
    given = 0
    for entry in _walk_entries(entries):
        code = old.get(entry.id)
        if code is not None and (code.keywords or code.negative_keywords):
            entry.keywords = list(code.keywords)
            entry.negative_keywords = list(code.negative_keywords)
            given += 1
    if not given:
        return []
    whose = "its" if given == 1 else "their"
    return [f"{plural(given, 'code')} kept {whose} keywords from the replaced codebook files."]


def _codes_left_out(lost: list[str]) -> list[str]:
    if not lost:
        return []
    one = len(lost) == 1
    remark = (
        f"{plural(len(lost), 'code')} of the replaced codebook files {'is' if one else 'are'} "
        f"not in the new one, and no coding uses {'it' if one else 'them'}: {_some(lost)}."
    )
    return [remark]


def _walk_entries(entries: list[CodeEntry]) -> Iterable[CodeEntry]:
    for entry in entries:
        yield entry
        yield from _walk_entries(entry.children)


def _codebook_text(target: Path, source: Path, entries: list[CodeEntry]) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    return render_codebook(
        target.stem, source.stem, f"Imported from {source.name}.", entries,
        f"Imported from {source.name} on {stamp} by `qualcode refi import-codebook`.\n"
        "Ids were made from the code names; change labels freely, but keep ids stable once "
        "coding has started.",
    )


def _write_all(
    target: Path,
    text: str,
    replaced: list[Path],
    kept: list[Path],
    config_path: Path,
    config_text: str | None,
) -> list[Path]:
    """Move the replaced files away, write the codebook and qualcode.yaml; on any failure put
    everything back. Returns where the replaced files are now."""
    undo: list[Callable[[], None]] = []
    kept_in: list[Path] = []
    try:
        for path in replaced:
            kept_in.append(_put_aside(path, undo))
        write_atomic(target, text)
        undo.append(lambda: target.unlink(missing_ok=True))
        _validate(target, kept)
        if config_text is not None:
            write_atomic(config_path, config_text)
    except BaseException:
        for step in reversed(undo):
            step()
        raise
    return kept_in


def _put_aside(path: Path, undo: list[Callable[[], None]]) -> Path:
    """Move a replaced codebook file into codebooks/replaced/ under a name not yet taken."""
    folder = path.parent / REPLACED_DIR
    if not folder.is_dir():
        folder.mkdir()
        undo.append(lambda: _remove_if_empty(folder))
    taken = {p.stem for p in folder.iterdir()}
    aside = folder / f"{unique(path.stem, taken)}{path.suffix}"
    os.replace(path, aside)
    undo.append(lambda: os.replace(aside, path))
    return aside


def _remove_if_empty(folder: Path) -> None:
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def _validate(target: Path, others: list[Path]) -> None:
    """Read the new file as the study will (ids unique across all codebooks)."""
    _book, problems = read_codebooks([*others, target])
    raise_first_error([p for p in problems if p.path == target], CodebookError)


def _command(root: Path, source: Path) -> str:
    return f"qualcode refi import-codebook {shlex.quote(str(root))} {shlex.quote(str(source))}"


def _some(ids: list[str]) -> str:
    """`a`, `b`, `c`, `d` and 5 more."""
    if len(ids) <= _SHOWN + 1:
        return ", ".join(f"`{code_id}`" for code_id in ids)
    shown = ", ".join(f"`{code_id}`" for code_id in ids[:_SHOWN])
    return f"{shown} and {len(ids) - _SHOWN} more"


def _names(names: list[str]) -> str:
    return joined(f"`{name}`" for name in names)


def _these_codebooks(names: list[str]) -> str:
    return "a codebook" if len(names) == 1 else plural(len(names), "codebook")
