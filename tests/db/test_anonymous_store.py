"""The anonymous store: key-ordered rebuilds, all-or-nothing writes, migration 8 from the old layout, backup."""

from __future__ import annotations

import asyncio
import secrets
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.db.anonymous import AnonymousStore, store_folder
from bot.db.connection import Database
from bot.db.migrate import bundled_migrations, current_version, migrate
from bot.db.repositories.checkins import CheckIn, CheckInRepository
from bot.db.upgrade import upgrade
from tests.faults.support import ROOT

OLD_TEXT = "words-from-before-the-move about a client who left"


def checkin(guild_id: int, body: str | None = None) -> CheckIn:
    return CheckIn(
        secrets.token_hex(16), guild_id, "2026-W10", date(2026, 3, 2), ("helpless",), 3, body, True, False, False
    )


def cell_order(path: Path, ids: list[str]) -> list[str]:
    """The ids in the order their table cells sit in the file (by byte offset)."""
    data = path.read_bytes()
    return sorted(ids, key=lambda i: data.find(i.encode()))


async def test_every_write_leaves_a_key_ordered_file_with_no_journal_or_free_pages(tmp_path: Path) -> None:
    store = AnonymousStore(tmp_path / "anon")
    await store.open()
    repo = CheckInRepository(store)
    saved = []
    for n in range(12):
        item = checkin(7, f"text {n}")
        await repo.save(item, secrets.token_hex(32))
        saved.append(item.id)
        path = store.path_for(7)
        order = cell_order(path, saved)
        # Cells follow the random key (SQLite fills a page from its end, so offsets fall as keys rise).
        assert order in (sorted(saved), sorted(saved, reverse=True))
        assert sorted(p.name for p in path.parent.iterdir()) == [".lock", "g7.sqlite3"]
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
            assert conn.execute("PRAGMA freelist_count").fetchone() == (0,)
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    await repo.mark_released(7, saved[:5])
    assert len(await repo.unreleased(7)) == 7
    assert await store.guilds() == [7]


async def test_a_failed_write_changes_nothing_on_disk(tmp_path: Path) -> None:
    store = AnonymousStore(tmp_path / "anon")
    repo = CheckInRepository(store)
    first = checkin(7, "kept")
    await repo.save(first, "a" * 64)
    before = store.path_for(7).read_bytes()
    with pytest.raises(sqlite3.IntegrityError):
        await repo.save(checkin(7, "duplicate code"), "a" * 64)  # code_hash is unique
    assert store.path_for(7).read_bytes() == before
    assert [c.id for c in await repo.unreleased(7)] == [first.id]


async def test_migration_8_moves_old_checkins_and_leaves_no_trace_in_the_main_file(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await migrate(db, bundled_migrations()[:7])
    ids = [secrets.token_hex(16) for _ in range(3)]
    secret = secrets.token_bytes(32)
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO checkin_periods VALUES (1, '2026-W10', ?)", (secret,))
        await conn.execute("INSERT INTO checkin_quota VALUES (1, '2026-W10', 'f00d' || hex(randomblob(30)), 2)")
        for n, checkin_id in enumerate(ids):
            await conn.execute(
                "INSERT INTO checkins VALUES (?, ?, '2026-W10', '2026-03-03', 'helpless,positive', 4, ?, 1, 0, ?, ?)",
                (checkin_id, 1 + n % 2, f"{OLD_TEXT} {n}", f"{n:064x}", n % 2),
            )
    store = AnonymousStore(store_folder(path))
    assert await upgrade(db, store) == list(range(8, len(bundled_migrations()) + 1))
    assert await current_version(db) == len(bundled_migrations())
    assert await upgrade(db, store) == []
    await db.close()

    main = b"".join(p.read_bytes() for p in tmp_path.glob("bot.sqlite3*"))
    assert OLD_TEXT.encode() not in main and secret not in main and b"f00d" not in main.lower()
    assert not any(i.encode() in main for i in ids)
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    moved = {
        g: {(c.id, c.body, c.released, c.dimensions) for c in await CheckInRepository(store).unreleased(g)}
        | {
            (c.id, c.body, c.released, c.dimensions)
            for c in await CheckInRepository(store).released_in(g, ["2026-W10"])
        }
        for g in (1, 2)
    }
    assert moved == {
        1: {
            (ids[0], f"{OLD_TEXT} 0", False, ("helpless", "positive")),
            (ids[2], f"{OLD_TEXT} 2", False, ("helpless", "positive")),
        },
        2: {(ids[1], f"{OLD_TEXT} 1", True, ("helpless", "positive"))},
    }
    assert await CheckInRepository(store).withdraw(1, f"{2:064x}") is not None  # codes still work


async def cli(*args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode or 0, out.decode()


async def test_backup_copies_both_stores_and_refuses_a_used_folder(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[storage]\ndatabase = "bot.sqlite3"\n', encoding="utf-8")
    code, out = await cli("backup", str(tmp_path / "b0"), "--config", str(config))
    assert code == 2 and "does not exist; nothing to back up" in out and len(out.strip().splitlines()) == 1
    db = await Database.open(tmp_path / "bot.sqlite3")
    await migrate(db)
    await CheckInRepository(AnonymousStore(store_folder(tmp_path / "bot.sqlite3"))).save(
        checkin(5, "backed up"), "b" * 64
    )
    code, out = await cli("backup", str(tmp_path / "b1"), "--config", str(config))
    await db.close()
    assert code == 0 and "1 anonymous store file(s)" in out, out
    restored = AnonymousStore(tmp_path / "b1" / "bot-anonymous")
    assert [c.body for c in await CheckInRepository(restored).unreleased(5)] == ["backed up"]
    with sqlite3.connect(tmp_path / "b1" / "bot.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA user_version").fetchone() == (len(bundled_migrations()),)
    code, out = await cli("backup", str(tmp_path / "b1"), "--config", str(config))
    assert code == 2 and "not an empty folder" in out and len(out.strip().splitlines()) == 1
