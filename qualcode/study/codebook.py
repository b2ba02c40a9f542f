"""Hierarchical codebooks: reading, validating and navigating the tree of codes.

A codebook is a YAML file (see docs/study-folder.md). Codes have stable ids; labels, places in
the tree and definitions may change without touching any coding, because codings refer to ids.
A study may use several codebooks; `Codebook.merge` joins them into one tree whose ids must be
unique.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from qualcode.errors import CodebookError
from qualcode.study.problems import Problem, raise_first_error
from qualcode.study.yamlfile import (
    item_position,
    key_position,
    node_position,
    read_yaml_file,
    unknown_field_hint,
    value_position,
)

CODE_FIELDS = (
    "id",
    "label",
    "description",
    "inclusion",
    "exclusion",
    "examples",
    "keywords",
    "negative_keywords",
    "colour",
    "children",
)
CODEBOOK_FIELDS = ("id", "title", "description", "language")
TOP_FIELDS = ("codebook", "codes")
KEYWORD_FIELDS = ("term", "weight")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
# A calm palette for codes without a colour of their own (colour-blind friendly order).
DEFAULT_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)


@dataclass(frozen=True)
class Keyword:
    """A word or phrase that points to a code; matched on lemmas by the suggestion models."""

    term: str
    weight: float = 1.0


@dataclass
class Code:
    """One code of a codebook tree."""

    id: str
    labels: dict[str, str]
    """Label per language (`nb`, `en`); at least one."""
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    examples: list[str] = field(default_factory=list)
    keywords: list[Keyword] = field(default_factory=list)
    negative_keywords: list[Keyword] = field(default_factory=list)
    colour: str = "#4e79a7"
    parent_id: str | None = None
    children: list[Code] = field(default_factory=list)
    codebook_id: str = ""
    path: Path | None = None
    line: int | None = None
    """Where the code starts in its file (1-based), for messages and editors."""

    def label(self, language: str | None = None) -> str:
        """The label in `language`, else the first one given."""
        if language and language in self.labels:
            return self.labels[language]
        return next(iter(self.labels.values()))

    def __hash__(self) -> int:
        return hash(self.id)


@dataclass
class Codebook:
    """A tree of codes from one or more codebook files, indexed by id."""

    id: str
    title: str
    description: str = ""
    roots: list[Code] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    _by_id: dict[str, Code] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._by_id:
            self._by_id = {code.id: code for code in self.walk()}

    def walk(self) -> Iterator[Code]:
        """Every code, depth first, parents before children, in file order."""
        stack = list(reversed(self.roots))
        while stack:
            code = stack.pop()
            yield code
            stack.extend(reversed(code.children))

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, code_id: str) -> Code | None:
        return self._by_id.get(code_id)

    def __getitem__(self, code_id: str) -> Code:
        try:
            return self._by_id[code_id]
        except KeyError:
            raise CodebookError(
                f"There is no code with id `{code_id}`.", hint=self.suggest_hint(code_id)
            ) from None

    @property
    def ids(self) -> list[str]:
        return list(self._by_id)

    def suggest_ids(self, code_id: str, limit: int = 3) -> list[str]:
        """Known ids closest to an unknown one (for 'did you mean')."""
        from rapidfuzz import process

        found = process.extract(code_id, self.ids, limit=limit, score_cutoff=50)
        return [match for match, _score, _index in found]

    def did_you_mean(self, code_id: str) -> str:
        """`Did you mean `a` or `b`?` with the known ids closest to an unknown one ('' if none)."""
        near = self.suggest_ids(code_id)
        return ("Did you mean " + " or ".join(f"`{n}`" for n in near) + "?") if near else ""

    def suggest_hint(self, code_id: str) -> str:
        """What to do about an unknown code id: the ids it may be meant for, or where ids are."""
        return self.did_you_mean(code_id) or (
            "No code has a similar id. The ids are the `- id:` lines of the files in "
            "codebooks/; add the code to one of them if it is missing."
        )

    def ancestors(self, code_id: str) -> list[Code]:
        """The code's parents from the root down, not including the code itself."""
        chain: list[Code] = []
        code = self._by_id.get(code_id)
        while code is not None and code.parent_id is not None:
            code = self._by_id.get(code.parent_id)
            if code is not None:
                chain.append(code)
        return list(reversed(chain))

    def depth(self, code_id: str) -> int:
        """1 for a root code, 2 for its children, and so on."""
        return len(self.ancestors(code_id)) + 1

    def at_depth(self, code_id: str, depth: int | None) -> str:
        """Roll a code up to its ancestor at `depth` (unchanged if it is not deeper)."""
        if depth is None:
            return code_id
        chain = [*self.ancestors(code_id), self[code_id]] if code_id in self else []
        if len(chain) <= depth:
            return code_id
        return chain[depth - 1].id

    def descendants(self, code_id: str) -> list[Code]:
        """All codes below `code_id`, depth first."""
        out: list[Code] = []
        stack = list(reversed(self[code_id].children))
        while stack:
            code = stack.pop()
            out.append(code)
            stack.extend(reversed(code.children))
        return out

    def path_label(self, code_id: str, language: str | None = None, sep: str = " › ") -> str:
        """`Distanse › Geografisk distanse`."""
        chain = [*self.ancestors(code_id), self[code_id]]
        return sep.join(code.label(language) for code in chain)

    @classmethod
    def merge(cls, books: list[Codebook]) -> Codebook:
        """Join several codebooks into one tree (ids already checked to be unique)."""
        if len(books) == 1:
            return books[0]
        roots = [root for book in books for root in book.roots]
        return cls(
            id="+".join(book.id for book in books),
            title=" + ".join(book.title for book in books),
            roots=roots,
            paths=[p for book in books for p in book.paths],
        )


# ---------------------------------------------------------------------------------------------
# Reading and validating


class _Reader:
    """Walks one codebook file, building codes and collecting problems with positions."""

    def __init__(self, path: Path, seen_ids: dict[str, tuple[Path, int | None]]) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.seen_ids = seen_ids
        self.colour_index = 0
        self.lines: list[str] | None = None
        """The file's lines, read when a message needs to look at one."""

    def problem(
        self,
        kind: str,
        message: str,
        where: tuple[int | None, int | None],
        hint: str | None = None,
        severity: str = "error",
    ) -> None:
        self.problems.append(
            Problem(
                severity=severity,  # type: ignore[arg-type]
                kind=kind,
                message=message,
                path=self.path,
                line=where[0],
                column=where[1],
                hint=hint,
            )
        )

    def text_field(self, node: CommentedMap, name: str) -> str:
        value = node.get(name)
        if value is None:
            return ""
        if isinstance(value, (str, int, float)):
            return str(value).strip()
        self.problem(
            "bad-field",
            f"`{name}` should be text.",
            value_position(node, name),
            hint="Write it as one string (use `|` for several lines).",
        )
        return ""

    def read(self, data: Any) -> Codebook | None:
        if not isinstance(data, CommentedMap):
            self.problem(
                "bad-structure",
                "A codebook must be a mapping with `codebook:` and `codes:`.",
                node_position(data) if data is not None else (1, 1),
                hint="See docs/study-folder.md for an example codebook.",
            )
            return None
        for key in data:
            if key not in TOP_FIELDS:
                self.problem(
                    "unknown-field",
                    f"Unknown top-level field `{key}`.",
                    key_position(data, key),
                    hint=unknown_field_hint(key, TOP_FIELDS),
                )
        header = data.get("codebook")
        book_id, title, description = self.path.stem, self.path.stem, ""
        if header is not None:
            if not isinstance(header, CommentedMap):
                self.problem(
                    "bad-structure",
                    "`codebook:` should hold `id`, `title` and `description`.",
                    value_position(data, "codebook"),
                )
            else:
                for key in header:
                    if key not in CODEBOOK_FIELDS:
                        self.problem(
                            "unknown-field",
                            f"Unknown field `{key}` in `codebook:`.",
                            key_position(header, key),
                            hint=unknown_field_hint(key, CODEBOOK_FIELDS),
                        )
                book_id = self.text_field(header, "id") or book_id
                title = self.text_field(header, "title") or book_id
                description = self.text_field(header, "description")
        codes = data.get("codes")
        if not isinstance(codes, CommentedSeq) or not codes:
            self.problem(
                "no-codes",
                "The codebook has no codes.",
                value_position(data, "codes") if "codes" in data else node_position(data),
                hint="Add a `codes:` list with at least one code (`- id: ...`, `label: ...`).",
            )
            return Codebook(id=book_id, title=title, description=description, paths=[self.path])
        roots = self.read_codes(codes, parent=None, codebook_id=book_id)
        return Codebook(
            id=book_id, title=title, description=description, roots=roots, paths=[self.path]
        )

    def read_codes(self, seq: CommentedSeq, parent: Code | None, codebook_id: str) -> list[Code]:
        out = []
        for index, node in enumerate(seq):
            code = self.read_code(node, item_position(seq, index), parent, codebook_id)
            if code is not None:
                out.append(code)
        return out

    def read_code(
        self,
        node: Any,
        where: tuple[int | None, int | None],
        parent: Code | None,
        codebook_id: str,
    ) -> Code | None:
        if not isinstance(node, CommentedMap):
            self.problem(
                "bad-structure",
                "Each code must be a mapping starting with `- id: ...`.",
                where,
                hint="Indent the code's fields under its `- id:` line.",
            )
            return None
        for key in node:
            if key not in CODE_FIELDS:
                self.problem(
                    "unknown-field",
                    f"Unknown field `{key}` in a code.",
                    key_position(node, key),
                    hint=unknown_field_hint(str(key), CODE_FIELDS),
                )
        start = node_position(node)
        code_id = node.get("id")
        if code_id is None or str(code_id).strip() == "":
            self.problem(
                "missing-id",
                "A code has no `id`.",
                start,
                hint="Give every code a short stable id such as `distance.geographic`.",
            )
            return None
        code_id = str(code_id).strip()
        if not ID_PATTERN.match(code_id):
            self.problem(
                "bad-id",
                f"The id `{code_id}` has characters an id cannot have.",
                value_position(node, "id"),
                hint="Use letters, digits, `.`, `-` and `_` only, no spaces.",
            )
        if code_id in self.seen_ids:
            first_path, first_line = self.seen_ids[code_id]
            self.problem(
                "duplicate-id",
                f"The id `{code_id}` is used twice (first at {first_path}:{first_line}).",
                value_position(node, "id"),
                hint="Ids must be unique across all codebooks of a study: rename one of them.",
            )
        else:
            self.seen_ids[code_id] = (self.path, start[0])
        labels = self.read_labels(node, code_id, start)
        colour = self.read_colour(node, code_id)
        keywords = self.read_keywords(node, "keywords", code_id)
        negative = self.read_keywords(node, "negative_keywords", code_id)
        examples_node = node.get("examples")
        examples: list[str] = []
        if isinstance(examples_node, list):
            examples = [str(e).strip() for e in examples_node if str(e).strip()]
        elif isinstance(examples_node, str):
            examples = [examples_node.strip()]
        elif examples_node is not None:
            self.problem(
                "bad-field",
                f"`examples` of `{code_id}` should be a list of quotes.",
                value_position(node, "examples"),
            )
        code = Code(
            id=code_id,
            labels=labels,
            description=self.text_field(node, "description"),
            inclusion=self.text_field(node, "inclusion"),
            exclusion=self.text_field(node, "exclusion"),
            examples=examples,
            keywords=keywords,
            negative_keywords=negative,
            colour=colour,
            parent_id=parent.id if parent else None,
            codebook_id=codebook_id,
            path=self.path,
            line=start[0],
        )
        children = node.get("children")
        if children is not None:
            if isinstance(children, CommentedSeq):
                code.children = self.read_codes(children, parent=code, codebook_id=codebook_id)
            else:
                self.problem(
                    "bad-structure",
                    f"`children` of `{code_id}` should be a list of codes.",
                    value_position(node, "children"),
                    hint="Start each child with `- id: ...`.",
                )
        return code

    def read_labels(
        self, node: CommentedMap, code_id: str, start: tuple[int | None, int | None]
    ) -> dict[str, str]:
        value = node.get("label")
        labels: dict[str, str] = {}
        if isinstance(value, str) and value.strip():
            labels = {"": value.strip()}
        elif isinstance(value, dict):
            labels = {str(k): str(v).strip() for k, v in value.items() if str(v or "").strip()}
        if not labels:
            self.problem(
                "missing-label",
                f"The code `{code_id}` has no label.",
                value_position(node, "label") if "label" in node else start,
                hint="Add `label: Geografisk distanse` or `label: {nb: ..., en: ...}`.",
            )
            labels = {"": code_id}
        return labels

    def read_colour(self, node: CommentedMap, code_id: str) -> str:
        value = node.get("colour")
        if value is None and "colour" in node:
            self.check_unquoted_colour(node, code_id)
        if value is None:
            colour = DEFAULT_COLOURS[self.colour_index % len(DEFAULT_COLOURS)]
            self.colour_index += 1
            return colour
        text = str(value).strip()
        if not COLOUR_PATTERN.match(text):
            self.problem(
                "bad-colour",
                f"`{text}` is not a colour qualcode understands (code `{code_id}`).",
                value_position(node, "colour"),
                hint='Write colours as "#rrggbb" in quotes, e.g. colour: "#4e79a7".',
            )
            return DEFAULT_COLOURS[0]
        return text.lower()

    def check_unquoted_colour(self, node: CommentedMap, code_id: str) -> None:
        """`colour: #ff0000` without quotes: YAML reads the `#` as the start of a comment."""
        line, column = key_position(node, "colour")
        text = self.source_line(line)
        after = text.split(":", 1)[1].strip() if ":" in text else ""
        if not after.startswith("#"):
            return
        colour = after.split()[0]
        self.problem(
            "bad-colour",
            f"The colour of `{code_id}` is read as empty: `{colour}` without quotes is a "
            "comment in YAML, because `#` starts a comment.",
            (line, column),
            hint=f'Put the colour in quotes: colour: "{colour}".',
        )

    def source_line(self, line: int | None) -> str:
        """Line `line` (1-based) of the codebook file as written ('' if unknown)."""
        if line is None:
            return ""
        if self.lines is None:
            try:
                self.lines = self.path.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError):
                self.lines = []
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def read_keywords(self, node: CommentedMap, name: str, code_id: str) -> list[Keyword]:
        value = node.get(name)
        if value is None:
            return []
        if not isinstance(value, CommentedSeq):
            self.problem(
                "bad-field",
                f"`{name}` of `{code_id}` should be a list.",
                value_position(node, name),
                hint=f"Write `{name}: [avstand, lang reisevei]` or one `- word` per line.",
            )
            return []
        if len(value) == 0:
            self.problem(
                "empty-keywords",
                f"`{name}` of `{code_id}` is empty.",
                value_position(node, name),
                hint="Add words or phrases, or remove the empty list.",
            )
        out = []
        for index, item in enumerate(value):
            where = item_position(value, index)
            term: Any = item
            weight: Any = 1.0
            if isinstance(item, CommentedMap):
                for key in item:
                    if key not in KEYWORD_FIELDS:
                        self.problem(
                            "unknown-field",
                            f"Unknown field `{key}` in a keyword of `{code_id}`.",
                            key_position(item, key),
                            hint=unknown_field_hint(str(key), KEYWORD_FIELDS),
                        )
                term = item.get("term")
                weight = item.get("weight", 1.0)
            if term is None or not str(term).strip():
                self.problem(
                    "empty-keyword",
                    f"An empty keyword in `{name}` of `{code_id}`.",
                    where,
                    hint="Remove the empty entry or write the word.",
                )
                continue
            try:
                weight = float(weight)
            except (TypeError, ValueError):
                self.problem(
                    "bad-weight",
                    f"The weight of `{term}` is not a number.",
                    where,
                    hint="Use a number such as 0.5, 1 or 2.",
                )
                weight = 1.0
            if weight <= 0:
                self.problem(
                    "bad-weight",
                    f"The weight of `{term}` must be above 0.",
                    where,
                    hint=f"Move the word to `negative_keywords` if it speaks against `{code_id}`.",
                )
                weight = 1.0
            out.append(Keyword(term=str(term).strip(), weight=weight))
        return out


def read_codebook(
    path: Path, seen_ids: dict[str, tuple[Path, int | None]] | None = None
) -> tuple[Codebook | None, list[Problem]]:
    """Read one codebook file, collecting every problem instead of stopping at the first.

    Args:
        path: the YAML file.
        seen_ids: ids already used by other codebooks of the study (updated in place), so
            duplicates across files are found too.
    """
    reader = _Reader(path, seen_ids if seen_ids is not None else {})
    try:
        data = read_yaml_file(path, CodebookError)
    except CodebookError as exc:
        return None, [Problem.from_error(exc, kind="yaml-syntax")]
    book = reader.read(data)
    return book, reader.problems


def load_codebook(path: Path) -> Codebook:
    """Read one codebook file; raise CodebookError on its first error."""
    book, problems = read_codebook(path)
    raise_first_error(problems, CodebookError)
    assert book is not None
    return book


def read_codebooks(paths: list[Path]) -> tuple[Codebook | None, list[Problem]]:
    """Read a study's codebooks into one tree, checking ids across all files."""
    seen: dict[str, tuple[Path, int | None]] = {}
    books: list[Codebook] = []
    problems: list[Problem] = []
    for path in paths:
        book, found = read_codebook(path, seen)
        problems.extend(found)
        if book is not None:
            books.append(book)
    if not books:
        return None, problems
    return Codebook.merge(books), problems
