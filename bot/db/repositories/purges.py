"""The record of retention purges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Database
from bot.db.models import from_unix, to_unix


@dataclass(frozen=True)
class PurgeRecord:
    """One retention purge: when it ran and what it removed."""

    ran_at: datetime
    summary: str


class PurgeLogRepository:
    """Record what each retention purge removed."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, now: datetime, summary: str) -> None:
        """Store one purge's summary."""
        await self._db.write("INSERT INTO purge_log (ran_at, summary) VALUES (?, ?)", (to_unix(now), summary))

    async def latest(self) -> PurgeRecord | None:
        """Return the most recent purge, if any."""
        row = await self._db.fetchone("SELECT ran_at, summary FROM purge_log ORDER BY ran_at DESC, id DESC LIMIT 1")
        return None if row is None else PurgeRecord(ran_at=from_unix(row["ran_at"]), summary=row["summary"])
