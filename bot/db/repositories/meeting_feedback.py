"""Anonymous feedback on supervision meetings, in the anonymous store: no user id, no time, no order."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from bot.db.anonymous import AnonymousStore

_INSERT = (
    "INSERT INTO meeting_feedback (id, meeting_id, meeting_day, goals, tasks, bond, words) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class FeedbackAnswer:
    """One member's answer about one meeting, with nothing that says whose or when."""

    goals: int
    tasks: int
    bond: int
    words: str | None = None


def _answer(row: sqlite3.Row) -> FeedbackAnswer:
    return FeedbackAnswer(goals=row["goals"], tasks=row["tasks"], bond=row["bond"], words=row["words"])


class MeetingFeedbackRepository:
    """Store and read meeting feedback; nothing here can name a member."""

    retention_key = "meeting_feedback_days"

    def __init__(self, store: AnonymousStore) -> None:
        self._store = store

    async def save(self, guild_id: int, meeting_id: int, meeting_day: date, answer: FeedbackAnswer) -> None:
        """Store an answer under a random key; when this returns it is on disk."""
        params = (
            secrets.token_hex(16),
            meeting_id,
            meeting_day.isoformat(),
            answer.goals,
            answer.tasks,
            answer.bond,
            answer.words,
        )
        await self._store.write(guild_id, lambda conn: conn.execute(_INSERT, params))

    async def for_meetings(self, guild_id: int, meeting_ids: list[int]) -> dict[int, list[FeedbackAnswer]]:
        """Return the answers for each of the given meetings, in key order (random, never arrival order)."""
        if not meeting_ids:
            return {}
        marks = ",".join("?" * len(meeting_ids))

        def read(conn: sqlite3.Connection) -> dict[int, list[FeedbackAnswer]]:
            conn.row_factory = sqlite3.Row
            rows = conn.execute(
                f"SELECT meeting_id, goals, tasks, bond, words FROM meeting_feedback WHERE meeting_id IN ({marks})",
                tuple(meeting_ids),
            ).fetchall()
            found: dict[int, list[FeedbackAnswer]] = {m: [] for m in meeting_ids}
            for row in rows:
                found[row["meeting_id"]].append(_answer(row))
            return found

        return await self._store.read(guild_id, read)

    async def delete_meeting(self, guild_id: int, meeting_id: int) -> int:
        """Delete every answer about a meeting whose record a supervisor removed; return how many went."""
        count = await self._store.read(
            guild_id,
            lambda conn: conn.execute(
                "SELECT COUNT(*) FROM meeting_feedback WHERE meeting_id = ?", (meeting_id,)
            ).fetchone()[0],
        )
        if not count:
            return 0  # nothing to change: leave the file as it is
        return await self._store.write(
            guild_id,
            lambda conn: conn.execute("DELETE FROM meeting_feedback WHERE meeting_id = ?", (meeting_id,)).rowcount,
        )

    async def purge_before(self, cutoff: datetime) -> int:
        """Delete answers about meetings held before the cutoff day, in every server."""
        day = cutoff.date().isoformat()
        removed = 0
        for guild_id in await self._store.guilds():
            old = await self._store.read(
                guild_id,
                lambda conn: conn.execute(
                    "SELECT COUNT(*) FROM meeting_feedback WHERE meeting_day < ?", (day,)
                ).fetchone()[0],
            )
            if old:
                removed += await self._store.write(
                    guild_id,
                    lambda conn: conn.execute("DELETE FROM meeting_feedback WHERE meeting_day < ?", (day,)).rowcount,
                )
        return removed
