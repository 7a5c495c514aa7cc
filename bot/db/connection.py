"""The bot's single SQLite connection, with the pragmas and transaction discipline it relies on."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

BUSY_TIMEOUT_MS = 5000


class Database:
    """One aiosqlite connection shared by every repository.

    aiosqlite serialises statements but not transactions: two coroutines interleaving on one
    connection would share a transaction. A lock around each unit of work keeps them apart.
    """

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self.path = path

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Open (creating if needed) the database with WAL, foreign keys and a busy timeout."""
        if str(path) != ":memory:" and not Path(path).parent.is_dir():
            # Never create the folder: a typo in the path would quietly start an empty database.
            raise FileNotFoundError(f"the database folder {Path(path).parent} does not exist")
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction spans exactly
        # the statements a repository groups and nothing is left open implicitly.
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            # FULL, not WAL's usual NORMAL: a member is told "saved" only after a commit, and
            # that promise should hold through a power cut, not just a process crash.
            await conn.execute("PRAGMA synchronous=FULL")
            # Deleted rows (erased members, expired history, the check-ins moved out by migration 8) are zeroed on
            # disk instead of lingering in free pages.
            await conn.execute("PRAGMA secure_delete=ON")
        except BaseException:
            await conn.close()
            raise
        return cls(conn, str(path))

    async def close(self) -> None:
        """Close the connection after any unit of work in progress."""
        async with self._lock:
            await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run the block as one write transaction: all of it is committed, or none of it."""
        async with self._lock:
            # IMMEDIATE takes the write lock up front, so a second process waits (busy_timeout)
            # instead of failing half-way with SQLITE_BUSY on its first write.
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")

    async def vacuum(self) -> bool:
        """Rewrite the whole file without free pages, then empty the WAL; False if a reader kept it busy."""
        async with self._lock:
            await self._conn.execute("VACUUM")
            async with self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cur:
                row = await cur.fetchone()
        return row is not None and not row["busy"]

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Run a read and return every row."""
        # execute_fetchall is one hop to aiosqlite's thread; execute + fetch + close would be three.
        async with self._lock:
            return list(await self._conn.execute_fetchall(sql, tuple(params)))

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        """Run a read and return its first row, if any."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        """Run a read of one value (a count, a maximum) and return it; None if there is no row."""
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one write statement in its own transaction; return the rows it changed."""
        async with self.transaction() as conn, conn.execute(sql, tuple(params)) as cur:
            return cur.rowcount
