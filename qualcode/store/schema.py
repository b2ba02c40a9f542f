"""The coder file's SQLite schema and its forward migrations.

The schema version lives in SQLite's `user_version`. Each entry of MIGRATIONS brings a file from
version N-1 to N; opening an older file applies the missing steps in one transaction. A file
written by a newer qualcode is refused with a message, never altered.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: codings, memos, undo history, study-level facts about the file.
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE codings (
        id         TEXT PRIMARY KEY,
        transcript TEXT NOT NULL,
        start      INTEGER NOT NULL CHECK (start >= 0),
        "end"      INTEGER NOT NULL CHECK ("end" > start),
        code       TEXT NOT NULL,
        quote      TEXT NOT NULL,
        text_hash  TEXT NOT NULL,
        created    TEXT NOT NULL,
        modified   TEXT NOT NULL
    );
    CREATE INDEX codings_by_transcript ON codings (transcript, start);
    CREATE INDEX codings_by_code ON codings (code);
    CREATE TABLE memos (
        id          TEXT PRIMARY KEY,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('coding', 'transcript', 'code', 'study')),
        target      TEXT NOT NULL,
        text        TEXT NOT NULL,
        created     TEXT NOT NULL,
        modified    TEXT NOT NULL,
        UNIQUE (target_kind, target)
    );
    CREATE TABLE history (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        description TEXT NOT NULL,
        changes     TEXT NOT NULL,
        undone      INTEGER NOT NULL DEFAULT 0,
        at          TEXT NOT NULL
    );
    """,
    # 2: decisions on suggestions (accept/reject) that the suggestion models learn from, and
    # settled disagreements for a consensus layer.
    """
    CREATE TABLE feedback (
        id         TEXT PRIMARY KEY,
        transcript TEXT NOT NULL,
        start      INTEGER NOT NULL,
        "end"      INTEGER NOT NULL,
        code       TEXT NOT NULL,
        decision   TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),
        quote      TEXT NOT NULL,
        at         TEXT NOT NULL
    );
    CREATE INDEX feedback_by_code ON feedback (code);
    CREATE TABLE settlements (
        id         TEXT PRIMARY KEY,
        transcript TEXT NOT NULL,
        start      INTEGER NOT NULL,
        "end"      INTEGER NOT NULL,
        decision   TEXT NOT NULL,
        detail     TEXT NOT NULL,
        memo       TEXT NOT NULL DEFAULT '',
        at         TEXT NOT NULL
    );
    CREATE INDEX settlements_by_transcript ON settlements (transcript, start);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
