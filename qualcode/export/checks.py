"""Checking what a quote sheet asks for: coders, codes, transcripts and informant attributes.

Each check raises ExportError with the nearest known names, so a typo on the command line (or in
a dialog) is answered with what the study does have.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from qualcode.errors import ExportError
from qualcode.study.study import CONSENSUS, Study
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
                path=codebook.paths[0] if codebook.paths else None,
                hint=codebook.suggest_hint(code_id),
            )
        wanted.add(code_id)
        wanted.update(c.id for c in codebook.descendants(code_id))
    return [c for c in codebook.ids if c in wanted]


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
    """Raise ExportError for a key no informant has; return the known keys and values."""
    known = known_values(study)
    for key in keys:
        if key == CODE and option == "--where":
            raise ExportError(
                "Choose codes with `--codes`, not `--where code=...`.",
                hint="e.g. `--codes distance.geographic,motivation`.",
            )
        if key != CODE and key not in known:
            names = sorted(k for k in known if k not in ("speaker",))
            if option == "--group-by":
                names = [CODE, *names]
            from qualcode.study.yamlfile import nearest_name

            near = nearest_name(key, names)
            raise ExportError(
                f"No informant has the attribute `{key}` (in {option}).",
                hint=(f"Did you mean `{near}`? " if near else "")
                + "Known: "
                + ", ".join(names)
                + ". Attributes come from the transcripts' front matter and informants.csv.",
            )
    return known


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
