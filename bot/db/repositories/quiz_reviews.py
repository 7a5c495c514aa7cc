"""Each member's own review schedule: when an item comes back in their practice."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Database
from bot.db.models import ExportRow, from_unix, to_unix

# Also run by QuizRepository.record_answer, so a missed answer and its review share one transaction.
SCHEDULE_REVIEW = (
    "INSERT INTO quiz_reviews (guild_id, user_id, item_id, due_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (guild_id, user_id, item_id) DO UPDATE SET due_at = excluded.due_at"
)


@dataclass(frozen=True)
class DueReview:
    """An item due to come back in a member's practice."""

    item_id: str
    due_at: datetime


def _when(row: sqlite3.Row) -> datetime:
    moment = from_unix(row["due_at"])
    assert moment is not None  # due_at is NOT NULL
    return moment


class QuizReviewRepository:
    """Rows keyed by member and item; only the member's own practice reads them."""

    member_data_label = "Quiz review schedule"

    def __init__(self, db: Database) -> None:
        self._db = db

    async def schedule(self, guild_id: int, user_id: int, item_id: str, due_at: datetime | None) -> None:
        """Bring an item back at due_at in the member's practice; None takes it off the schedule."""
        if due_at is None:
            await self.clear(guild_id, user_id, item_id)
            return
        await self._db.write(SCHEDULE_REVIEW, (guild_id, user_id, item_id, to_unix(due_at)))

    async def clear(self, guild_id: int, user_id: int, item_id: str) -> None:
        """Take an item off the member's schedule."""
        await self._db.write(
            "DELETE FROM quiz_reviews WHERE guild_id = ? AND user_id = ? AND item_id = ?", (guild_id, user_id, item_id)
        )

    async def due(self, guild_id: int, user_id: int, now: datetime) -> list[DueReview]:
        """Return the member's items due by now, most overdue first."""
        rows = await self._db.fetchall(
            "SELECT item_id, due_at FROM quiz_reviews WHERE guild_id = ? AND user_id = ? AND due_at <= ?"
            " ORDER BY due_at, item_id",
            (guild_id, user_id, to_unix(now)),
        )
        return [DueReview(r["item_id"], _when(r)) for r in rows]

    async def get(self, guild_id: int, user_id: int, item_id: str) -> datetime | None:
        """Return when an item is next due for the member, if it is scheduled."""
        row = await self._db.fetchone(
            "SELECT due_at FROM quiz_reviews WHERE guild_id = ? AND user_id = ? AND item_id = ?",
            (guild_id, user_id, item_id),
        )
        return None if row is None else _when(row)

    async def export_member(self, guild_id: int, user_id: int) -> list[ExportRow]:
        """Return the member's schedule."""
        rows = await self._db.fetchall(
            "SELECT item_id, due_at FROM quiz_reviews WHERE guild_id = ? AND user_id = ? ORDER BY due_at",
            (guild_id, user_id),
        )
        return [ExportRow.of({"question": r["item_id"], "comes_back": _when(r).isoformat()}) for r in rows]

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Erase the member's schedule."""
        return await self._db.execute(
            "DELETE FROM quiz_reviews WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
