"""What the workbench remembers between sessions: for each study, the coder's name, the code
on each quick key (per coder) and the export dialog's last fields.

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
        entry = self._entry(root)
        if entry.get("coder") == coder:
            return True
        entry["coder"] = coder
        return self.save()

    def _entry(self, root: Path) -> dict[str, Any]:
        entry = self._studies().setdefault(self._key(root), {})
        if not isinstance(entry, dict):
            entry = self._studies()[self._key(root)] = {}
        return entry

    def quick_keys_for(self, root: Path, coder: str) -> list[str | None] | None:
        """The code on each quick key when `coder` last coded in this study (None: not kept)."""
        kept = self._entry(root).get("quick_keys")
        slots = kept.get(coder) if isinstance(kept, dict) else None
        if not isinstance(slots, list):
            return None
        return [str(code) if isinstance(code, str) and code else None for code in slots]

    def remember_quick_keys(self, root: Path, coder: str, slots: list[str | None]) -> bool:
        """Keep the code on each quick key for `coder` in this study (written at once)."""
        kept = self._entry(root).setdefault("quick_keys", {})
        if not isinstance(kept, dict):
            kept = self._entry(root)["quick_keys"] = {}
        if kept.get(coder) == slots:
            return True
        kept[coder] = slots
        return self.save()

    def export_fields(self, root: Path) -> dict[str, Any]:
        """The export dialog's fields as they were last written in this study."""
        fields = self._entry(root).get("export")
        return dict(fields) if isinstance(fields, dict) else {}

    def remember_export_fields(self, root: Path, fields: dict[str, Any]) -> bool:
        """Keep the export dialog's fields for the next time (written at once)."""
        entry = self._entry(root)
        if entry.get("export") == fields:
            return True
        entry["export"] = fields
        return self.save()

    def save(self) -> bool:
        """Write the settings; False when the folder cannot be written."""
        try:
            write_atomic(self.path, json.dumps(self._data, ensure_ascii=False, indent=2))
        except OSError:
            return False
        return True
