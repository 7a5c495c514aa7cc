"""Migrations run from empty, are idempotent, and a failing one leaves the database as it was."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from bot.db.connection import Database
from bot.db.migrate import Migration, bundled_migrations, current_version, migrate


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


async def test_migrations_run_from_empty_and_are_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    applied = await migrate(db)
    assert applied == [m.version for m in bundled_migrations()]
    assert await current_version(db) == len(bundled_migrations())
    assert await migrate(db) == []
    await db.close()
    assert {"guild_settings", "schedules", "fires", "bot_meta"} <= _tables(path)


async def test_connection_uses_wal_and_foreign_keys(db: Database) -> None:
    assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 5000


async def test_failing_migration_rolls_back_completely(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    good = bundled_migrations()
    broken = Migration(
        len(good) + 1,
        "9999_broken.sql",
        "CREATE TABLE half_done (id INTEGER);\nINSERT INTO half_done VALUES (1);\n"
        "INSERT INTO no_such_table VALUES (1);",
    )
    await migrate(db, good)
    with pytest.raises(sqlite3.OperationalError):
        await migrate(db, [*good, broken])
    assert await current_version(db) == len(good)
    await db.close()
    assert "half_done" not in _tables(path)


async def test_a_failed_transaction_writes_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO bot_meta (key, value) VALUES ('a', '1')")
            raise RuntimeError("boom")
    assert await db.fetchone("SELECT * FROM bot_meta WHERE key = 'a'") is None


async def test_a_prompt_dm_claimed_before_leases_starts_its_lease_at_the_upgrade(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await migrate(db, [m for m in bundled_migrations() if m.name < "0017"])
    await db.execute(
        "INSERT INTO dm_deliveries (guild_id, user_id, due_at, prompt_id, status)"
        " VALUES (1, 2, 100, 'p1', 'claimed'), (1, 3, 100, 'p1', 'sent')"
    )
    upgraded_from = int(time.time())
    assert 17 in await migrate(db)
    rows = [tuple(r) for r in await db.fetchall("SELECT user_id, holder, claimed_at, attempts FROM dm_deliveries")]
    await db.close()
    # The claim left by a process of the old version runs a lease from now: taken over if nobody settles it.
    [(member, holder, claimed_at, attempts)] = [r for r in rows if r[0] == 2]
    assert (member, holder, attempts) == (2, "", 1) and upgraded_from <= claimed_at <= int(time.time())
    assert (3, "", None, 1) in rows  # a settled DM holds no lease
