"""Writing an imported codebook as a qualcode codebook YAML file (see docs/study-folder.md)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from qualcode.study.codebook import Keyword

_WIDTH = 88


@dataclass
class CodeEntry:
    """One code about to be written."""

    id: str
    label: str
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    colour: str | None = None
    children: list[CodeEntry] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    """Labels by language, when the code has them in more than one (else `label` alone)."""
    keywords: list[Keyword] = field(default_factory=list)
    negative_keywords: list[Keyword] = field(default_factory=list)
    """Kept from a codebook file this one replaces (REFI-QDA has no place for them)."""

    def to_yaml(self) -> dict[str, object]:
        label: object = dict(self.labels) if len(self.labels) > 1 else self.label
        node: dict[str, object] = {"id": self.id, "label": label}
        for name in ("description", "inclusion", "exclusion"):
            value = getattr(self, name)
            if value:
                node[name] = _block(value)
        if self.examples:
            node["examples"] = [_block(example) for example in self.examples]
        for name in ("keywords", "negative_keywords"):
            words = getattr(self, name)
            if words:
                node[name] = [_keyword(word) for word in words]
        if self.colour:
            node["colour"] = self.colour
        if self.children:
            node["children"] = [child.to_yaml() for child in self.children]
        return node


def _keyword(word: Keyword) -> object:
    """`avstand`, or `{term: lang reisevei, weight: 2}` when the weight is not 1."""
    if word.weight == 1:
        return word.term
    weighted = CommentedMap(term=word.term, weight=_number(word.weight))
    weighted.fa.set_flow_style()
    return weighted


def _number(value: float) -> float | int:
    return int(value) if value.is_integer() else value


def _block(text: str) -> object:
    """Long text as a folded (`>-`) or literal (`|-`) block, as people write codebooks."""
    if "\n" in text:
        return LiteralScalarString(text)
    if len(text) <= _WIDTH:
        return text
    folded = FoldedScalarString(text)
    folds, line_start = [], 0
    previous = None
    for i, char in enumerate(text):
        if char != " " or text[i - 1] == " " or text[i + 1 : i + 2] in ("", " "):
            continue
        if i - line_start > _WIDTH and previous is not None:
            folds.append(previous)
            line_start = previous + 1
        previous = i
    if len(text) - line_start > _WIDTH and previous is not None and previous > line_start:
        folds.append(previous)
    folded.fold_pos = folds
    return folded


def render_codebook(
    book_id: str, title: str, description: str, codes: list[CodeEntry], comment: str
) -> str:
    """The YAML text of a codebook file, starting with a comment line."""
    data = {
        "codebook": {"id": book_id, "title": title, "description": description},
        "codes": [code.to_yaml() for code in codes],
    }
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(data, out)
    header = "".join(f"# {line}\n".replace("# \n", "#\n") for line in comment.splitlines())
    return header + "\n" + out.getvalue()

