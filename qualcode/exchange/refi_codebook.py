"""A study's codebook to and from REFI-QDA `.qdc` (the `CodeBook` XML).

Export: one `<Code>` per code, in the study's tree. Its GUID is derived from the code id (the
same id always gives the same GUID), its name is the label in the study's language, its colour
is kept, and its `<Description>` holds the definition, inclusion, exclusion, examples, labels
in other languages and a last line `qualcode id: <id>`, in readable form (see `descriptions`).

Import: the reverse. A code keeps the id from its `qualcode id:` line when it has one (so a
codebook that went to another program and back still matches existing codings); other codes
get ids made from their names, below their parent's id (`distance.geografisk-distanse`),
unique and the same on every import of the same file.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ruamel.yaml import YAML

from qualcode import __version__
from qualcode.errors import CodebookError, ExportError, ImportFileError, StudyError
from qualcode.exchange.archive import Archive, check_file
from qualcode.exchange.codebook_yaml import CodeEntry, render_codebook
from qualcode.exchange.descriptions import compose_description, split_description
from qualcode.exchange.ids import guid, norm_guid, slug, unique
from qualcode.exchange.xmltools import (
    CODEBOOK_NS,
    Node,
    check_schema,
    kid,
    kid_text,
    kids,
    parse_xml,
    sub,
    text_child,
    to_bytes,
)
from qualcode.study.codebook import ID_PATTERN, Code, Codebook, read_codebooks
from qualcode.study.config import CONFIG_NAME, StudyConfig, read_config
from qualcode.study.files import write_atomic
from qualcode.study.problems import raise_first_error
from qualcode.study.study import Study

_SHORT_RGB = re.compile(r"^#([0-9a-fA-F])([0-9a-fA-F])([0-9a-fA-F])$")
_RGB = re.compile(r"^#[0-9a-fA-F]{6}$")


# ---------------------------------------------------------------------------------------------
# Export


def code_element(
    parent: ET.Element,
    ns: str,
    code: Code,
    language: str,
    note_refs: dict[str, list[str]] | None = None,
) -> None:
    """Write `code` and the codes below it (with NoteRefs to memos on codes, in projects)."""
    element = sub(
        parent, ns, "Code", guid=guid("code", code.id), name=code.label(language),
        isCodable="true", color=code.colour,
    )
    text_child(element, ns, "Description", compose_description(code, language))
    for note in (note_refs or {}).get(code.id, []):
        sub(element, ns, "NoteRef", targetGUID=note)
    for child in code.children:
        code_element(element, ns, child, language, note_refs)


def codebook_xml(codebook: Codebook, language: str) -> bytes:
    """The `.qdc` document of a codebook."""
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": f"qualcode {__version__}"})
    codes = sub(root, CODEBOOK_NS, "Codes")
    for code in codebook.roots:
        code_element(codes, CODEBOOK_NS, code, language)
    return to_bytes(root, CODEBOOK_NS)


def export_codebook(study_dir: str | Path, out: str | Path) -> int:
    """Write the study's codebook to `out` (.qdc); returns the number of codes."""
    out = Path(out)
    check_output(out, (".qdc",))
    study = Study.open(study_dir)
    write_atomic(out, codebook_xml(study.codebook, study.config.language))
    return len(study.codebook)


_KINDS = {".qdpx": "the whole project", ".qdc": "the codebook only"}


def check_output(out: Path, suffixes: tuple[str, ...]) -> None:
    """Refuse an output path with the wrong extension or in a missing folder."""
    if out.suffix.lower() not in suffixes:
        wanted = " or ".join(f"{s} ({_KINDS[s]})" for s in suffixes)
        raise ExportError(
            f"The file name must end in {wanted}, not in "
            f"{f'`{out.suffix}`' if out.suffix else 'nothing'}.",
            path=out,
            hint=f"Give a file name such as study{suffixes[0]}.",
        )
    if out.is_dir():
        raise ExportError("This is a folder.", path=out,
                          hint=f"Give a file name, e.g. study{suffixes[0]}.")
    if not out.parent.is_dir():
        raise ExportError(
            "The folder to write into does not exist.",
            path=out.parent,
            hint="Create it first, or write the file somewhere else.",
        )


# ---------------------------------------------------------------------------------------------
# Import


@dataclass
class RefiCode:
    """A code as another program wrote it."""

    guid: str
    name: str
    codable: bool = True
    colour: str | None = None
    description: str = ""
    note_refs: list[str] = field(default_factory=list)
    children: list[RefiCode] = field(default_factory=list)


def read_codes(codes: Node | None) -> list[RefiCode]:
    """The tree of `<Code>` elements under `<Codes>`."""
    if codes is None:
        return []
    out = []
    for element in kids(codes, "Code"):
        code = RefiCode(
            guid=norm_guid(element.get("guid")),
            name=" ".join((element.get("name") or "").split()) or "(unnamed code)",
            codable=(element.get("isCodable") or "true").strip().lower() not in ("false", "0"),
            colour=_colour(element.get("color")),
            description=kid_text(element, "Description").strip(),
            note_refs=[norm_guid(n.get("targetGUID")) for n in kids(element, "NoteRef")],
            children=read_codes(element),
        )
        out.append(code)
    return out


def walk(codes: list[RefiCode]) -> Iterator[RefiCode]:
    for code in codes:
        yield code
        yield from walk(code.children)


def _colour(value: str | None) -> str | None:
    text = (value or "").strip()
    short = _SHORT_RGB.match(text)
    if short:
        text = "#" + "".join(c * 2 for c in short.groups())
    return text.lower() if _RGB.match(text) else None


@dataclass
class CodeIds:
    """Imported codes as qualcode codes: the entries to write and GUID -> id."""

    entries: list[CodeEntry]
    by_guid: dict[str, str]
    kept: int = 0
    """How many ids came from `qualcode id:` lines."""
    clashes: list[str] = field(default_factory=list)
    """`qualcode id:` ids that the study already uses."""


def assign_ids(roots: list[RefiCode], taken: set[str] | None = None) -> CodeIds:
    """Give every imported code a unique qualcode id (see the module's docstring)."""
    existing = set(taken or ())
    used: set[str] = set(existing)
    result = CodeIds(entries=[], by_guid={})
    # Ids written by qualcode are claimed first, so a renamed code never steals one.
    claimed: dict[int, str] = {}
    for code in walk(roots):
        code_id = split_description(code.description).code_id
        if code_id and ID_PATTERN.match(code_id):
            if code_id in existing:
                result.clashes.append(code_id)
            elif code_id not in used:
                claimed[id(code)] = code_id
                used.add(code_id)

    def build(code: RefiCode, parent_id: str | None) -> CodeEntry:
        parts = split_description(code.description)
        code_id = claimed.get(id(code))
        if code_id:
            result.kept += 1
        else:
            base = slug(code.name, keep="_") or "code"
            code_id = unique(f"{parent_id}.{base}" if parent_id else base, used)
            used.add(code_id)
        result.by_guid.setdefault(code.guid, code_id)
        entry = CodeEntry(code_id, code.name, parts.description, parts.inclusion,
                          parts.exclusion, code.colour, examples=parts.examples,
                          labels=_labels(code.name, parts.labels))
        entry.children = [build(child, code_id) for child in code.children]
        return entry

    result.entries = [build(code, None) for code in roots]
    return result


def _labels(name: str, written: dict[str, str]) -> dict[str, str]:
    """Labels by language from `Label (xx):` lines; the first is the language of the code's
    name, which wins when the code was renamed in the other program."""
    if len(written) < 2:
        return {}
    labels = dict(written)
    labels[next(iter(written))] = name
    return labels


@dataclass
class CodebookImport:
    """What `import_codebook` wrote."""

    path: Path
    codes: int
    kept_ids: int
    added_to_config: bool
    remarks: list[str] = field(default_factory=list)


def import_codebook(
    study_dir: str | Path, source: str | Path, skip_problems: bool = False
) -> CodebookImport:
    """Add the codebook of a `.qdc` (or of a `.qdpx` project) to a study as a new YAML file.

    Refuses to overwrite a codebook file, refuses codes whose `qualcode id:` the study already
    uses (that codebook is already in the study), and refuses a file that breaks the REFI-QDA
    schema unless `skip_problems` is given. Nothing is written on error.
    """
    root, source = Path(study_dir), Path(source)
    config, paths, taken = _study_codebooks(root)
    check_file(source)
    roots, remark = _read_codebook_file(source, skip_problems)
    if not roots:
        raise ImportFileError(
            "The codebook has no codes.", path=source, hint="Export it again with its codes."
        )
    ids = assign_ids(roots, taken)
    if ids.clashes:
        shown = ", ".join(f"`{c}`" for c in ids.clashes[:5])
        raise CodebookError(
            f"The study already has codes with the ids of this codebook ({shown}"
            f"{' ...' if len(ids.clashes) > 5 else ''}): it looks like a codebook the study "
            "already has.",
            path=source,
            hint="To replace the study's codebook with this one, move the old file out of "
            "codebooks/ first (codings refer to ids and are kept).",
        )
    name = slug(source.stem, keep="_") or "imported"
    target = root / "codebooks" / f"{name}.yaml"
    if target.exists() or any(p.name == target.name for p in paths):
        raise StudyError(
            f"The study already has a codebook file `{target.name}`; it was not overwritten.",
            path=target,
            hint="Rename the file you import, or move the existing codebook away first.",
        )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    text = render_codebook(
        name, source.stem, f"Imported from {source.name}.", ids.entries,
        f"Imported from {source.name} on {stamp} by `qualcode refi import-codebook`.\n"
        "Ids were made from the code names; change labels freely, but keep ids stable once "
        "coding has started.",
    )
    write_atomic(target, text)
    added = False
    try:
        _validate(target, paths)
        if config.codebooks:
            _add_to_config(root, target.name)
            added = True
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return CodebookImport(target, len(ids.by_guid), ids.kept, added,
                          [remark] if remark else [])


def _read_codebook_file(source: Path, skip_problems: bool) -> tuple[list[RefiCode], str | None]:
    """The codes of a `.qdc` or `.qdpx` file, and a remark when it breaks the schema."""
    if zipfile.is_zipfile(source):
        with Archive(source) as archive:
            where = Path(f"{source}/{archive.qde}")
            project = parse_xml(archive.read(archive.qde), where, "Project")
        remark = check_schema(project, where, skip_problems)
        book = kid(project, "CodeBook")
        return read_codes(kid(book, "Codes") if book is not None else None), remark
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"The file cannot be read: {exc.strerror}.", path=source) from None
    root = parse_xml(data, source, "CodeBook")
    return read_codes(kid(root, "Codes")), check_schema(root, source, skip_problems)


def _study_codebooks(root: Path) -> tuple[StudyConfig, list[Path], set[str]]:
    """The study's settings, codebook files and the code ids they use."""
    if not (root / CONFIG_NAME).is_file():
        raise StudyError(
            f"This folder is not a qualcode study: it has no {CONFIG_NAME}.",
            path=root,
            hint=f"Create one with `qualcode init {root} --codebook none`, then import the "
            "codebook into it.",
        )
    config, problems = read_config(root)
    raise_first_error(problems, StudyError)
    assert config is not None
    paths = Study._codebook_paths(root, config, [])
    book, _problems = read_codebooks(paths)
    return config, paths, set(book.ids) if book else set()


def _validate(target: Path, others: list[Path]) -> None:
    """Read the new file as the study will (ids unique across all codebooks)."""
    _book, problems = read_codebooks([*others, target])
    raise_first_error([p for p in problems if p.path == target], CodebookError)


def _add_to_config(root: Path, name: str) -> None:
    """Append a codebook file to the `codebooks:` list of qualcode.yaml, keeping comments."""
    path = root / CONFIG_NAME
    yaml = YAML(typ="rt")
    yaml.width = 100
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["codebooks"].append(name)
    out = io.StringIO()
    yaml.dump(data, out)
    write_atomic(path, out.getvalue())
