"""Writing files so that a crash never leaves half a file behind."""

from __future__ import annotations

import os
import stat
import uuid
from pathlib import Path

_NEW_FILE_MODE = 0o666
"""What a program asks for when it creates a file; the user's umask takes away the rest."""


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then move it into place.

    A new file gets the permissions any other new file of the user gets (their umask
    decides); a file that is replaced keeps its own.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:12]}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, _NEW_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode_of(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _keep_mode_of(path: Path, tmp: Path) -> None:
    """Give `tmp` the permissions of the file it replaces, if there is one."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    os.chmod(tmp, mode)
