"""What the workbench remembers between sessions: the coder's name for each study.

Kept in `settings.json` in qualcode's configuration folder: `$QUALCODE_CONFIG_DIR` when set
(tests set it), else the platform's user configuration folder.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from qualcode.study.files import write_atomic

SETTINGS_NAME = "settings.json"


def config_dir() -> Path:
    """The folder holding qualcode's user settings."""
    configured = os.environ.get("QUALCODE_CONFIG_DIR")
    if configured:
        return Path(configured)
    try:
        from platformdirs import user_config_dir
    except ImportError:  # pragma: no cover - platformdirs comes with Textual
        return Path.home() / ".config" / "qualcode"
    return Path(user_config_dir("qualcode", appauthor=False))


class Settings:
    """The user's settings file, read once and written whenever something is remembered."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / SETTINGS_NAME
        self._data: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _studies(self) -> dict[str, Any]:
        studies = self._data.setdefault("studies", {})
        if not isinstance(studies, dict):
            studies = self._data["studies"] = {}
        return studies

    @staticmethod
    def _key(root: Path) -> str:
        return str(Path(root).resolve())

    def coder_for(self, root: Path) -> str | None:
        """The coder name last used in this study, if any."""
        entry = self._studies().get(self._key(root))
        coder = entry.get("coder") if isinstance(entry, dict) else None
        return str(coder) if coder else None

    def remember_coder(self, root: Path, coder: str) -> bool:
        """Remember `coder` for the study in `root` (written at once); False if it failed."""
        entry = self._studies().setdefault(self._key(root), {})
        if entry.get("coder") == coder:
            return True
        entry["coder"] = coder
        return self.save()

    def save(self) -> bool:
        """Write the settings; False when the folder cannot be written."""
        try:
            write_atomic(self.path, json.dumps(self._data, ensure_ascii=False, indent=2))
        except OSError:
            return False
        return True
