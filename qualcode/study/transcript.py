"""Transcripts: one canonical text, its speaker turns, paragraphs and sentences.

Every position is a Unicode code point offset into `Transcript.text`, the body of the file after
its front matter, normalised to NFC with `\\n` line endings and without leading or trailing blank
lines. Codings, suggestions, agreement units and REFI exchange all count in these offsets.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from ruamel.yaml.comments import CommentedMap

from qualcode.errors import ImportFileError, TranscriptError
from qualcode.study.problems import Problem
from qualcode.study.speakers import SpeakerLabels
from qualcode.study.yamlfile import (
    byte_position,
    key_position,
    load_yaml_text,
    plain,
    unknown_field_hint,
    value_position,
)

TRANSCRIPT_SUFFIXES = (".md", ".txt", ".docx")
FRONT_MATTER_FIELDS = ("title", "language", "form", "date", "informants", "interviewer_labels")
SEGMENT_UNITS = ("turn", "paragraph", "sentence")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”’)\]]*\s+(?=[«\"“‘(\[A-ZÆØÅ0-9–-])")
_MAX_FREE_LABEL_WORDS = 3


def text_hash(text: str) -> str:
    """A short fingerprint of a transcript's canonical text (codings remember it)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def count_words(text: str) -> int:
    return len(text.split())


def canonical_text(body: str) -> str:
    """NFC, `\\n` line endings, no trailing spaces on lines, no blank lines at either end."""
    text = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return text.strip("\n").rstrip()


@dataclass(frozen=True, slots=True)
class Informant:
    """A person (or a unit speaking as one) whose words are quoted."""

    transcript: str
    label: str
    """The speaker label used in the transcript, e.g. `A` or `Leder`."""
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The pseudonym used in attributions (`informant` attribute, else the label)."""
        return self.attributes.get("informant") or self.label

    @property
    def role(self) -> str:
        return self.attributes.get("role", "")

    def get(self, name: str, default: str = "") -> str:
        return self.attributes.get(name, default)


class Segment(NamedTuple):
    """A stretch of text that agreement and suggestions treat as a unit."""

    kind: str
    """`turn`, `paragraph` or `sentence`."""
    index: int
    start: int
    end: int
    turn: int
    """Index of the turn the segment lies in."""


class Turn(NamedTuple):
    """One speaker's turn: from the label to the next label."""

    index: int
    speaker: str | None
    """The label (`I`, `A`, `Leder`); None for text before any label."""
    label_start: int
    """Where the label starts; equal to `start` when there is no label."""
    start: int
    """Where the spoken text starts (after `A: `)."""
    end: int
    is_interviewer: bool


@dataclass
class Transcript:
    """A transcript of a study, parsed."""

    id: str
    path: Path
    text: str
    language: str
    title: str = ""
    form: str = ""
    date: str = ""
    informants: dict[str, Informant] = field(default_factory=dict)
    turns: list[Turn] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    body_line: int = 1
    """Line of the file on which the canonical text starts (after front matter)."""
    words: int | None = None
    """Word count, when already known (from the parse cache)."""

    @cached_property
    def hash(self) -> str:
        return text_hash(self.text)

    @cached_property
    def word_count(self) -> int:
        """Words as `wc -w` counts them: runs of non-space characters."""
        return self.words if self.words is not None else count_words(self.text)

    @cached_property
    def paragraphs(self) -> list[Segment]:
        out: list[Segment] = []
        for turn in self.turns:
            for start, end in _split_spans(self.text, turn.start, turn.end, _PARAGRAPH_BREAK):
                out.append(Segment("paragraph", len(out), start, end, turn.index))
        return out

    @cached_property
    def sentences(self) -> list[Segment]:
        out: list[Segment] = []
        for para in self.paragraphs:
            for start, end in _split_spans(self.text, para.start, para.end, _SENTENCE_END):
                out.append(Segment("sentence", len(out), start, end, para.turn))
        return out

    @cached_property
    def turn_segments(self) -> list[Segment]:
        return [Segment("turn", t.index, t.start, t.end, t.index) for t in self.turns]

    def segments(self, unit: str) -> list[Segment]:
        """Turns, paragraphs or sentences, in text order."""
        if unit == "turn":
            return self.turn_segments
        if unit == "paragraph":
            return self.paragraphs
        if unit == "sentence":
            return self.sentences
        raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(SEGMENT_UNITS)}")

    @cached_property
    def _turn_starts(self) -> list[int]:
        return [t.label_start for t in self.turns]

    def turn_at(self, offset: int) -> Turn | None:
        """The turn containing `offset`."""
        import bisect

        i = bisect.bisect_right(self._turn_starts, offset) - 1
        if 0 <= i < len(self.turns):
            return self.turns[i]
        return None

    def speech_span(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) without a speaker label or blank space at either end.

        A passage that begins inside a label (`I: `) begins where the turn's words begin; one
        that ends inside or just after the next turn's label ends where the turn before it
        ends. Labels inside the passage (it spans several turns) stay. Returns an empty span
        (start == end) when nothing but labels and space is left.
        """
        turn = self.turn_at(start)
        if turn is not None and start < turn.start:
            start = turn.start
        last = self.turn_at(max(start, end - 1))
        if last is not None and last.label_start < end <= last.start and last.index > 0:
            end = min(end, self.turns[last.index - 1].end)
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, max(start, end)

    def informant_at(self, offset: int) -> Informant | None:
        """Who speaks at `offset` (None for the interviewer or unattributed text)."""
        turn = self.turn_at(offset)
        if turn is None or turn.is_interviewer:
            return None
        if turn.speaker is None:
            if len(self.informants) == 1:
                return next(iter(self.informants.values()))
            return None
        return self.informants.get(turn.speaker)

    def informant_list(self) -> list[Informant]:
        return list(self.informants.values())

    def line_of(self, offset: int) -> int:
        """File line of a text offset (for messages)."""
        return self.body_line + self.text.count("\n", 0, offset)

    def excerpt(self, start: int, end: int, limit: int = 80) -> str:
        """The text of [start, end) on one line, shortened at a word to `limit` characters.

        Line breaks become spaces; a cut is shown by `…` after the last whole word (inside a
        word only when its first word alone is longer than the limit).
        """
        snippet = " ".join(self.text[start:end].split())
        if len(snippet) <= limit:
            return snippet
        head = snippet[: limit - 1]
        if snippet[limit - 1] != " " and " " in head:
            head = head[: head.rindex(" ")]
        return head.rstrip(" ,;:") + "…"


def _split_spans(text: str, start: int, end: int, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    """Split text[start:end] at `separator`, trimming whitespace; empty pieces are dropped."""
    spans = []
    pos = start
    for match in separator.finditer(text, start, end):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass
class TranscriptSource:
    """What a transcript file says, before informant tables are merged in."""

    id: str
    path: Path
    text: str
    front: dict[str, Any]
    body_line: int
    problems: list[Problem]
    words: int = -1

    def __post_init__(self) -> None:
        if self.words < 0:
            self.words = count_words(self.text)


def split_front_matter(
    raw: str, path: Path
) -> tuple[CommentedMap | None, str, int, list[Problem]]:
    """Separate YAML front matter (between `---` lines) from the body.

    Returns (front matter or None, body, line where the body starts, problems).
    """
    problems: list[Problem] = []
    raw = raw.removeprefix("\ufeff")
    if not raw.startswith("---"):
        return None, raw, 1, problems
    lines = raw.split("\n")
    if lines[0].strip() != "---":
        return None, raw, 1, problems
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            front_text = "\n".join(lines[1:i])
            body = "\n".join(lines[i + 1 :])
            try:
                front = load_yaml_text(front_text, path, TranscriptError, line_offset=1)
            except TranscriptError as exc:
                problems.append(Problem.from_error(exc, kind="front-matter"))
                return None, body, i + 2, problems
            if front is not None and not isinstance(front, CommentedMap):
                problems.append(
                    Problem(
                        "error",
                        "front-matter",
                        "The front matter must be a mapping (`title: ...`, `informants: ...`).",
                        path,
                        2,
                        1,
                        "See docs/study-folder.md for an example transcript.",
                    )
                )
                front = None
            return front, body, i + 2, problems
    problems.append(
        Problem(
            "error",
            "front-matter",
            "The front matter starts with `---` but never ends.",
            path,
            1,
            1,
            "Add a line with `---` after the last front-matter line.",
        )
    )
    return None, raw, 1, problems


def read_transcript_source(path: Path) -> TranscriptSource:
    """Read a transcript file (`.md`, `.txt` or `.docx`) without interpreting speakers."""
    problems: list[Problem] = []
    if path.suffix.lower() == ".docx":
        from qualcode.study.docx_reader import read_docx

        try:
            raw = read_docx(path)
        except ImportFileError as exc:
            raise TranscriptError(exc.message, path=path, hint=exc.hint) from None
        front, body, body_line = None, raw, 1
    else:
        try:
            data = path.read_bytes()
            raw = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, column = byte_position(data, exc.start)
            raise TranscriptError(
                f"The file is not UTF-8 text: the character at line {line}, column {column} "
                "cannot be read.",
                path=path,
                line=line,
                column=column,
                hint="Bring it in with `qualcode import STUDY FILE`, which detects the "
                "encoding and converts it, or save it as UTF-8.",
            ) from None
        except OSError as exc:
            raise TranscriptError(f"The file cannot be read: {exc.strerror}.", path=path) from None
        front, body, body_line, problems = split_front_matter(raw, path)
        # Blank lines removed at the start of the body shift the first text line.
        stripped = body.replace("\r\n", "\n").lstrip(" \t")
        body_line += len(stripped) - len(stripped.lstrip("\n"))
    front_dict: dict[str, Any] = {}
    if front is not None:
        for key in front:
            if key not in FRONT_MATTER_FIELDS:
                line, column = key_position(front, key, line_offset=1)
                problems.append(
                    Problem(
                        "warning",
                        "unknown-field",
                        f"Unknown front-matter field `{key}` (kept as extra information).",
                        path,
                        line,
                        column,
                        unknown_field_hint(str(key), FRONT_MATTER_FIELDS),
                    )
                )
        informants = front.get("informants")
        if informants is not None and not isinstance(informants, dict):
            line, column = value_position(front, "informants", line_offset=1)
            problems.append(
                Problem(
                    "error",
                    "bad-informants",
                    "`informants` should map each speaker label to its attributes.",
                    path,
                    line,
                    column,
                    "Write e.g. `informants:` then `  A: {role: Bedriftsleder, region: Agder}`.",
                )
            )
        elif isinstance(informants, dict):
            for label, attrs in informants.items():
                if attrs is not None and not isinstance(attrs, dict):
                    line, column = value_position(informants, label, line_offset=1)
                    problems.append(
                        Problem(
                            "error",
                            "bad-informants",
                            f"The attributes of speaker `{label}` should be a mapping.",
                            path,
                            line,
                            column,
                            "Write e.g. `  A: {role: Bedriftsleder, region: Agder}`.",
                        )
                    )
        front_dict = plain(front)
    return TranscriptSource(
        id=path.stem,
        path=path,
        text=canonical_text(body),
        front=front_dict,
        body_line=body_line,
        problems=problems,
    )


def line_starts(text: str) -> Iterator[int]:
    """The position where each line of `text` starts."""
    pos = 0
    length = len(text)
    while pos < length:
        yield pos
        newline = text.find("\n", pos)
        if newline == -1:
            break
        pos = newline + 1


def find_turns(
    text: str,
    pattern: re.Pattern[str] | SpeakerLabels,
    interviewer_labels: set[str],
    informant_labels: set[str],
) -> list[Turn]:
    """Split text into speaker turns.

    A line that starts with a label and a colon begins a turn; the label may be in bold
    (`**I:**`) or follow a timestamp (`[00:12:33] I:`), see `qualcode.study.speakers`. When a
    transcript declares its informants, only their labels and the interviewer labels count, so
    a sentence such as `Det var slik: ...` is not mistaken for a speaker. Otherwise any label of
    at most three words counts.
    """
    labels = pattern if isinstance(pattern, SpeakerLabels) else SpeakerLabels(pattern)
    starts: list[tuple[int, int, str]] = []
    for pos in line_starts(text):
        found = labels.at(text, pos)
        if found is None:
            continue
        label = found.label
        if informant_labels:
            if label not in informant_labels and label not in interviewer_labels:
                continue
        elif len(label.split()) > _MAX_FREE_LABEL_WORDS:
            continue
        starts.append((found.label_start, found.body_start, label))
    turns: list[Turn] = []
    if not starts or starts[0][0] > 0:
        end = starts[0][0] if starts else len(text)
        lead = text[:end].rstrip()
        if lead.strip():
            begin = len(text[:end]) - len(text[:end].lstrip())
            turns.append(Turn(0, None, begin, begin, len(lead), False))
    for i, (label_start, body_start, label) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        while end > body_start and text[end - 1].isspace():
            end -= 1
        body_start = min(body_start, end)
        turns.append(
            Turn(len(turns), label, label_start, body_start, end, label in interviewer_labels)
        )
    return turns
