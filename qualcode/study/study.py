"""A study folder, opened: settings, codebooks, transcripts with their informants, coders.

This is the one entry point the command line, the TUI, suggestions, agreement and export use:

    study = Study.open("my-study")
    t = study.transcript("nb-01-industri-utkant")
    with study.store("ingrid") as store:
        store.add_coding(t, 120, 245, "distance.geographic")
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from qualcode.errors import (
    CodebookError,
    ConfigError,
    QualcodeError,
    StoreError,
    StudyError,
    TranscriptError,
)
from qualcode.study.codebook import Codebook, read_codebooks
from qualcode.study.config import CONFIG_NAME, StudyConfig, read_config
from qualcode.study.informants import InformantRow, find_table, read_table
from qualcode.study.problems import Problem
from qualcode.study.speakers import SpeakerLabels
from qualcode.study.transcript import (
    TRANSCRIPT_SUFFIXES,
    Informant,
    Transcript,
    TranscriptSource,
    find_turns,
    read_transcript_source,
)

CODINGS_DIR = "codings"
CODEBOOKS_DIR = "codebooks"
TRANSCRIPTS_DIR = "transcripts"
CONSENSUS = "consensus"
CODER_NAME = re.compile(r"^[A-Za-z0-9ÆØÅæøå][\wÆØÅæøå.\-]{0,63}$")


def check_coder_name(name: str) -> str:
    """A coder name must be usable as a file name on every system."""
    name = name.strip()
    if not CODER_NAME.match(name):
        raise StudyError(
            f"`{name}` cannot be used as a coder name.",
            hint="Use letters, digits, `.`, `-` or `_` (no spaces), e.g. `ingrid` or `coder-2`.",
        )
    return name


def _error_type(problem: Problem) -> type[QualcodeError]:
    """The error class that fits the file a problem is in."""
    if problem.path is not None and problem.path.name == CONFIG_NAME:
        return ConfigError
    if problem.path is not None and problem.path.parent.name == CODEBOOKS_DIR:
        return CodebookError
    return StudyError


def _read_codebooks_cached(root: Path, paths: list[Path]) -> tuple[Codebook | None, list[Problem]]:
    """read_codebooks, through the study's parse cache."""
    from qualcode.study.cache import (
        ParseCache,
        codebook_from_json,
        codebook_to_json,
        file_key,
        problems_from_json,
        problems_to_json,
    )

    cache = ParseCache(root)
    try:
        key = [str(root.resolve()), file_key(paths)]
    except OSError:
        return read_codebooks(paths)
    hit = cache.get("codebooks", key)
    if hit is not None:
        book = codebook_from_json(hit["codebook"]) if hit["codebook"] else None
        return book, problems_from_json(hit["problems"])
    book, problems = read_codebooks(paths)
    cache.put(
        "codebooks",
        key,
        {"codebook": codebook_to_json(book) if book else None, "problems": problems_to_json(problems)},
    )
    return book, problems


def _read_source_cached(root: Path, path: Path) -> TranscriptSource:
    """read_transcript_source, through the study's parse cache (errors are never cached)."""
    from qualcode.study.cache import ParseCache, file_key, problems_from_json, problems_to_json

    cache = ParseCache(root)
    try:
        key = [str(root.resolve()), file_key([path])]
    except OSError:
        return read_transcript_source(path)
    name = f"transcript-{path.name}"
    hit = cache.get(name, key)
    if hit is not None:
        return TranscriptSource(
            id=path.stem,
            path=path,
            text=hit["text"],
            front=hit["front"],
            body_line=hit["body_line"],
            problems=problems_from_json(hit["problems"]),
            words=hit["words"],
        )
    source = read_transcript_source(path)
    cache.put(
        name,
        key,
        {
            "text": source.text,
            "front": source.front,
            "body_line": source.body_line,
            "words": source.words,
            "problems": problems_to_json(source.problems),
        },
    )
    return source


def _not_a_folder(path: Path) -> Problem:
    """A file given where the study's folder was wanted; names the study it is in, if any."""
    study = next(
        (folder for folder in path.resolve().parents if (folder / CONFIG_NAME).is_file()), None
    )
    if study is not None:
        hint = f"Give the study's folder instead: `{study}`."
    else:
        hint = "Give the folder that holds the study's qualcode.yaml, not a file in it."
    return Problem(
        "error",
        "no-study",
        "This is a file, not a folder: qualcode wants the study's folder here.",
        path,
        hint=hint,
    )


class Study:
    """An opened study folder."""

    def __init__(
        self,
        root: Path,
        config: StudyConfig,
        codebook: Codebook,
        problems: list[Problem],
    ) -> None:
        self.root = root
        self.config = config
        self.codebook = codebook
        self.problems = problems
        """Problems found while opening (warnings only when opened with `open`)."""
        self._sources: dict[str, Path] = {}
        self._loaded: dict[str, Transcript] = {}
        self._informant_rows: list[InformantRow] | None = None
        self._labels = SpeakerLabels(config.speaker_pattern)

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def read(cls, root: str | Path) -> tuple[Study | None, list[Problem]]:
        """Read a study, collecting problems instead of raising (for `qualcode check`)."""
        root = Path(root)
        if root.is_file():
            return None, [_not_a_folder(root)]
        if not root.is_dir():
            return None, [
                Problem(
                    "error",
                    "no-study",
                    "There is no such folder.",
                    root,
                    hint="Check the path, or create a study with `qualcode init FOLDER`.",
                )
            ]
        if not (root / CONFIG_NAME).exists():
            return None, [
                Problem(
                    "error",
                    "no-study",
                    f"This folder is not a qualcode study: it has no {CONFIG_NAME}.",
                    root,
                    hint=f"Create one with `qualcode init {root}`, or give the study's folder.",
                )
            ]
        config, problems = read_config(root)
        if config is None:
            return None, problems
        paths = cls._codebook_paths(root, config, problems)
        codebook, found = _read_codebooks_cached(root, paths)
        problems.extend(found)
        if codebook is None:
            if not paths:
                problems.append(
                    Problem(
                        "error",
                        "no-codebook",
                        "The study has no codebook.",
                        root / CODEBOOKS_DIR,
                        hint="Put a codebook YAML file in codebooks/ (see docs/study-folder.md).",
                    )
                )
            return None, problems
        study = cls(root, config, codebook, problems)
        return study, problems

    @classmethod
    def open(cls, root: str | Path) -> Study:
        """Open a study; raise a QualcodeError at the first error in its settings or codebooks."""
        study, problems = cls.read(root)
        for problem in problems:
            if problem.severity == "error":
                raise _error_type(problem)(
                    problem.message,
                    path=problem.path,
                    line=problem.line,
                    column=problem.column,
                    hint=problem.hint,
                )
        assert study is not None
        return study

    @staticmethod
    def _codebook_paths(root: Path, config: StudyConfig, problems: list[Problem]) -> list[Path]:
        folder = root / CODEBOOKS_DIR
        if config.codebooks:
            paths = []
            for name in config.codebooks:
                path = folder / name
                if not path.exists():
                    problems.append(
                        Problem(
                            "error",
                            "config",
                            f"The codebook `{name}` named in qualcode.yaml does not exist.",
                            root / CONFIG_NAME,
                            hint=f"Put the file in {folder}, or correct the name in qualcode.yaml.",
                        )
                    )
                else:
                    paths.append(path)
            return paths
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))

    # -- transcripts ---------------------------------------------------------------------------

    @property
    def transcripts_dir(self) -> Path:
        return self.root / TRANSCRIPTS_DIR

    def transcript_paths(self) -> dict[str, Path]:
        """Transcript id -> file, in name order."""
        if not self._sources:
            folder = self.transcripts_dir
            found: dict[str, Path] = {}
            if folder.is_dir():
                for path in sorted(folder.iterdir()):
                    if path.suffix.lower() not in TRANSCRIPT_SUFFIXES or path.name.startswith(
                        (".", "~$")
                    ):
                        continue
                    if path.stem in found:
                        self.problems.append(
                            Problem(
                                "error",
                                "duplicate-transcript",
                                f"Two files give the transcript id `{path.stem}`: "
                                f"{found[path.stem].name} and {path.name}.",
                                path,
                                hint="Rename or remove one of them; the id is the file name "
                                "without extension.",
                            )
                        )
                        continue
                    found[path.stem] = path
            self._sources = found
        return self._sources

    @property
    def transcript_ids(self) -> list[str]:
        return list(self.transcript_paths())

    def transcript(self, transcript_id: str) -> Transcript:
        """One transcript, parsed (and kept for the life of this Study)."""
        if transcript_id in self._loaded:
            return self._loaded[transcript_id]
        paths = self.transcript_paths()
        if transcript_id not in paths:
            from qualcode.study.yamlfile import nearest_name

            near = nearest_name(transcript_id, paths)
            raise TranscriptError(
                f"The study has no transcript `{transcript_id}`.",
                path=self.transcripts_dir,
                hint=f"Did you mean `{near}`?"
                if near
                else "A transcript's id is its file name in transcripts/ without extension.",
            )
        source = _read_source_cached(self.root, paths[transcript_id])
        self.problems.extend(source.problems)
        transcript = self._build(source)
        self._loaded[transcript_id] = transcript
        return transcript

    @property
    def transcripts(self) -> list[Transcript]:
        """Every transcript, parsed, in id order."""
        return [self.transcript(tid) for tid in self.transcript_paths()]

    def iter_transcripts(self, ids: list[str] | None = None) -> Iterator[Transcript]:
        for tid in ids if ids is not None else self.transcript_ids:
            yield self.transcript(tid)

    def _build(self, source: TranscriptSource) -> Transcript:
        front = source.front
        declared = front.get("informants") if isinstance(front.get("informants"), dict) else {}
        attributes: dict[str, dict[str, str]] = {}
        for label, attrs in (declared or {}).items():
            attributes[str(label)] = {
                str(k): str(v) for k, v in (attrs or {}).items() if v is not None
            }
        for row in self.informant_rows:
            if row.transcript == source.id:
                known = attributes.setdefault(row.speaker, {})
                self._note_overrides(row, known)
                known.update(row.attributes)
        interviewer = set(self.config.interviewer_labels)
        extra = front.get("interviewer_labels")
        if isinstance(extra, list):
            interviewer |= {str(x) for x in extra}
        elif isinstance(extra, str):
            interviewer.add(extra)
        turns = find_turns(source.text, self._labels, interviewer, set(attributes))
        form = str(front.get("form") or "")
        for turn in turns:
            if turn.speaker and not turn.is_interviewer and turn.speaker not in attributes:
                attributes[turn.speaker] = {}
        informants = {
            label: Informant(source.id, label, attrs) for label, attrs in attributes.items()
        }
        meta = {k: v for k, v in front.items() if k not in ("informants",)}
        return Transcript(
            id=source.id,
            path=source.path,
            text=source.text,
            language=str(front.get("language") or self.config.language),
            title=str(front.get("title") or source.id),
            form=form,
            date=str(front.get("date") or ""),
            informants=informants,
            turns=turns,
            meta=meta,
            body_line=source.body_line,
            words=source.words,
        )

    def _note_overrides(self, row: InformantRow, front: dict[str, str]) -> None:
        """A warning for each attribute the informant table gives otherwise than front matter.

        An empty value in front matter (`role: ""`, as `qualcode import` writes for each speaker)
        is a place to fill in, not a value: the table's value simply fills it.
        """
        for name, value in row.attributes.items():
            if front.get(name, "").strip() and front[name] != value:
                problem = Problem(
                    "warning",
                    "informant-conflict",
                    f"Row {row.line} gives `{name}` of speaker `{row.speaker}` in "
                    f"`{row.transcript}` as `{value}`, but the transcript's front matter says "
                    f"`{front[name]}`; the table's value is used.",
                    self.informant_table,
                    row.line,
                    hint="Make the two agree, or keep the attribute in one place only.",
                )
                if problem not in self.problems:
                    self.problems.append(problem)

    # -- informants ----------------------------------------------------------------------------

    @property
    def informant_table(self) -> Path | None:
        return find_table(self.root, self.config.informant_table)

    @property
    def informant_rows(self) -> list[InformantRow]:
        if self._informant_rows is None:
            path = self.informant_table
            rows: list[InformantRow] = []
            if path is not None:
                rows, problems = read_table(path)
                self.problems.extend(problems)
            self._informant_rows = rows
        return self._informant_rows

    def informants(self) -> list[Informant]:
        """Every informant of every transcript."""
        return [inf for t in self.transcripts for inf in t.informants.values()]

    def attribute_names(self) -> list[str]:
        """Every informant attribute used in the study, e.g. role, region."""
        names: dict[str, None] = {}
        for inf in self.informants():
            for name in inf.attributes:
                names.setdefault(name, None)
        return list(names)

    def attribution(self, informant: Informant | Sequence[Informant] | None) -> str:
        """The attribution from the study's template, e.g. `(Bedriftsleder A)`.

        Args:
            informant: one informant, several (a passage two of them speak), or None for the
                interviewer's words, which have no attribution ('').

        Returns:
            The filled template; `{form}` is the interview form of the informant's transcript.
        """
        from qualcode.study.attribution import format_attribution

        people = [informant] if isinstance(informant, Informant) else list(informant or [])
        transcript = self._transcript_or_none(people[0].transcript) if people else None
        extra = {"form": transcript.form} if transcript and transcript.form else {}
        return format_attribution(self.config.attribution, people or None, extra)

    def _transcript_or_none(self, transcript_id: str) -> Transcript | None:
        try:
            return self.transcript(transcript_id)
        except QualcodeError:
            return None

    # -- coders --------------------------------------------------------------------------------

    @property
    def codings_dir(self) -> Path:
        return self.root / CODINGS_DIR

    def _codings_files(self) -> list[Path]:
        folder = self.codings_dir
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.db") if p.is_file())

    def coders(self, include_consensus: bool = False) -> list[str]:
        """Coders with a codings file, by name (the consensus layer only if asked).

        A file whose name is not a coder name (`jonas (1).db`, as sync services name a copy)
        is left out; `stray_codings_files` lists those.
        """
        names = [p.stem for p in self._codings_files() if CODER_NAME.match(p.stem)]
        if not include_consensus:
            names = [n for n in names if n != CONSENSUS]
        return names

    def stray_codings_files(self) -> list[Path]:
        """Files in codings/ named `*.db` whose name cannot be a coder's, e.g. `jonas (1).db`."""
        return [p for p in self._codings_files() if not CODER_NAME.match(p.stem)]

    def coder_path(self, coder: str) -> Path:
        return self.codings_dir / f"{check_coder_name(coder)}.db"

    def store(self, coder: str, create: bool = False, read_only: bool = False):  # -> CoderStore
        """The coder's codings file, opened. Raise StoreError for an unknown coder.

        With `read_only`, the file is only read: never created, upgraded or written.
        """
        from qualcode.store.coder_store import CoderStore

        path = self.coder_path(coder)
        if not path.exists() and not create:
            known = self.coders(include_consensus=True)
            raise StoreError(
                f"There is no coder `{coder}` in this study.",
                path=self.codings_dir,
                hint=("Known coders: " + ", ".join(known) + ".")
                if known
                else "Nobody has coded yet: open the study with `qualcode open` to start.",
            )
        return CoderStore.open(path, coder=coder, create=create, read_only=read_only)
