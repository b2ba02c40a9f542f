"""A lock file that keeps two windows from coding into the same coder's file at once.

SQLite keeps the file itself consistent, but two windows coding as the same person would
undo each other's work and interleave their histories. The first window writes
`codings/<coder>.lock` holding its process id; a second window finds it and opens the
study read-only (following the first window's changes) instead. A lock left behind by a
window that was killed is noticed (its process is gone) and taken over.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

LOCK_SUFFIX = ".lock"


@dataclass(frozen=True)
class LockHolder:
    """Who holds a coder's lock."""

    pid: int
    host: str
    since: str
    path: Path

    def describe(self) -> str:
        """`process 4242 on laptop since 10:02`."""
        try:
            when = datetime.fromisoformat(self.since).strftime("%H:%M")
        except ValueError:
            when = self.since or "?"
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        return f"process {self.pid}{where} since {when}"


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFO
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class CoderLock:
    """The lock on one coder's codings file.

    Args:
        path: the lock file, `codings/<coder>.lock`.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._token = uuid.uuid4().hex
        self.held = False

    @classmethod
    def for_store(cls, store_path: Path) -> CoderLock:
        """The lock beside a coder's `.db` file."""
        return cls(store_path.with_suffix(LOCK_SUFFIX))

    def holder(self) -> LockHolder | None:
        """Who holds the lock now, if it is held by a live process (or another machine)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            pid, host = int(data["pid"]), str(data["host"])
            since = str(data.get("since", ""))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # half-written or damaged: treat as free
        if host == socket.gethostname() and not process_alive(pid):
            return None
        return LockHolder(pid, host, since, self.path)

    def acquire(self) -> LockHolder | None:
        """Take the lock. Returns None on success, else who holds it."""
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self.holder()
                if holder is not None:
                    return holder
                self.path.unlink(missing_ok=True)  # stale: its window is gone
                continue
            data = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "since": datetime.now().isoformat(timespec="seconds"),
                "token": self._token,
            }
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            self.held = True
            return None
        holder = self.holder()
        return holder or LockHolder(0, "?", "", self.path)

    def release(self) -> None:
        """Give the lock up (only if this window still holds it)."""
        if not self.held:
            return
        self.held = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if data.get("token") == self._token:
            self.path.unlink(missing_ok=True)
