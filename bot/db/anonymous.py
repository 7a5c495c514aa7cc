"""The anonymous store: one small SQLite file per server, rebuilt whole, in key order, on every write.

It holds the check-ins with their replies, and members' feedback on supervision meetings.

Why not the main database: its WAL keeps each transaction's pages in commit order, and SQLite writes new
cells into a b-tree page in arrival order, so a copy of the files would show which anonymous row came
when and what was committed beside it. Here nothing is ever changed in place:

- a write loads the server's file into memory, applies the change there, and writes a fresh file with
  `VACUUM INTO`, which copies every table and index in key order. Keys are random, so cell order, cell
  offsets and page order follow no submission order, and a fresh file has no free pages and no journal;
- the fresh file is fsynced and renamed over the old one, so a copy taken at any moment is the old
  file, the new file, or a partial temporary file that holds a prefix of a key-ordered rebuild;
- nothing else is written in the same file or transaction, so nothing links a row to a member.

Writes are serialised across processes with an advisory lock on a file in the store's folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import re
import secrets
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# Numbered schema steps for the anonymous files; the version lives in PRAGMA user_version of each file.
# A file written by an older version is upgraded in memory when it is next loaded.
SCHEMA: tuple[str, ...] = (
    """
    CREATE TABLE checkins (
        id          TEXT    PRIMARY KEY,            -- random; the only order the file has
        period      TEXT    NOT NULL,               -- ISO week in the group's zone, e.g. 2026-W48
        day         TEXT    NOT NULL,               -- local date only
        dimensions  TEXT    NOT NULL,               -- comma-separated dimension ids
        intensity   INTEGER NOT NULL CHECK (intensity BETWEEN 1 AND 5),
        body        TEXT,
        share_text  INTEGER NOT NULL,
        raise_it    INTEGER NOT NULL,
        code_hash   TEXT    NOT NULL UNIQUE,
        released    INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE INDEX checkins_period ON checkins (period);
    """,
    # Supervisors' replies to a check-in and the author's one answer to each, keyed by a random id like the
    # check-in itself: no user id, no time finer than the day. A trigger deletes them with their check-in, so
    # withdrawal, the retention purge and a dropped week take every reply along.
    """
    ALTER TABLE checkins ADD COLUMN content_warning TEXT;
    CREATE TABLE replies (
        id          TEXT    PRIMARY KEY,            -- random
        checkin_id  TEXT    NOT NULL,
        number      INTEGER NOT NULL,               -- 1, 2, ... per check-in, in the order supervisors replied
        day         TEXT    NOT NULL,               -- local date the supervisor replied
        body        TEXT    NOT NULL,
        answer      TEXT,                           -- the author's one answer, if any
        answer_day  TEXT,                           -- local date of the answer
        posted      INTEGER NOT NULL DEFAULT 0      -- the supervisor also posted the reply to the group
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX replies_checkin ON replies (checkin_id, number);
    CREATE TRIGGER checkins_take_replies AFTER DELETE ON checkins
    BEGIN
        DELETE FROM replies WHERE checkin_id = old.id;
    END;
    """,
    # Members' anonymous feedback on a supervision meeting: three 0-10 ratings and words only if the member chose
    # to share them. The meeting's own date, never the time of the answer; random keys, like the check-ins.
    """
    CREATE TABLE meeting_feedback (
        id           TEXT    PRIMARY KEY,           -- random; the only order the file has
        meeting_id   INTEGER NOT NULL,              -- the meeting (a record about the group, not a person)
        meeting_day  TEXT    NOT NULL,              -- the meeting's local date, for the retention purge
        goals        INTEGER NOT NULL CHECK (goals BETWEEN 0 AND 10),
        tasks        INTEGER NOT NULL CHECK (tasks BETWEEN 0 AND 10),
        bond         INTEGER NOT NULL CHECK (bond BETWEEN 0 AND 10),
        words        TEXT                           -- only if the member chose to share words
    ) WITHOUT ROWID;
    CREATE INDEX meeting_feedback_meeting ON meeting_feedback (meeting_id);
    """,
)

_FILE = re.compile(r"^g(\d+)\.sqlite3$")
_LOCK_NAME = ".lock"


def store_folder(database: Path) -> Path:
    """Return the anonymous store's folder for a main database file: `<name>-anonymous` beside it."""
    return database.with_name(f"{database.stem}-anonymous")


class AnonymousStore:
    """Per-server SQLite files of anonymous rows, each a key-ordered rebuild after every write."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._thread_lock = threading.Lock()

    # --- public, async ---------------------------------------------------------------------------
    async def open(self) -> None:
        """Create the folder and remove temporary files a crash may have left half-written."""
        await asyncio.to_thread(self._open)

    async def read(self, guild_id: int, query: Callable[[sqlite3.Connection], T]) -> T:
        """Run a read against a private in-memory copy of the server's file."""
        return await asyncio.to_thread(self._read, guild_id, query)

    async def write(self, guild_id: int, change: Callable[[sqlite3.Connection], T]) -> T:
        """Apply a change as one transaction and replace the server's file with a key-ordered rebuild.

        If `change` raises, nothing is written. The file is durable on disk before this returns.
        """
        return await asyncio.to_thread(self._write, guild_id, change)

    async def guilds(self) -> list[int]:
        """Return the servers that have a file in the store."""
        return await asyncio.to_thread(self._guilds)

    async def backup(self, destination: Path) -> int:
        """Copy every server's file into destination (a folder) while writers wait; return files copied."""
        return await asyncio.to_thread(self._backup, destination)

    # --- internals, run in a worker thread --------------------------------------------------------
    def path_for(self, guild_id: int) -> Path:
        """Return the file holding one server's anonymous rows."""
        return self.folder / f"g{int(guild_id)}.sqlite3"

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._exclusive():
            for leftover in self.folder.glob(".*.tmp"):
                leftover.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Hold this store's write lock: one writer per process (thread lock) and per host (flock)."""
        with self._thread_lock:
            fd = os.open(self.folder / _LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # closing releases the flock

    def _load(self, guild_id: int) -> sqlite3.Connection:
        """Return an in-memory copy of the server's file, upgraded to the current schema."""
        memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        memory.execute("PRAGMA temp_store=MEMORY")
        path = self.path_for(guild_id)
        if path.exists():
            source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            try:
                source.backup(memory)
            finally:
                source.close()
        version = memory.execute("PRAGMA user_version").fetchone()[0]
        for number, step in enumerate(SCHEMA[version:], start=version + 1):
            memory.executescript(step)
            memory.execute(f"PRAGMA user_version = {number:d}")
        return memory

    def _read(self, guild_id: int, query: Callable[[sqlite3.Connection], T]) -> T:
        memory = self._load(guild_id)
        try:
            return query(memory)
        finally:
            memory.close()

    def _write(self, guild_id: int, change: Callable[[sqlite3.Connection], T]) -> T:
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._exclusive():
            memory = self._load(guild_id)
            try:
                memory.execute("BEGIN")
                try:
                    result = change(memory)
                except BaseException:
                    memory.execute("ROLLBACK")
                    raise
                memory.execute("COMMIT")
                self._replace(guild_id, memory)
            finally:
                memory.close()
        return result

    def _replace(self, guild_id: int, memory: sqlite3.Connection) -> None:
        """Write a key-ordered rebuild of memory to a temporary file, make it durable, rename it in."""
        final = self.path_for(guild_id)
        temporary = self.folder / f".{final.stem}.{secrets.token_hex(8)}.tmp"
        try:
            memory.execute("VACUUM INTO ?", (str(temporary),))
            _fsync(temporary)
            os.replace(temporary, final)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        _fsync(self.folder)  # the rename itself must survive a power cut

    def _guilds(self) -> list[int]:
        if not self.folder.is_dir():
            return []
        found = (_FILE.match(p.name) for p in self.folder.iterdir())
        return sorted(int(m[1]) for m in found if m)

    def _backup(self, destination: Path) -> int:
        destination.mkdir(parents=True, exist_ok=True)
        if not self.folder.is_dir():
            return 0
        with self._exclusive():
            copied = 0
            for guild_id in self._guilds():
                # Files are never changed in place, so a plain copy under the lock is a consistent one.
                shutil.copyfile(self.path_for(guild_id), destination / self.path_for(guild_id).name)
                copied += 1
        _fsync(destination)
        return copied


def _fsync(path: Path) -> None:
    """Flush a file's or a folder's contents to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
