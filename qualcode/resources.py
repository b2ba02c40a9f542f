"""Where the files qualcode ships live: the demo study and its codebooks.

An installed wheel carries them in `qualcode/demo_study/` (mapped there by the build
configuration from the repository's own `codebooks/`, `transcripts/` ...). Running from a
checkout, the repository root is itself the demo study.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import StudyError

_PACKAGE = Path(__file__).resolve().parent


def demo_root() -> Path:
    """The folder holding the demo study (qualcode.yaml, codebooks/, transcripts/ ...)."""
    for candidate in (_PACKAGE / "demo_study", _PACKAGE.parent):
        if (candidate / "qualcode.yaml").is_file() and (candidate / "transcripts").is_dir():
            return candidate
    raise StudyError(
        "The demo study is missing from this installation of qualcode.",
        hint="Reinstall qualcode (`pip install --force-reinstall qualcode`).",
    )


def shipped_codebooks() -> dict[str, Path]:
    """The codebooks qualcode ships, by file stem."""
    folder = demo_root() / "codebooks"
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}
