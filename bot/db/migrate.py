"""Apply the numbered SQL migrations, tracking the version in PRAGMA user_version."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from importlib import resources

from bot.db.connection import Database

log = logging.getLogger(__name__)
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file."""

    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """Return the migrations shipped in bot/db/migrations, in version order."""
    found = []
    for entry in resources.files("bot.db").joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 0001 upwards without gaps, found {versions}")
    return found


async def current_version(db: Database) -> int:
    """Return the schema version recorded in the database."""
    row = await db.fetchone("PRAGMA user_version")
    return int(row[0]) if row else 0


def split_statements(sql: str) -> list[str]:
    """Split a migration into statements; sqlite3.complete_statement understands quotes and triggers."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return [s for s in statements if s.strip(" ;\n")]


async def migrate(
    db: Database,
    migrations: list[Migration] | None = None,
    before: Mapping[int, Callable[[], Awaitable[None]]] | None = None,
) -> list[int]:
    """Apply pending migrations, each in its own transaction; return the versions applied.

    `before` maps a version to a step that must run first, outside SQL (such as copying rows to another
    file). It runs only while that version is pending, and must be safe to repeat after a crash.
    """
    migrations = bundled_migrations() if migrations is None else migrations
    applied = []
    for migration in migrations:
        if before and migration.version in before and await current_version(db) < migration.version:
            await before[migration.version]()
        # The version is read inside the write transaction, so two processes starting together
        # cannot both apply the same migration.
        async with db.transaction() as conn:
            async with conn.execute("PRAGMA user_version") as cur:
                row = await cur.fetchone()
            version = 0 if row is None else row["user_version"]
            if migration.version <= version:
                continue
            # executescript would COMMIT on its own; statement by statement inside our
            # transaction means a failing migration leaves nothing of itself behind.
            for statement in split_statements(migration.sql):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {migration.version:d}")
        log.info("applied migration %s", migration.name)
        applied.append(migration.version)
    return applied
