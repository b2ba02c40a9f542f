"""A code's definition as one readable `<Description>`, and back.

REFI-QDA gives a code one name and one description. qualcode's codes have more: a definition,
inclusion and exclusion criteria, examples, labels in two languages and a stable id. They are
written into the description so that a researcher reads them in any program, and so that they
come back when the codebook returns:

    Something in the relation between two organisations ...

    Inclusion: The informant talks about ...

    Exclusion: Relations inside one organisation ...

    Examples:
    - Det er liksom to ulike verdener, NAV og oss.
    - Jeg tror vi står for langt fra hverandre.

    Label (nb): Distanse
    Label (en): Distance
    qualcode id: distance

Label lines are written only for codes with labels in more than one language; the first is the
language of the code's name in the file. Reading is forgiving: headings may be in any case, any
part may be missing, and text that is not under a heading is the description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qualcode.study.codebook import Code

_HEADING = re.compile(r"^(inclusion|exclusion|examples)\s*:\s*", re.IGNORECASE)
_ID_LINE = re.compile(r"^\s*qualcode id:\s*(\S+)\s*$", re.IGNORECASE)
_LABEL_LINE = re.compile(r"^\s*label \(([a-z]{2,3})\):\s*(\S.*?)\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-•]\s+")


@dataclass
class Definition:
    """The parts of a code's description."""

    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    examples: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    """Language -> label, from `Label (xx):` lines, in the order written."""
    code_id: str | None = None
    """The id from a `qualcode id:` line."""


def compose_description(code: Code, language: str) -> str:
    """The code's definition, criteria, examples, labels and id as one readable text."""
    parts = [code.description.strip()]
    if code.inclusion.strip():
        parts.append(f"Inclusion: {code.inclusion.strip()}")
    if code.exclusion.strip():
        parts.append(f"Exclusion: {code.exclusion.strip()}")
    examples = [e.strip() for e in code.examples if e.strip()]
    if examples:
        parts.append("Examples:\n" + "\n".join(f"- {_indent(e)}" for e in examples))
    parts.append("\n".join([*_label_lines(code, language), f"qualcode id: {code.id}"]))
    return "\n\n".join(part for part in parts if part)


def _indent(example: str) -> str:
    return example.replace("\n", "\n  ")


def _label_lines(code: Code, language: str) -> list[str]:
    labels = {k: v for k, v in code.labels.items() if k}
    if len(labels) < 2:
        return []
    first = language if language in labels else next(iter(labels))
    order = [first, *(k for k in labels if k != first)]
    return [f"Label ({k}): {' '.join(labels[k].split())}" for k in order]


def split_description(text: str) -> Definition:
    """The parts of a description written as `compose_description` writes it."""
    found = Definition()
    sections: dict[str, list[str]] = {"description": [], "inclusion": [], "exclusion": []}
    current = "description"
    for line in text.replace("\r\n", "\n").split("\n"):
        if match := _ID_LINE.match(line):
            found.code_id = match.group(1)
            continue
        if match := _LABEL_LINE.match(line):
            found.labels.setdefault(match.group(1).lower(), match.group(2))
            continue
        if match := _HEADING.match(line):
            current = match.group(1).lower()
            line = line[match.end() :]
            if current == "examples" and not line.strip():
                continue
        if current == "examples":
            _add_example_line(found.examples, line)
        else:
            sections[current].append(line)
    found.description, found.inclusion, found.exclusion = (
        "\n".join(lines).strip() for lines in sections.values()
    )
    found.examples = [e.strip() for e in found.examples if e.strip()]
    return found


def _add_example_line(examples: list[str], line: str) -> None:
    """A `- ` line starts an example; other lines continue the one before."""
    if bullet := _BULLET.match(line):
        examples.append(line[bullet.end() :])
    elif line.strip() and examples:
        examples[-1] += "\n" + line.strip()
    elif line.strip():
        examples.append(line.strip())
