"""Failed DM deliveries: recorded per member so /status can count them and the member can be told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Database
from bot.db.models import ExportRow, from_unix, to_unix


@dataclass(frozen=True)
class DeliveryFailure:
    """One DM that could not be delivered."""

    guild_id: int
    user_id: int
    feature: str
    reason: str
    failed_at: datetime
    notified: bool


class DeliveryFailureRepository:
    """Record DM failures, count them, and export or erase a member's."""

    member_data_label = "Failed direct-message deliveries"
    retention_key = "delivery_failure_days"

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, guild_id: int, user_id: int, feature: str, reason: str, now: datetime) -> None:
        """Note that a DM to the member failed."""
        await self._db.write(
            "INSERT INTO dm_failures (guild_id, user_id, feature, reason, failed_at) VALUES (?, ?, ?, ?, ?)",
            (guild_id, user_id, feature, reason, to_unix(now)),
        )

    async def count_since(self, guild_id: int, since: datetime) -> int:
        """Count the server's failed deliveries since a moment."""
        return int(
            await self._db.scalar(
                "SELECT COUNT(*) FROM dm_failures WHERE guild_id = ? AND failed_at >= ?", (guild_id, to_unix(since))
            )
        )

    async def consecutive_for(self, guild_id: int, user_id: int, feature: str) -> int:
        """Count the member's failures for a feature (reset by clear_for after a success)."""
        return int(
            await self._db.scalar(
                "SELECT COUNT(*) FROM dm_failures WHERE guild_id = ? AND user_id = ? AND feature = ?",
                (guild_id, user_id, feature),
            )
        )

    async def take_unnotified(self, guild_id: int, user_id: int) -> list[DeliveryFailure]:
        """Return failures the member has not been told about, marking them told."""
        # Runs after every slash command: a cheap read first, so the usual "nothing to tell" takes no
        # write lock and no fsync.
        if (
            await self._db.fetchone(
                "SELECT 1 FROM dm_failures WHERE guild_id = ? AND user_id = ? AND notified = 0 LIMIT 1",
                (guild_id, user_id),
            )
            is None
        ):
            return []
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT guild_id, user_id, feature, reason, failed_at, notified FROM dm_failures"
                " WHERE guild_id = ? AND user_id = ? AND notified = 0 ORDER BY failed_at",
                (guild_id, user_id),
            ) as cur:
                rows = await cur.fetchall()
            await conn.execute(
                "UPDATE dm_failures SET notified = 1 WHERE guild_id = ? AND user_id = ? AND notified = 0",
                (guild_id, user_id),
            )
        return [
            DeliveryFailure(
                guild_id=r["guild_id"],
                user_id=r["user_id"],
                feature=r["feature"],
                reason=r["reason"],
                failed_at=from_unix(r["failed_at"]),
                notified=bool(r["notified"]),
            )
            for r in rows
        ]

    async def clear_for(self, guild_id: int, user_id: int, feature: str) -> None:
        """Forget the member's failures for a feature, e.g. after a successful delivery."""
        await self._db.write(
            "DELETE FROM dm_failures WHERE guild_id = ? AND user_id = ? AND feature = ?", (guild_id, user_id, feature)
        )

    async def export_member(self, guild_id: int, user_id: int) -> list[ExportRow]:
        """Return the member's recorded failures."""
        rows = await self._db.fetchall(
            "SELECT feature, reason, failed_at, notified FROM dm_failures WHERE guild_id = ? AND user_id = ?"
            " ORDER BY failed_at",
            (guild_id, user_id),
        )
        return [
            ExportRow.of(
                {
                    "feature": r["feature"],
                    "reason": r["reason"],
                    "failed_at": from_unix(r["failed_at"]).isoformat(),
                    "you_were_told": bool(r["notified"]),
                }
            )
            for r in rows
        ]

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Erase the member's recorded failures; return how many went."""
        return await self._db.execute("DELETE FROM dm_failures WHERE guild_id = ? AND user_id = ?", (guild_id, user_id))

    async def purge_before(self, cutoff: datetime) -> int:
        """Delete failures older than cutoff."""
        return await self._db.execute("DELETE FROM dm_failures WHERE failed_at < ?", (to_unix(cutoff),))
