"""The study's settings file, `qualcode.yaml`."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from qualcode.errors import ConfigError
from qualcode.study.problems import Problem
from qualcode.study.yamlfile import key_position, read_yaml_file, unknown_field_hint, value_position

CONFIG_NAME = "qualcode.yaml"
LANGUAGES = ("nb", "en")
DEFAULT_INTERVIEWER_LABELS = ("I", "Intervjuer", "Interviewer", "Moderator", "Int")
DEFAULT_SPEAKER_PATTERN = r"^(?P<label>[A-ZÆØÅ][\wÆØÅæøå .\-]{0,40}?):[ \t]"
DEFAULT_ATTRIBUTION = "({role} {informant})"
CONFIG_FIELDS = (
    "name",
    "language",
    "codebooks",
    "attribution",
    "interviewer_labels",
    "speaker_pattern",
    "informant_table",
)


@dataclass
class StudyConfig:
    """What `qualcode.yaml` says about a study."""

    name: str
    language: str = "nb"
    codebooks: list[str] = field(default_factory=list)
    """Codebook files under `codebooks/`; empty means all of them."""
    attribution: str = DEFAULT_ATTRIBUTION
    interviewer_labels: tuple[str, ...] = DEFAULT_INTERVIEWER_LABELS
    speaker_pattern: str = DEFAULT_SPEAKER_PATTERN
    informant_table: str | None = None
    """Informant table file name; `informants.csv` or `informants.xlsx` when not given."""

    def to_yaml(self) -> str:
        """The text of a fresh `qualcode.yaml`, with comments that explain each setting."""
        books = "\n".join(f"  - {b}" for b in self.codebooks) or "  []"
        labels = ", ".join(self.interviewer_labels)
        return (
            f"# Settings of this qualcode study. See docs/study-folder.md.\n"
            f"name: {_quote(self.name)}\n"
            f"# nb (Norwegian Bokmål) or en: the language of transcripts that do not say.\n"
            f"language: {self.language}\n"
            f"# Codebook files in codebooks/ (all of them when the list is empty or left out).\n"
            f"codebooks:\n{books}\n"
            f"# How a quote's source is written in exports. Any informant attribute may be\n"
            f"# used, e.g. {{role}}, {{informant}}, {{municipality_type}}, {{region}}.\n"
            f"attribution: {_quote(self.attribution)}\n"
            f"# Speaker labels that mark the interviewer's turns.\n"
            f"interviewer_labels: [{labels}]\n"
        )


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def attribution_fields(template: str) -> list[str]:
    """The `{names}` a template uses."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def read_config(root: Path) -> tuple[StudyConfig | None, list[Problem]]:
    """Read `qualcode.yaml` in `root`, collecting problems."""
    path = root / CONFIG_NAME
    problems: list[Problem] = []
    try:
        data = read_yaml_file(path, ConfigError)
    except ConfigError as exc:
        return None, [Problem.from_error(exc, kind="config")]
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        problems.append(
            Problem(
                "error",
                "config",
                "qualcode.yaml must be a mapping of settings (`name: ...`, `language: nb`).",
                path=path,
                line=1,
                hint="Run `qualcode init` in an empty folder to see a complete example.",
            )
        )
        return None, problems

    def bad(kind: str, key: str, message: str, hint: str | None = None) -> None:
        line, column = value_position(data, key)
        problems.append(Problem("error", kind, message, path, line, column, hint))

    for key in data:
        if key not in CONFIG_FIELDS:
            line, column = key_position(data, key)
            problems.append(
                Problem(
                    "error",
                    "unknown-field",
                    f"Unknown setting `{key}`.",
                    path,
                    line,
                    column,
                    unknown_field_hint(str(key), CONFIG_FIELDS),
                )
            )
    name = str(data.get("name") or root.resolve().name).strip()
    language = str(data.get("language") or "nb").strip()
    if language not in LANGUAGES:
        bad(
            "bad-language",
            "language",
            f"Unknown language `{language}`.",
            "Use `nb` (Norwegian Bokmål) or `en` (English).",
        )
        language = "nb"
    codebooks = data.get("codebooks") or []
    if isinstance(codebooks, str):
        codebooks = [codebooks]
    if not isinstance(codebooks, list):
        bad("bad-field", "codebooks", "`codebooks` should be a list of file names.")
        codebooks = []
    attribution = str(data.get("attribution") or DEFAULT_ATTRIBUTION)
    try:
        attribution_fields(attribution)
    except ValueError as exc:
        bad(
            "bad-attribution",
            "attribution",
            f"The attribution template cannot be read: {exc}.",
            'Write attribute names in braces, e.g. "({role} i {municipality_type})".',
        )
        attribution = DEFAULT_ATTRIBUTION
    labels = data.get("interviewer_labels") or list(DEFAULT_INTERVIEWER_LABELS)
    if isinstance(labels, str):
        labels = [labels]
    pattern = str(data.get("speaker_pattern") or DEFAULT_SPEAKER_PATTERN)
    try:
        compiled = re.compile(pattern, re.MULTILINE)
        if "label" not in compiled.groupindex:
            raise re.error("it has no group named `label`")
    except re.error as exc:
        bad(
            "bad-pattern",
            "speaker_pattern",
            f"The speaker pattern is not a valid regular expression: {exc}.",
            "It must contain a group `(?P<label>...)` for the speaker label; remove the "
            "setting to use the default.",
        )
        pattern = DEFAULT_SPEAKER_PATTERN
    table = data.get("informant_table")
    config = StudyConfig(
        name=name,
        language=language,
        codebooks=[str(c) for c in codebooks],
        attribution=attribution,
        interviewer_labels=tuple(str(label) for label in labels),
        speaker_pattern=pattern,
        informant_table=str(table) if table else None,
    )
    return config, problems
