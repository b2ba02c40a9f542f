"""Checking what a quote sheet asks for: coders, codes, transcripts and informant attributes.

Each check raises ExportError with the nearest known names, so a typo on the command line (or in
a dialog) is answered with what the study does have.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from pathlib import Path

from qualcode.errors import ExportError
from qualcode.study.config import CONFIG_NAME, attribution_fields
from qualcode.study.study import CODEBOOKS_DIR, CONSENSUS, Study
from qualcode.study.transcript import Informant, Transcript

CODE = "code"
_NB_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}"})


def sort_key(value: str) -> str:
    """Alphabetical order as a Norwegian reader expects it (… z, æ, ø, å)."""
    return value.casefold().translate(_NB_ORDER)


def quote_attributes(transcript: Transcript, informant: Informant | None) -> dict[str, str]:
    """An informant's attributes with the transcript-level keys every quote has."""
    attributes = dict(informant.attributes) if informant else {}
    attributes["transcript"] = transcript.id
    attributes["informant"] = informant.id if informant else ""
    attributes["speaker"] = informant.label if informant else ""
    if transcript.form:
        attributes.setdefault("form", transcript.form)
    return attributes


def resolve_coders(study: Study, wanted: Iterable[str]) -> list[str]:
    """The coders whose codings to export: the ones named, else consensus, else the only one."""
    from qualcode.study.yamlfile import nearest_name

    wanted = [w.strip() for w in wanted if w.strip()]
    known = study.coders(include_consensus=True)
    known_text = ", ".join(known) if known else "none yet"
    for name in wanted:
        if name not in known:
            near = nearest_name(name, known)
            raise ExportError(
                f"There is no coder `{name}` in this study.",
                path=study.codings_dir,
                hint=(f"Did you mean `{near}`? " if near else "") + f"Known coders: {known_text}.",
            )
    if wanted:
        return list(dict.fromkeys(wanted))
    if CONSENSUS in known:
        return [CONSENSUS]
    if len(known) == 1:
        return known
    if not known:
        raise ExportError(
            "Nobody has coded this study yet, so there are no quotes to export.",
            path=study.codings_dir,
            hint="Code some passages first (`qualcode open`), then export.",
        )
    raise ExportError(
        "The study has several coders and no consensus layer: say whose codings to export.",
        path=study.codings_dir,
        hint=f"Known coders: {known_text}. Use e.g. `--coder {known[0]}`, or "
        f"`--coders {','.join(known[:2])}` for several.",
    )


def code_scope(study: Study, codes: Iterable[str]) -> list[str]:
    """The code ids asked for with all codes below them, in codebook order."""
    codebook = study.codebook
    codes = [c.strip() for c in codes if c.strip()]
    if not codes:
        return codebook.ids
    wanted: set[str] = set()
    for code_id in codes:
        if code_id not in codebook:
            raise ExportError(
                f"There is no code `{code_id}` in the codebook.",
                path=_codebook_file_near(study, code_id),
                hint=codebook.suggest_hint(code_id),
            )
        wanted.add(code_id)
        wanted.update(c.id for c in codebook.descendants(code_id))
    return [c for c in codebook.ids if c in wanted]


def _codebook_file_near(study: Study, code_id: str) -> Path | None:
    """The codebook file of the nearest known id (the codebooks folder when there are several
    files and nothing is near)."""
    codebook = study.codebook
    for near in codebook.suggest_ids(code_id, limit=1):
        if codebook[near].path is not None:
            return codebook[near].path
    if len(codebook.paths) == 1:
        return codebook.paths[0]
    return study.root / CODEBOOKS_DIR


def transcript_scope(study: Study, patterns: Iterable[str]) -> list[str]:
    """Transcript ids matching the ids or `nb-*` patterns given (all when none are)."""
    from qualcode.study.yamlfile import nearest_name

    known = study.transcript_ids
    patterns = [p.strip() for p in patterns if p.strip()]
    if not patterns:
        return known
    chosen: set[str] = set()
    for pattern in patterns:
        found = [t for t in known if fnmatch.fnmatchcase(t, pattern)]
        if not found:
            near = nearest_name(pattern, known)
            raise ExportError(
                f"No transcript matches `{pattern}`.",
                path=study.transcripts_dir,
                hint=f"Did you mean `{near}`?"
                if near
                else "Transcript ids are file names "
                "without extension; `qualcode check` lists them.",
            )
        chosen.update(found)
    return [t for t in known if t in chosen]


def known_values(study: Study) -> dict[str, set[str]]:
    """Every key a quote can be filtered or grouped by, with the values informants have."""
    values: dict[str, set[str]] = {}
    for transcript in study.transcripts:
        for informant in transcript.informants.values():
            for key, value in quote_attributes(transcript, informant).items():
                values.setdefault(key, set()).add(value)
    return values


def check_keys(study: Study, keys: Iterable[str], option: str) -> dict[str, set[str]]:
    """Raise ExportError for a key no informant has; return the known keys and values.

    `option` names where the keys come from: `--group-by` (which also takes `code`),
    `--where` (codes are chosen with `--codes`) or the matrix's `--cols` (its rows are codes).
    """
    known = known_values(study)
    for key in keys:
        if key == CODE:
            _check_code_key(option)
        elif key not in known:
            _unknown_key(key, known, option)
    return known


def _check_code_key(option: str) -> None:
    if option == "--where":
        raise ExportError(
            "Choose codes with `--codes`, not `--where code=...`.",
            hint="e.g. `--codes distance.geographic,motivation`.",
        )
    if option == "--cols":
        raise ExportError(
            "The rows of the table are codes already, so `--cols code` would count codes "
            "against themselves.",
            hint="Choose what the columns are: an informant attribute such as `--cols role` "
            "or `--cols region`, or `--cols transcript`.",
        )


def _unknown_key(key: str, known: dict[str, set[str]], option: str) -> None:
    from qualcode.study.yamlfile import nearest_name

    names = sorted(k for k in known if k != "speaker")
    if option == "--group-by":
        names = [CODE, *names]
    near = nearest_name(key, names)
    raise ExportError(
        f"No informant has the attribute `{key}` (in {option}).",
        hint=(f"Did you mean `{near}`? " if near else "")
        + "Known: "
        + ", ".join(names)
        + ". Attributes come from the transcripts' front matter and informants.csv.",
    )


def check_where(study: Study, where: dict[str, list[str]]) -> dict[str, set[str]]:
    """Check filter keys and values; return each key's accepted values, case-folded."""
    known = check_keys(study, where, "--where")
    accepted: dict[str, set[str]] = {}
    for key, values in where.items():
        have = {v.casefold(): v for v in known[key] if v}
        for value in values:
            if value.casefold() not in have:
                listed = ", ".join(sorted(have.values(), key=sort_key))
                raise ExportError(
                    f"No informant has {key} = `{value}`.",
                    hint=f"Values of `{key}` in this study: {listed}.",
                )
        accepted[key] = {v.casefold() for v in values}
    return accepted


def default_group_by(study: Study) -> list[str]:
    """Code, then role when informants have roles."""
    return [CODE, "role"] if "role" in study.attribute_names() else [CODE]


def quote_columns(study: Study) -> list[str]:
    """Every attribute a quote can carry, for table columns: informant attributes in the order
    the study uses them, then the interview `form` when transcripts give one."""
    names = [a for a in study.attribute_names() if a != "informant"]
    if "form" not in names and any(t.form for t in study.transcripts):
        names.append("form")
    return names


def attribution_warning(study: Study) -> str | None:
    """A note when the attribution template uses a field no informant has (a misspelling)."""
    from qualcode.study.yamlfile import nearest_name

    template = study.config.attribution
    known = set(known_values(study)) | {"informant", "speaker", "transcript"}
    unknown = [f for f in dict.fromkeys(attribution_fields(template)) if f not in known]
    if not unknown:
        return None
    names = sorted(known - {"speaker"})
    guesses = [f"`{{{n}}}`" for n in (nearest_name(f, names) for f in unknown) if n]
    where = CONFIG_NAME + (f", line {line}" if (line := _attribution_line(study)) else "")
    fields = ", ".join(f"`{{{f}}}`" for f in unknown)
    return (
        f"The attribution template in {where} uses {fields}, which no informant has, so "
        "it is left out of every attribution. "
        + (f"Did you mean {' or '.join(guesses)}? " if guesses else "")
        + "Known: "
        + ", ".join(names)
        + "."
    )


_ATTRIBUTION_LINE = re.compile(r"^attribution\s*:")


def _attribution_line(study: Study) -> int | None:
    try:
        lines = (study.root / CONFIG_NAME).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, 1):
        if _ATTRIBUTION_LINE.match(line):
            return number
    return None
