"""The disk cache of analyses: one `.npy` file (a packed array) per text, named by its key.

The cache lives in `<study>/.qualcode/cache/language/`, or under the folder named by the
environment variable QUALCODE_CACHE_DIR. It can be deleted at any time. A file that cannot be
read is recomputed; a folder that cannot be written is silently not used.

Files no longer needed (of transcripts since edited, or matched against keywords since changed)
are pruned (`ArrayCache.prune`): in a study's own cache as soon as a reader knows every file the
study needs; in a folder shared by several studies (QUALCODE_CACHE_DIR), only once they have not
been written for SHARED_KEEP_DAYS, since another study may still need them.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from qualcode.language.analysis import Analysis

CACHE_ENV = "QUALCODE_CACHE_DIR"
SHARED_KEEP_DAYS = 30
"""In a cache folder shared by studies, files unused by the study at hand are kept this long."""
LEFTOVER_SECONDS = 3600
"""A temporary file this old was left by a writer that stopped halfway."""


def is_shared(cache_dir: Path) -> bool:
    """Whether a cache folder is the one QUALCODE_CACHE_DIR names (shared by studies)."""
    env = os.environ.get(CACHE_ENV)
    return bool(env) and Path(env) == Path(cache_dir)


def cache_dir_for(study_root: Path) -> Path:
    """Where a study's caches go: QUALCODE_CACHE_DIR if set, else `<study>/.qualcode/cache`."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    return Path(study_root) / ".qualcode" / "cache"


class ArrayCache:
    """Arrays on disk in one folder, one array per `.npy` file, named by key.

    One plain array per file is the quickest thing numpy reads (see qualcode.language.packing
    for putting several arrays and strings in one). Reading never fails the caller (a missing
    or damaged file reads as None) and writing is atomic (a temporary file, then a rename), so
    a reader never sees half a file.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.npy"

    def load_array(self, key: str) -> np.ndarray | None:
        """The array stored under `key`, or None when missing or unreadable."""
        try:
            found = np.load(self.path(key), allow_pickle=False)
        except (OSError, ValueError, EOFError):
            return None
        return found if isinstance(found, np.ndarray) else None

    def prune(self, keep: Iterable[str], shared: bool = False) -> int:
        """Delete the cached arrays whose keys are not in `keep`; the number deleted.

        `shared`: the folder serves other studies too, so only files not written for
        SHARED_KEEP_DAYS go. Never fails the caller.
        """
        wanted = {f"{key}.npy" for key in keep}
        now = time.time()
        limit = now - SHARED_KEEP_DAYS * 86400 if shared else now
        deleted = 0
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return 0
        for entry in entries:
            name = entry.name
            try:
                if name.endswith(".tmp"):
                    stale = entry.stat().st_mtime < now - LEFTOVER_SECONDS
                elif name.endswith(".npy") and name not in wanted:
                    stale = not shared or entry.stat().st_mtime < limit
                else:
                    continue
                if stale:
                    os.unlink(entry.path)
                    deleted += 1
            except OSError:
                continue
        return deleted

    def save_array(self, key: str, array: np.ndarray) -> None:
        """Write one array; never fails the caller (a folder that cannot be written is skipped)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.folder)
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as handle:
                np.save(handle, array, allow_pickle=False)
            os.replace(tmp, self.path(key))
        except OSError:
            Path(tmp).unlink(missing_ok=True)


class AnalysisCache(ArrayCache):
    """Analyses on disk, keyed by text hash, in `<cache>/language/`."""

    def __init__(self, root: Path) -> None:
        super().__init__(Path(root) / "language")
        self.root = Path(root)
        """The cache folder as a whole; other kinds of cached data live beside `language/`."""
        self.hits = 0

    def load(self, key: str) -> Analysis | None:
        packed = self.load_array(key)
        if packed is None:
            return None
        try:
            analysis = Analysis.unpack(packed)
        except ValueError:
            return None
        self.hits += 1
        return analysis

    def save(self, key: str, analysis: Analysis) -> None:
        self.save_array(key, analysis.pack())
