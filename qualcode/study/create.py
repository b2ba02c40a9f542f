"""Creating studies: `qualcode init` (a new, empty study) and `qualcode demo` (the demo study)."""

from __future__ import annotations

import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import StudyError
from qualcode.study.config import CONFIG_NAME, StudyConfig
from qualcode.study.files import write_atomic
from qualcode.study.study import CODEBOOKS_DIR, CODINGS_DIR, TRANSCRIPTS_DIR, Study
from qualcode.study.yamlfile import read_yaml_file

DEMO_CODINGS_DIR = "demo-codings"
INFORMANT_HEADER = "transcript,speaker,informant,role,organisation_type,municipality_type,region\n"


@dataclass
class Created:
    root: Path
    files: list[Path] = field(default_factory=list)
    coders: dict[str, int] = field(default_factory=dict)
    existed: bool = False


def _check_target(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise StudyError(
            "There is a file with that name, not a folder.",
            path=root,
            hint="Choose another name for the study folder.",
        )
    if (root / CONFIG_NAME).exists():
        raise StudyError(
            "This folder is already a qualcode study.",
            path=root,
            hint=f"Open it with `qualcode open {root}`, or choose an empty folder.",
        )
    if root.exists() and any(root.iterdir()):
        raise StudyError(
            "The folder is not empty.",
            path=root,
            hint="Create the study in a new or empty folder, then bring transcripts in with "
            "`qualcode import`.",
        )
    if not root.parent.exists():
        raise StudyError(
            "The folder above it does not exist.",
            path=root.parent,
            hint="Create that folder first, or give a path inside an existing one.",
        )


def init_study(
    root: str | Path,
    name: str | None = None,
    language: str = "nb",
    codebooks: list[str] | None = None,
    attribution: str = "({role} {informant})",
) -> Created:
    """Create an empty study, with the shipped codebooks named in `codebooks` copied in."""
    from qualcode.resources import shipped_codebooks

    root = Path(root)
    _check_target(root)
    if language not in ("nb", "en"):
        raise StudyError(
            f"Unknown language `{language}`.", hint="Use `nb` (Norwegian Bokmål) or `en`."
        )
    shipped = shipped_codebooks()
    wanted = codebooks if codebooks is not None else ["interorganisational-distance"]
    for book in wanted:
        if book not in shipped:
            raise StudyError(
                f"qualcode ships no codebook `{book}`.",
                hint="Shipped codebooks: " + ", ".join(shipped) + ".",
            )
    created = Created(root)
    root.mkdir(exist_ok=True)
    for sub in (CODEBOOKS_DIR, TRANSCRIPTS_DIR, CODINGS_DIR):
        (root / sub).mkdir(exist_ok=True)
    config = StudyConfig(
        name=name or root.resolve().name,
        language=language,
        codebooks=[f"{b}.yaml" for b in wanted],
        attribution=attribution,
    )
    write_atomic(root / CONFIG_NAME, config.to_yaml())
    created.files.append(root / CONFIG_NAME)
    for book in wanted:
        target = root / CODEBOOKS_DIR / f"{book}.yaml"
        shutil.copyfile(shipped[book], target)
        created.files.append(target)
    write_atomic(root / "informants.csv", INFORMANT_HEADER)
    created.files.append(root / "informants.csv")
    return created


def create_demo(root: str | Path) -> Created:
    """Copy the demo study to `root` and build its coders' codings files.

    If `root` already holds the demo study, nothing is copied (the existing one is used); any
    other study there is refused, so a researcher's own study is never mistaken for the demo.
    """
    from qualcode.resources import demo_root

    root = Path(root)
    source = demo_root()
    if (root / CONFIG_NAME).exists():
        if not is_demo_study(root, source):
            raise StudyError(
                "This folder holds another qualcode study, not the demo study.",
                path=root,
                hint="Give `qualcode demo` a new folder, e.g. `qualcode demo qualcode-demo`; "
                f"to work on this study, open it with `qualcode open {root}`.",
            )
        return Created(root, existed=True)
    _check_target(root)
    created = Created(root)
    staging = root.parent / f".{root.name}.creating"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        staging.mkdir()
        for name in (CONFIG_NAME, "informants.csv"):
            if (source / name).exists():
                shutil.copyfile(source / name, staging / name)
        for sub in (CODEBOOKS_DIR, TRANSCRIPTS_DIR):
            shutil.copytree(source / sub, staging / sub)
        (staging / CODINGS_DIR).mkdir()
        created.coders = build_demo_codings(staging, source / DEMO_CODINGS_DIR)
        if root.exists():
            root.rmdir()  # empty, checked above
        staging.rename(root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    created.files = sorted(p for p in root.rglob("*") if p.is_file())
    return created


def is_demo_study(root: Path, demo: Path) -> bool:
    """True when the study in `root` is a copy of the demo study: the same name and every
    one of the demo's transcripts."""
    from qualcode.study.config import read_config

    config, _problems = read_config(root)
    demo_config, _problems = read_config(demo)
    if config is None or demo_config is None or config.name != demo_config.name:
        return False
    names = {p.name for p in (demo / TRANSCRIPTS_DIR).iterdir() if p.is_file()}
    return all((root / TRANSCRIPTS_DIR / name).is_file() for name in names)


def build_demo_codings(study_root: Path, codings_dir: Path) -> dict[str, int]:
    """Turn the demo's readable coding lists (YAML, quote + code) into coders' SQLite files."""
    study = Study.open(study_root)
    counts: dict[str, int] = {}
    for path in sorted(codings_dir.glob("*.yaml")):
        data = read_yaml_file(path, StudyError) or {}
        coder = str(data.get("coder") or path.stem)
        with study.store(coder, create=True) as store:
            grouped: dict[str, list] = {}
            for item in data.get("codings") or []:
                grouped.setdefault(str(item["transcript"]), []).append(item)
            for tid, items in grouped.items():
                transcript = study.transcript(tid)
                spans, memos = [], []
                for item in items:
                    quote = unicodedata.normalize("NFC", " ".join(str(item["quote"]).split()))
                    start = _find_quote(transcript.text, quote)
                    if start is None:
                        raise StudyError(
                            f"Demo coding quote not found in `{tid}`: «{quote[:60]}».",
                            path=path,
                        )
                    end = start[1]
                    spans.append((start[0], end, str(item["code"])))
                    if item.get("memo"):
                        memos.append((start[0], end, str(item["code"]), str(item["memo"])))
                codings = store.add_codings(transcript, spans, f"Code {tid}")
                by_span = {(c.start, c.end, c.code): c for c in codings}
                for start, end, code, memo in memos:
                    store.set_memo("coding", by_span[(start, end, code)].id, memo)
            counts[coder] = store.count()
    return counts


def _find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Find a quote whose whitespace may differ from the text's (line breaks in YAML)."""
    position = text.find(quote)
    if position != -1:
        return position, position + len(quote)
    import re

    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None
