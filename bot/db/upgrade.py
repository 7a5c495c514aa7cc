"""Bring a database and its anonymous store up to date: the migrations plus the steps SQL can't do."""

from __future__ import annotations

import logging
from collections import defaultdict

from bot.db.anonymous import AnonymousStore
from bot.db.connection import Database
from bot.db.migrate import migrate
from bot.db.repositories.checkins import CheckIn, CheckInRepository, checkin_from_row

log = logging.getLogger(__name__)
ANONYMOUS_STORE_VERSION = 8


async def upgrade(db: Database, store: AnonymousStore) -> list[int]:
    """Apply pending migrations, moving check-ins to the anonymous store before migration 8 drops them."""
    await store.open()
    applied = await migrate(db, before={ANONYMOUS_STORE_VERSION: lambda: _move_checkins(db, store)})
    if ANONYMOUS_STORE_VERSION in applied and not await db.vacuum():
        # The rows are gone from every table; only a reader holding the old WAL open stops the truncation.
        log.warning("moved check-ins out, but another process kept the WAL busy; it empties at the next checkpoint")
    return applied


async def _move_checkins(db: Database, store: AnonymousStore) -> None:
    """Copy every check-in of the old layout into the anonymous store (repeatable: ids are kept)."""
    table = await db.fetchone("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checkins'")
    if table is None:
        return
    rows = await db.fetchall(
        "SELECT id, guild_id, period, day, dimensions, intensity, body, share_text, raise_it, code_hash, released"
        " FROM checkins"
    )
    by_guild: dict[int, list[tuple[CheckIn, str]]] = defaultdict(list)
    for r in rows:
        checkin = checkin_from_row(r["guild_id"], r)
        by_guild[checkin.guild_id].append((checkin, r["code_hash"]))
    repository = CheckInRepository(store)
    for guild_id, moved in by_guild.items():
        await repository.add_existing(guild_id, moved)
    log.info("moved %d check-in(s) of %d server(s) to the anonymous store", len(rows), len(by_guild))
