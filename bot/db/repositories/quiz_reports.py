"""Members' reports of wrong or ambiguous quiz items, and the items paused until a supervisor looks."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.cache import GuildCache, ids_per_guild
from bot.db.connection import Database
from bot.db.models import ExportRow, from_unix, to_unix


@dataclass(frozen=True)
class ItemReport:
    """One open report, as supervisors see it: no name."""

    item_id: str
    reason: str
    details: str | None
    reported_at: datetime


@dataclass(frozen=True)
class ReportCount:
    """How often a bundled item was reported, over every server (for the operator)."""

    reports: int
    servers: int


def _reported_at(row: sqlite3.Row) -> datetime:
    moment = from_unix(row["reported_at"])
    assert moment is not None  # reported_at is NOT NULL
    return moment


class QuizReportRepository:
    """One report per member per item; k open reports pause the item in that server."""

    member_data_label = "Quiz item reports"

    def __init__(self, db: Database) -> None:
        self._db = db
        # Read on every click and every fan-out item, changed by a supervisor now and then.
        self._cache: GuildCache[Any] = GuildCache(db)

    async def report(
        self, guild_id: int, item_id: str, user_id: int, reason: str, details: str | None, now: datetime, k: int
    ) -> bool:
        """Store (or renew) the member's report; return whether the item is now paused in this server."""
        try:
            return await self._report(guild_id, item_id, user_id, reason, details, now, k)
        finally:
            self._cache.invalidate(guild_id)

    async def _report(
        self, guild_id: int, item_id: str, user_id: int, reason: str, details: str | None, now: datetime, k: int
    ) -> bool:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO quiz_item_reports (guild_id, item_id, user_id, reason, details, reported_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, item_id, user_id) DO UPDATE SET"
                " reason = excluded.reason, details = excluded.details, reported_at = excluded.reported_at,"
                " resolved_at = NULL",
                (guild_id, item_id, user_id, reason, details, to_unix(now)),
            )
            async with conn.execute(
                "SELECT COUNT(*) FROM quiz_item_reports WHERE guild_id = ? AND item_id = ? AND resolved_at IS NULL",
                (guild_id, item_id),
            ) as cur:
                found = await cur.fetchone()
                reporters = found[0] if found is not None else 0
            if reporters >= k:
                await conn.execute(
                    "INSERT INTO quiz_paused_items (guild_id, item_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    (guild_id, item_id),
                )
                return True
        return False

    async def open_reports(self, guild_id: int) -> list[ItemReport]:
        """Return the server's unresolved reports, oldest first."""
        rows = await self._db.fetchall(
            "SELECT item_id, reason, details, reported_at FROM quiz_item_reports"
            " WHERE guild_id = ? AND resolved_at IS NULL ORDER BY reported_at, item_id",
            (guild_id,),
        )
        return [ItemReport(r["item_id"], r["reason"], r["details"], _reported_at(r)) for r in rows]

    async def paused(self, guild_id: int) -> set[str]:
        """Return the items paused in this server."""
        value: set[str] = await self._cache.get_from(guild_id, "paused", self._paused_many)
        return value

    async def _paused_many(self, guild_ids: list[int]) -> dict[int, set[str]]:
        return await ids_per_guild(self._db, "quiz_paused_items", "item_id", guild_ids)

    async def warm(self, guild_ids: Collection[int]) -> None:
        """Read many servers' paused items in one go (a fan-out's next batch) into the cache."""
        await self._cache.warm(guild_ids, "paused", self._paused_many)

    async def resolve(self, guild_id: int, item_id: str, now: datetime) -> int:
        """Mark the item's open reports as looked at and unpause it; return how many reports were open."""
        try:
            return await self._resolve(guild_id, item_id, now)
        finally:
            self._cache.invalidate(guild_id)

    async def _resolve(self, guild_id: int, item_id: str, now: datetime) -> int:
        async with self._db.transaction() as conn:
            async with conn.execute(
                "UPDATE quiz_item_reports SET resolved_at = ?"
                " WHERE guild_id = ? AND item_id = ? AND resolved_at IS NULL",
                (to_unix(now), guild_id, item_id),
            ) as cur:
                count = cur.rowcount
            await conn.execute("DELETE FROM quiz_paused_items WHERE guild_id = ? AND item_id = ?", (guild_id, item_id))
        return count

    async def counts_by_item(self) -> dict[str, ReportCount]:
        """Return how often each item was reported, and in how many servers, over every server."""
        rows = await self._db.fetchall(
            "SELECT item_id, COUNT(*) AS reports, COUNT(DISTINCT guild_id) AS servers FROM quiz_item_reports"
            " GROUP BY item_id"
        )
        return {r["item_id"]: ReportCount(int(r["reports"]), int(r["servers"])) for r in rows}

    async def export_member(self, guild_id: int, user_id: int) -> list[ExportRow]:
        """Return the member's reports."""
        rows = await self._db.fetchall(
            "SELECT item_id, reason, details, reported_at, resolved_at FROM quiz_item_reports"
            " WHERE guild_id = ? AND user_id = ? ORDER BY reported_at",
            (guild_id, user_id),
        )
        return [
            ExportRow.of(
                {
                    "question": r["item_id"],
                    "reason": r["reason"],
                    "details": r["details"],
                    "reported_at": _reported_at(r).isoformat(),
                    "looked_at_by_a_supervisor": r["resolved_at"] is not None,
                }
            )
            for r in rows
        ]

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Erase the member's reports (a pause they helped cause stays until a supervisor looks)."""
        return await self._db.execute(
            "DELETE FROM quiz_item_reports WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
