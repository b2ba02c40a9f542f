"""One coder's codings, memos and history, in one SQLite file.

Each change a coder makes is one transaction that also records how to undo it, so a crash or a
killed terminal loses at most the change in flight, and undo/redo work across restarts. Two
programs open on the same file are kept apart by SQLite's locking; `changed_elsewhere()` lets a
window notice that another one wrote.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from qualcode import __version__
from qualcode.errors import StoreError
from qualcode.store.schema import MIGRATIONS, SCHEMA_VERSION
from qualcode.study.transcript import Transcript

MemoTarget = Literal["coding", "transcript", "code", "study"]
MEMO_TARGETS: tuple[str, ...] = ("coding", "transcript", "code", "study")
_CODING_COLUMNS = (
    "id",
    "transcript",
    "start",
    "end",
    "code",
    "quote",
    "text_hash",
    "created",
    "modified",
)
_MEMO_COLUMNS = ("id", "target_kind", "target", "text", "created", "modified")
_FEEDBACK_COLUMNS = ("id", "transcript", "start", "end", "code", "decision", "quote", "at")
_TABLE_COLUMNS = {
    "codings": _CODING_COLUMNS,
    "memos": _MEMO_COLUMNS,
    "feedback": _FEEDBACK_COLUMNS,
}
_SETTLEMENT_COLUMNS = ("id", "transcript", "start", "end", "decision", "detail", "memo", "at")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _q(column: str) -> str:
    return f'"{column}"'


@dataclass(frozen=True, slots=True)
class Coding:
    """A code applied by one coder to `text[start:end]` of a transcript."""

    id: str
    transcript: str
    start: int
    end: int
    code: str
    quote: str
    """The text the coding covered when it was made (for re-anchoring and exports)."""
    text_hash: str
    """Fingerprint of the transcript text it was made on."""
    created: str
    modified: str

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True, slots=True)
class Memo:
    id: str
    target_kind: str
    target: str
    text: str
    created: str
    modified: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    seq: int
    description: str
    undone: bool
    at: str


@dataclass(frozen=True, slots=True)
class Feedback:
    """A coder's accept or reject of a suggested code for a passage."""

    id: str
    transcript: str
    start: int
    end: int
    code: str
    decision: str
    quote: str
    at: str


@dataclass(frozen=True)
class Change:
    """One row before and after an action; undo writes `before`, redo writes `after`."""

    table: str
    row_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class CoderStore:
    """A coder's SQLite file, opened. Use `CoderStore.open` or `Study.store`."""

    def __init__(
        self, path: Path, connection: sqlite3.Connection, coder: str, read_only: bool = False
    ) -> None:
        self.path = path
        self.coder = coder
        self.read_only = read_only
        """Opened only for reading: every change is refused."""
        self._db = connection
        self._data_version = self._read_data_version()

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        coder: str | None = None,
        create: bool = False,
        read_only: bool = False,
    ) -> CoderStore:
        """Open (or create) a coder file and bring its schema up to date.

        With `read_only`, the file is only read: it is never created, upgraded or written, so
        `qualcode check` can look at any file without changing it.

        Raises StoreError for a file that is not a codings file, is damaged, is empty (read
        only), or was written by a newer version of qualcode.
        """
        path = Path(path)
        coder = coder or path.stem
        if not path.exists():
            if not create or read_only:
                raise StoreError(
                    "The codings file does not exist.",
                    path=path,
                    hint="Check the coder name; `qualcode check` lists the study's coders.",
                )
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = cls._connect(path, read_only)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"This is not a qualcode codings file, or it is damaged ({exc}).",
                path=path,
                hint="Restore the file from a backup, or move it out of codings/ if it does "
                "not belong there.",
            ) from None
        try:
            cls._check_version(path, version, tables, read_only)
        except StoreError:
            db.close()
            raise
        if not read_only:
            db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        store = cls(path, db, coder, read_only=read_only)
        if read_only:
            return store
        try:
            store._migrate(version)
        except sqlite3.DatabaseError as exc:
            db.close()
            raise StoreError(
                f"The codings file could not be read or upgraded ({exc}).",
                path=path,
                hint="Restore it from a backup; it has not been changed.",
            ) from None
        except StoreError:
            db.close()
            raise
        return store

    @staticmethod
    def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
        if read_only:
            uri = path.resolve().as_uri() + "?mode=ro"
            db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=10.0)
        else:
            db = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        db.execute("PRAGMA busy_timeout = 10000")
        return db

    @staticmethod
    def _check_version(path: Path, version: int, tables: int, read_only: bool) -> None:
        """Refuse a file this version cannot use (newer, foreign, or empty when only read)."""
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"This codings file was written by a newer version of qualcode (file format "
                f"{version}; this version reads up to {SCHEMA_VERSION}).",
                path=path,
                hint="Upgrade qualcode (`pip install --upgrade qualcode`) and try again. The "
                "file has not been changed.",
            )
        if version == 0 and tables:
            raise StoreError(
                "This SQLite file is not a qualcode codings file.",
                path=path,
                hint="Move it out of codings/; qualcode keeps one file per coder there.",
            )
        if version == 0 and read_only:
            raise StoreError(
                "The codings file is empty: it holds no codings.",
                path=path,
                hint="Remove it if nobody has coded under this name, or restore it from a "
                "backup if it should hold codings.",
            )

    def _migrate(self, version: int) -> None:
        if version >= SCHEMA_VERSION:
            return
        with self._transaction():
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            now = _now()
            for key, value in (("coder", self.coder), ("created", now)):
                self._db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (key, value))
            self._db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('written_by', ?)", (f"qualcode {__version__}",)
            )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> CoderStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self.read_only:
            raise StoreError(
                "This codings file was opened only for reading.",
                path=self.path,
                hint="Open it for coding (`qualcode open`) to change it.",
            )
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"The codings file is busy ({exc}).",
                path=self.path,
                hint="Another qualcode window may be writing to it; try again in a moment.",
            ) from None
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
            self._data_version = self._read_data_version()

    def _read_data_version(self) -> int:
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def changed_elsewhere(self) -> bool:
        """True once another connection (another window) has written since we last looked."""
        current = self._read_data_version()
        changed = current != self._data_version
        self._data_version = current
        return changed

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    # -- reading -------------------------------------------------------------------------------

    def codings(
        self, transcript: str | None = None, code: str | Iterable[str] | None = None
    ) -> list[Coding]:
        """Codings in text order, optionally of one transcript and/or code(s)."""
        sql = "SELECT " + ", ".join(map(_q, _CODING_COLUMNS)) + " FROM codings"
        where, args = [], []
        if transcript is not None:
            where.append("transcript = ?")
            args.append(transcript)
        if code is not None:
            codes = [code] if isinstance(code, str) else list(code)
            where.append("code IN (" + ",".join("?" * len(codes)) + ")")
            args.extend(codes)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += ' ORDER BY transcript, start, "end", code'
        return [Coding(*row) for row in self._db.execute(sql, args)]

    def coding(self, coding_id: str) -> Coding:
        row = self._db.execute(
            "SELECT " + ", ".join(map(_q, _CODING_COLUMNS)) + " FROM codings WHERE id = ?",
            (coding_id,),
        ).fetchone()
        if row is None:
            raise StoreError(
                "That coding no longer exists.",
                path=self.path,
                hint="It may have been removed or undone in another window.",
            )
        return Coding(*row)

    def coded_transcripts(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT transcript FROM codings")]

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM codings").fetchone()[0])

    def memo(self, target_kind: str, target: str) -> str:
        row = self._db.execute(
            "SELECT text FROM memos WHERE target_kind = ? AND target = ?", (target_kind, target)
        ).fetchone()
        return row[0] if row else ""

    def memos(self, target_kind: str | None = None) -> list[Memo]:
        sql = "SELECT " + ", ".join(_MEMO_COLUMNS) + " FROM memos"
        args: tuple[str, ...] = ()
        if target_kind:
            sql += " WHERE target_kind = ?"
            args = (target_kind,)
        return [Memo(*row) for row in self._db.execute(sql + " ORDER BY created", args)]

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- changing codings ----------------------------------------------------------------------

    def add_coding(self, transcript: Transcript, start: int, end: int, code: str) -> Coding:
        """Code `transcript.text[start:end]` with `code`. One undoable step.

        Coding the same span with the same code twice gives back the existing coding.
        """
        return self.add_codings(transcript, [(start, end, code)], f"Code with {code}")[0]

    def add_codings(
        self,
        transcript: Transcript,
        spans: Sequence[tuple[int, int, str]],
        description: str | None = None,
    ) -> list[Coding]:
        """Add several codings to one transcript as a single undoable step."""
        out, changes = self._new_codings(transcript, spans)
        if changes:
            self._record(description or f"Code {len(changes)} passages", changes)
        return out

    def _new_codings(
        self, transcript: Transcript, spans: Sequence[tuple[int, int, str]]
    ) -> tuple[list[Coding], list[Change]]:
        """The codings for `spans` (existing ones for spans already coded) and the changes
        that add the new ones."""
        now = _now()
        out: list[Coding] = []
        changes: list[Change] = []
        existing = {(c.start, c.end, c.code): c for c in self.codings(transcript.id)}
        for start, end, code in spans:
            self._check_span(transcript, start, end)
            if (start, end, code) in existing:
                out.append(existing[(start, end, code)])
                continue
            coding = Coding(
                id=uuid.uuid4().hex,
                transcript=transcript.id,
                start=start,
                end=end,
                code=code,
                quote=transcript.text[start:end],
                text_hash=transcript.hash,
                created=now,
                modified=now,
            )
            existing[(start, end, code)] = coding
            out.append(coding)
            changes.append(Change("codings", coding.id, None, asdict(coding)))
        return out, changes

    def remove_coding(self, coding_id: str) -> Coding:
        """Remove a coding (and its memo). One undoable step."""
        coding = self.coding(coding_id)
        changes = [Change("codings", coding.id, asdict(coding), None)]
        memo = self._memo_row("coding", coding_id)
        if memo:
            changes.append(Change("memos", memo["id"], memo, None))
        self._record(f"Remove {coding.code} coding", changes)
        return coding

    def remove_codings(self, coding_ids: Iterable[str], description: str) -> int:
        """Remove several codings as one undoable step; returns how many."""
        changes = []
        for coding_id in coding_ids:
            coding = self.coding(coding_id)
            changes.append(Change("codings", coding.id, asdict(coding), None))
            memo = self._memo_row("coding", coding_id)
            if memo:
                changes.append(Change("memos", memo["id"], memo, None))
        if changes:
            self._record(description, changes)
        return sum(1 for c in changes if c.table == "codings")

    def change_coding(
        self,
        coding_id: str,
        transcript: Transcript,
        start: int | None = None,
        end: int | None = None,
        code: str | None = None,
    ) -> Coding:
        """Move a coding's boundaries and/or give it another code. One undoable step."""
        old = self.coding(coding_id)
        start = old.start if start is None else start
        end = old.end if end is None else end
        self._check_span(transcript, start, end)
        new = Coding(
            id=old.id,
            transcript=old.transcript,
            start=start,
            end=end,
            code=code or old.code,
            quote=transcript.text[start:end],
            text_hash=transcript.hash,
            created=old.created,
            modified=_now(),
        )
        what = "Recode" if new.code != old.code else "Resize"
        self._record(f"{what} {old.code} coding", [Change("codings", old.id, asdict(old), asdict(new))])
        return new

    def update_anchors(self, moves: Sequence[tuple[Coding, int, int, str, str]]) -> None:
        """Re-anchor codings after a transcript was edited: (coding, start, end, quote, hash)."""
        changes = []
        now = _now()
        for old, start, end, quote, new_hash in moves:
            new = Coding(old.id, old.transcript, start, end, old.code, quote, new_hash, old.created, now)
            changes.append(Change("codings", old.id, asdict(old), asdict(new)))
        if changes:
            self._record(f"Re-anchor {len(changes)} codings", changes)

    def _check_span(self, transcript: Transcript, start: int, end: int) -> None:
        if not (0 <= start < end <= len(transcript.text)):
            raise StoreError(
                f"The passage {start}–{end} is not inside transcript `{transcript.id}` "
                f"(0–{len(transcript.text)}).",
                path=self.path,
                hint="Select some text inside the transcript and try again.",
            )

    # -- memos ---------------------------------------------------------------------------------

    def set_memo(self, target_kind: str, target: str, text: str) -> None:
        """Write (or, with empty text, delete) the memo on a coding, transcript, code or study."""
        if target_kind not in MEMO_TARGETS:
            raise StoreError(
                f"A memo cannot be attached to `{target_kind}`.",
                hint="Memos go on a coding, a transcript, a code or the study.",
            )
        old = self._memo_row(target_kind, target)
        text = text.strip()
        if old is None and not text:
            return
        if target_kind == "coding" and text and not self._has_coding(target):
            raise StoreError(
                "There is no such coding to write a memo on.",
                path=self.path,
                hint="The coding may have been removed or undone; select a coding and write "
                "the memo again.",
            )
        if old is not None and old["text"] == text:
            return
        now = _now()
        if not text:
            new = None
        else:
            new = {
                "id": old["id"] if old else uuid.uuid4().hex,
                "target_kind": target_kind,
                "target": target,
                "text": text,
                "created": old["created"] if old else now,
                "modified": now,
            }
        row_id = (old or new or {})["id"]
        verb = "Delete" if new is None else ("Edit" if old else "Write")
        self._record(f"{verb} memo on {target_kind}", [Change("memos", row_id, old, new)])

    def _has_coding(self, coding_id: str) -> bool:
        found = self._db.execute("SELECT 1 FROM codings WHERE id = ?", (coding_id,)).fetchone()
        return found is not None

    def _memo_row(self, target_kind: str, target: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT " + ", ".join(_MEMO_COLUMNS) + " FROM memos WHERE target_kind = ? AND target = ?",
            (target_kind, target),
        ).fetchone()
        return dict(zip(_MEMO_COLUMNS, row, strict=True)) if row else None

    # -- suggestion feedback -------------------------------------------------------------------

    def record_feedback(
        self, transcript: Transcript, start: int, end: int, code: str, decision: str
    ) -> Feedback:
        """Remember that the coder accepted or rejected a suggested code for a passage.

        One undoable step: undoing it forgets the decision, so the models stop learning from it.
        """
        if decision not in ("accept", "reject"):
            raise StoreError(f"Unknown decision `{decision}`.", hint="Use accept or reject.")
        item = self._feedback_row(transcript, start, end, code, decision)
        verb = "Accept" if decision == "accept" else "Reject"
        self._record(
            f"{verb} suggested {code}", [Change("feedback", item.id, None, asdict(item))]
        )
        return item

    def accept_suggestion(
        self,
        transcript: Transcript,
        start: int,
        end: int,
        code: str,
        suggested_start: int | None = None,
        suggested_end: int | None = None,
    ) -> Coding:
        """Code `text[start:end]` with a suggested code and remember the accept decision.

        Both are written in one transaction and make one undoable step: undoing it removes the
        coding and the decision together.

        Args:
            transcript: the transcript the suggestion is in.
            start, end: the passage to code (the suggestion's passage, perhaps trimmed).
            code: the suggested code.
            suggested_start, suggested_end: the passage as it was suggested, which the models
                learn from; `start` and `end` when not given.
        """
        suggested = (
            start if suggested_start is None else suggested_start,
            end if suggested_end is None else suggested_end,
        )
        [coding], changes = self._new_codings(transcript, [(start, end, code)])
        item = self._feedback_row(transcript, *suggested, code, "accept")
        changes.append(Change("feedback", item.id, None, asdict(item)))
        self._record(f"Accept suggested {code}", changes)
        return coding

    def _feedback_row(
        self, transcript: Transcript, start: int, end: int, code: str, decision: str
    ) -> Feedback:
        self._check_span(transcript, start, end)
        return Feedback(
            uuid.uuid4().hex, transcript.id, start, end, code, decision,
            transcript.text[start:end], _now(),
        )

    def feedback(self, code: str | None = None) -> list[Feedback]:
        """Accept and reject decisions on suggestions, oldest first (undone ones left out)."""
        if self.schema_version < 2:  # an older file, only read: it has no decisions yet
            return []
        sql = "SELECT " + ", ".join(map(_q, _FEEDBACK_COLUMNS)) + " FROM feedback"
        args: tuple[str, ...] = ()
        if code:
            sql += " WHERE code = ?"
            args = (code,)
        return [Feedback(*row) for row in self._db.execute(sql + " ORDER BY at", args)]

    # -- settled disagreements (a consensus layer's decisions) --------------------------------

    def settlements(self) -> list[dict[str, Any]]:
        """Rows of the settlements table, oldest first (see qualcode.agreement.consensus)."""
        if self.schema_version < 2:  # an older file, only read: it has no settlements yet
            return []
        rows = self._db.execute(
            "SELECT " + ", ".join(map(_q, _SETTLEMENT_COLUMNS)) + " FROM settlements "
            "ORDER BY at, id"
        )
        return [dict(zip(_SETTLEMENT_COLUMNS, row, strict=True)) for row in rows]

    def save_settlement(self, row: dict[str, Any]) -> None:
        """Insert a settlement, or replace the one with the same `id`."""
        with self._transaction():
            self._db.execute(
                f"INSERT OR REPLACE INTO settlements ({', '.join(map(_q, _SETTLEMENT_COLUMNS))}) "
                f"VALUES ({', '.join('?' * len(_SETTLEMENT_COLUMNS))})",
                tuple(row[c] for c in _SETTLEMENT_COLUMNS),
            )

    def delete_settlement(self, settlement_id: str) -> bool:
        """Remove a settlement; True when there was one."""
        with self._transaction():
            cursor = self._db.execute("DELETE FROM settlements WHERE id = ?", (settlement_id,))
        return cursor.rowcount > 0

    # -- history -------------------------------------------------------------------------------

    def _record(self, description: str, changes: list[Change]) -> None:
        payload = json.dumps(
            [[c.table, c.row_id, c.before, c.after] for c in changes], ensure_ascii=False
        )
        with self._transaction():
            for change in changes:
                self._write_row(change.table, change.row_id, change.after)
            self._db.execute("DELETE FROM history WHERE undone = 1")
            self._db.execute(
                "INSERT INTO history (description, changes, at) VALUES (?, ?, ?)",
                (description, payload, _now()),
            )

    def _write_row(self, table: str, row_id: str, row: dict[str, Any] | None) -> None:
        columns = _TABLE_COLUMNS[table]
        if row is None:
            self._db.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
            return
        self._db.execute(
            f"INSERT OR REPLACE INTO {table} ({', '.join(map(_q, columns))}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            tuple(row[c] for c in columns),
        )

    def can_undo(self) -> bool:
        return self._db.execute("SELECT 1 FROM history WHERE undone = 0 LIMIT 1").fetchone() is not None

    def can_redo(self) -> bool:
        return self._db.execute("SELECT 1 FROM history WHERE undone = 1 LIMIT 1").fetchone() is not None

    def undo(self) -> str | None:
        """Undo the last action; returns its description, or None when there is nothing to undo."""
        with self._transaction():
            row = self._db.execute(
                "SELECT seq, description, changes FROM history WHERE undone = 0 "
                "ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            seq, description, payload = row
            for table, row_id, before, _after in reversed(json.loads(payload)):
                self._write_row(table, row_id, before)
            self._db.execute("UPDATE history SET undone = 1 WHERE seq = ?", (seq,))
        return str(description)

    def redo(self) -> str | None:
        """Redo the last undone action; returns its description, or None."""
        with self._transaction():
            row = self._db.execute(
                "SELECT seq, description, changes FROM history WHERE undone = 1 "
                "ORDER BY seq ASC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            seq, description, payload = row
            for table, row_id, _before, after in json.loads(payload):
                self._write_row(table, row_id, after)
            self._db.execute("UPDATE history SET undone = 0 WHERE seq = ?", (seq,))
        return str(description)

    def history(self, limit: int = 50) -> list[HistoryEntry]:
        rows = self._db.execute(
            "SELECT seq, description, undone, at FROM history ORDER BY seq DESC LIMIT ?", (limit,)
        )
        return [HistoryEntry(seq, d, bool(u), at) for seq, d, u, at in rows]
