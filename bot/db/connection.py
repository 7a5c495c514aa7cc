"""The bot's single SQLite connection, with the pragmas and transaction discipline it relies on."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

BUSY_TIMEOUT_MS = 5000
R = TypeVar("R")
# IMMEDIATE takes the write lock up front, so a second process waits (busy_timeout) instead of failing half-way
# with SQLITE_BUSY on its first write.
BEGIN = "BEGIN IMMEDIATE"


def _retrieved(task: asyncio.Future[None]) -> None:
    if not task.cancelled():
        task.exception()


class _Batch:
    """One shared write transaction: the units of work that joined it are committed, or fail, together."""

    def __init__(self) -> None:
        self.open = True
        self.error: BaseException | None = None
        self.units = 0


class Database:
    """One aiosqlite connection shared by every repository.

    aiosqlite serialises statements but not transactions: two coroutines interleaving on one
    connection would share a transaction. A lock around each unit of work keeps them apart.

    Writes use group commit: units of work that arrive while another's transaction is still open (its
    COMMIT, an fsync, waiting its turn) join that transaction, each inside its own SAVEPOINT so one that
    fails is rolled back alone, and one COMMIT makes them all durable. Each caller of transaction()
    returns only after the COMMIT holding its writes, so "saved" is never said early.
    """

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._batch: _Batch | None = None
        self.path = path
        self.commits = 0  # write transactions committed (each one fsync), for tests and benchmarks
        self.units = 0  # units of work those commits held

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
        """Close the connection after any unit of work in progress (an open transaction is committed first)."""
        async with self._lock:
            await self._commit_open()
            await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run the block as one write transaction: all of it is committed, or none of it.

        The block may share its transaction with others that arrived meanwhile (group commit); its own
        statements still stand or fall together, and this returns only once they are committed.
        """
        async with self._lock:
            batch, first = self._join()
            try:
                # Inside the try: a caller cancelled while this is on its way to SQLite (a lease renewal whose
                # fire just finished) has it run anyway, and the undo queued after it rolls it back; otherwise
                # a transaction would stay open that no batch knows of, and every later BEGIN would fail.
                await self._conn.execute(BEGIN if first else "SAVEPOINT unit")
                yield self._conn
                if not first:
                    await self._conn.execute("RELEASE unit")
            except BaseException as error:
                await self._undo(batch, first, error, savepoint=not first)
                raise
            batch.units += 1
        await self._committed(batch)

    async def write(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Run one write statement as its own unit of work; return the rows of its RETURNING clause, if any.

        One round trip to SQLite's thread when it shares another unit's commit. Use execute() instead when only
        the number of rows it changed matters and the statement has no RETURNING clause.
        """

        async def run() -> list[sqlite3.Row]:  # execute_fetchall is one hop; a cursor's execute and close are two
            return list(await self._conn.execute_fetchall(sql, tuple(params)))

        return await self._one_statement(run)

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one write statement as its own unit of work; return the rows it changed."""

        async def run() -> int:
            async with self._conn.execute(sql, tuple(params)) as cursor:
                return cursor.rowcount

        return await self._one_statement(run)

    async def _one_statement(self, run: Callable[[], Awaitable[R]]) -> R:
        # One statement needs no SAVEPOINT to fail alone: SQLite undoes a failed statement's changes and keeps the
        # transaction open; if it rolled all of it back instead (a full disk), _undo tells every unit that joined.
        async with self._lock:
            batch, first = self._join()
            try:
                if first:
                    await self._conn.execute(BEGIN)
                result = await run()
            except BaseException as error:
                await self._undo(batch, first, error, savepoint=False)
                raise
            batch.units += 1
        await self._committed(batch)
        return result

    def _join(self) -> tuple[_Batch, bool]:
        """The open batch to join, or a new one; True if this unit opens it (the lock held)."""
        if self._batch is not None:
            return self._batch, False
        self._batch = _Batch()
        return self._batch, True

    async def _committed(self, batch: _Batch) -> None:
        """Return once the batch holding this unit is committed; raise if it could not be."""
        # Shielded: a caller cancelled while waiting still has its writes committed with the others'.
        commit = asyncio.ensure_future(self._commit(batch))
        commit.add_done_callback(_retrieved)  # a cancelled caller no longer hears of a failed commit; no warning
        await asyncio.shield(commit)

    async def _undo(self, batch: _Batch, first: bool, error: BaseException, *, savepoint: bool) -> None:
        """Roll back a unit of work that failed, and only it when others share its transaction."""
        try:
            if first:
                await self._conn.execute("ROLLBACK")
            elif savepoint and self._conn.in_transaction:
                await self._conn.execute("ROLLBACK TO unit")
                await self._conn.execute("RELEASE unit")
        except sqlite3.Error:
            pass  # SQLite already rolled back (a full disk, an I/O error); the check below sees that
        if first or not self._conn.in_transaction:
            # The whole transaction is gone: every unit that joined it must hear it was not saved.
            batch.open = False
            batch.error = batch.error or (error if batch.units else None)
            self._batch = None

    async def _commit(self, batch: _Batch) -> None:
        """Commit the batch, unless a unit that joined later already did; raise if it could not be."""
        async with self._lock:
            if self._batch is batch:
                await self._commit_open()
        if batch.error is not None:
            raise batch.error

    async def _commit_open(self) -> None:
        """COMMIT the open batch, if any (the lock is held)."""
        batch, self._batch = self._batch, None
        if batch is None:
            return
        batch.open = False
        try:
            await self._conn.execute("COMMIT")
        except BaseException as error:
            batch.error = error
            if self._conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    await self._conn.execute("ROLLBACK")
            return
        self.commits += 1
        self.units += batch.units

    async def forget_deleted(self) -> bool:
        """Copy the WAL into the file and empty it, so rows just deleted are in no file; False if a reader kept it.

        `secure_delete` zeroes a deleted row in the page written to the WAL, but the WAL still holds the page as it
        was before, until its frames are reused; an operator copying the files in between would read the row.
        """
        async with self._lock:
            await self._commit_open()
            return await self._empty_wal()

    async def vacuum(self) -> bool:
        """Rewrite the whole file without free pages, then empty the WAL; False if a reader kept it busy."""
        async with self._lock:
            await self._commit_open()
            await self._conn.execute("VACUUM")
            return await self._empty_wal()

    async def _empty_wal(self) -> bool:
        """Checkpoint the WAL into the file and truncate it (the lock held); False if a reader kept it busy."""
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

    async def data_version(self) -> int:
        """SQLite's data_version: it changes when another connection (another process) commits to the file."""
        return int(await self.scalar("PRAGMA data_version"))

    async def scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        """Run a read of one value (a count, a maximum) and return it; None if there is no row."""
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]
