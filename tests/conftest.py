"""Shared fixtures: a real SQLite file per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.db.connection import Database
from bot.db.migrate import migrate
from bot.db.repositories import Repositories


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database file in a temporary folder."""
    database = await Database.open(tmp_path / "bot.sqlite3")
    await migrate(database)
    yield database
    await database.close()


@pytest.fixture
async def repos(db: Database) -> Repositories:
    """Repositories over the test database."""
    return Repositories(db)
