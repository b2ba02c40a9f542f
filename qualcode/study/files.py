"""Writing files so that a crash never leaves half a file behind."""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_NEW_FILE_MODE = 0o666
"""What a program asks for when it creates a file; the user's umask takes away the rest."""


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A new, empty temporary file beside `path`; when the block succeeds it replaces `path`.

    Write the whole file to the path this yields (any library that saves to a path will do).
    The file is flushed to disk before it is moved into place, so `path` is always either the
    old file or the new one, never half of one; if the block fails, `path` is untouched and the
    temporary file is gone. A new file gets the permissions any other new file of the user gets
    (their umask decides); a file that is replaced keeps its own.

    Raises:
        OSError: the folder cannot be written, or `path` cannot be replaced. Callers turn it
            into a message for the user; the temporary file is removed either way.
    """
    tmp = path.parent / f".{path.stem}.{uuid.uuid4().hex[:12]}{path.suffix}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    os.close(os.open(tmp, flags, _NEW_FILE_MODE))
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        _keep_mode_of(path, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` (text is written as UTF-8) to `path` all at once, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _keep_mode_of(path: Path, tmp: Path) -> None:
    """Give `tmp` the permissions of the file it replaces, if there is one."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    os.chmod(tmp, mode)
