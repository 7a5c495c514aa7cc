"""The record of retention purges."""

from __future__ import annotations

from datetime import datetime

from bot.db.connection import Database
from bot.db.models import from_unix, to_unix


class PurgeLogRepository:
    """Record what each retention purge removed."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, now: datetime, summary: str) -> None:
        """Store one purge's summary."""
        await self._db.execute("INSERT INTO purge_log (ran_at, summary) VALUES (?, ?)", (to_unix(now), summary))

    async def latest(self) -> tuple[datetime, str] | None:
        """Return the most recent purge, if any."""
        row = await self._db.fetchone("SELECT ran_at, summary FROM purge_log ORDER BY ran_at DESC, id DESC LIMIT 1")
        return None if row is None else (from_unix(row[0]), row[1])  # type: ignore[return-value]
