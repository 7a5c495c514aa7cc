"""Group commit in Database, on a real SQLite file read beside it by a second connection.

A writer whose unit of work is done waits for the COMMIT that holds it; units that arrive meanwhile join
that transaction, each block in a SAVEPOINT of its own (a one-statement write needs none). These tests hold
a later unit open on purpose (an asyncio.Event inside its block), so what they check does not depend on how
fast the disk is.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.db.connection import Database
from tests.support.db import db_rows


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "group.sqlite3")
    await database.execute("CREATE TABLE answers (who TEXT NOT NULL UNIQUE)")
    try:
        yield database
    finally:
        await database.close()


def committed(db: Database) -> list[str]:
    """What another connection (another process, a copy of the file) sees: committed rows only."""
    return sorted(row[0] for row in db_rows(db.path, "SELECT who FROM answers"))


async def write(db: Database, who: str, *, hold: asyncio.Event | None = None, inside: asyncio.Event | None = None):  # type: ignore[no-untyped-def]
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO answers (who) VALUES (?)", (who,))
        if inside is not None:
            inside.set()
        if hold is not None:
            await hold.wait()


async def test_a_writer_returns_only_after_the_commit_that_holds_its_write(db: Database) -> None:
    inside, release = asyncio.Event(), asyncio.Event()
    commits = db.commits
    first = asyncio.create_task(write(db, "first"))
    # Queued behind the first unit, so it joins the first's transaction before that one can commit.
    second = asyncio.create_task(write(db, "second", hold=release, inside=inside))
    await inside.wait()
    await asyncio.sleep(0.05)  # ample time for a writer that does not wait for its commit to return
    assert not first.done(), "the first writer returned while its write was not yet committed"
    assert committed(db) == []
    release.set()
    await asyncio.gather(first, second)
    assert committed(db) == ["first", "second"]
    assert db.commits - commits == 1  # one COMMIT (one fsync) for both


async def test_a_unit_that_fails_is_rolled_back_alone_and_the_others_commit(db: Database) -> None:
    inside, release = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(write(db, "first"))
    failing = asyncio.create_task(write(db, "first", inside=inside))  # violates UNIQUE inside the shared transaction
    third = asyncio.create_task(write(db, "third", hold=release))
    await asyncio.sleep(0)
    with pytest.raises(sqlite3.IntegrityError):
        await failing
    assert not inside.is_set()
    release.set()
    await asyncio.gather(first, third)
    assert committed(db) == ["first", "third"]


async def test_a_writer_cancelled_while_waiting_for_the_commit_still_has_its_write_committed(db: Database) -> None:
    inside, release = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(write(db, "first"))
    second = asyncio.create_task(write(db, "second", hold=release, inside=inside))
    await inside.wait()
    first.cancel()  # e.g. the member's interaction task went away; the write is not lost half-way
    release.set()
    await second
    with pytest.raises(asyncio.CancelledError):
        await first
    assert committed(db) == ["first", "second"]


async def test_a_failed_commit_tells_every_unit_in_it(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "full.sqlite3")
    try:
        await db.execute("CREATE TABLE answers (who TEXT NOT NULL)")
        await db.execute("INSERT INTO answers VALUES ('before')")
        pages = db_rows(db.path, "PRAGMA page_count")[0][0]
        await db.fetchall(f"PRAGMA max_page_count = {pages}")  # the disk is full: no new page can be written
        big = "x" * 20000
        results = await asyncio.gather(*(write(db, f"{n}{big}") for n in range(3)), return_exceptions=True)
        assert all(isinstance(r, sqlite3.OperationalError) for r in results), results
        assert committed(db) == ["before"]
        await db.fetchall("PRAGMA max_page_count = 1073741823")
        await write(db, "after")  # the connection is usable again
        assert committed(db) == ["after", "before"]
    finally:
        await db.close()


async def test_a_unit_cancelled_while_its_transaction_begins_leaves_none_open(db: Database) -> None:
    # A lease renewal is cancelled when its fire finishes; if that lands while BEGIN is on its way to
    # SQLite, the BEGIN still runs. It must be rolled back, or every later write fails with "cannot start
    # a transaction within a transaction" and the scheduler stops working until a restart.
    unit = asyncio.create_task(write(db, "cancelled"))
    await asyncio.sleep(0)  # the unit takes the free lock and waits on its BEGIN
    unit.cancel()
    with pytest.raises(asyncio.CancelledError):
        await unit
    await write(db, "after")
    assert committed(db) == ["after"]


async def test_a_one_statement_unit_that_fails_is_undone_alone_and_the_others_commit(db: Database) -> None:
    # write() and execute() take no SAVEPOINT (a round trip each way): SQLite undoes a failed statement itself.
    release = asyncio.Event()
    commits = db.commits
    first = asyncio.create_task(write(db, "first", hold=release))
    await asyncio.sleep(0)  # the first unit holds the transaction open; the next two queue to join it
    failing = asyncio.create_task(db.write("INSERT INTO answers (who) VALUES ('first')"))  # violates UNIQUE
    counted = asyncio.create_task(db.execute("INSERT INTO answers (who) VALUES ('third')"))
    release.set()
    with pytest.raises(sqlite3.IntegrityError):
        await failing
    assert await counted == 1
    await first
    assert committed(db) == ["first", "third"]
    assert db.commits - commits == 1


async def test_a_one_statement_unit_that_fails_first_leaves_no_transaction_open(db: Database) -> None:
    await db.write("INSERT INTO answers (who) VALUES ('before')")
    with pytest.raises(sqlite3.IntegrityError):
        await db.write("INSERT INTO answers (who) VALUES ('before')")
    assert await db.execute("UPDATE answers SET who = 'after' WHERE who = 'before'") == 1
    assert committed(db) == ["after"]
