"""A server's quiz preferences: the focus rotation, questions per quiz, and whether the leaderboard shows."""

from __future__ import annotations

from collections.abc import Collection

from bot.db.cache import GuildCache
from bot.db.connection import Database
from bot.db.models import QuizSettings


class QuizSettingsRepository:
    """Read (cached per server) and store quiz_settings rows."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # Read on every quiz opened and every leaderboard, changed by a supervisor now and then.
        self._cache: GuildCache[QuizSettings] = GuildCache(db)

    async def get(self, guild_id: int) -> QuizSettings:
        """Return the server's quiz settings (defaults if never set)."""
        return await self._cache.get_from(guild_id, "settings", self._get_many)

    async def warm(self, guild_ids: Collection[int]) -> None:
        """Read many servers' quiz settings in one go (a fan-out's next batch) into the cache."""
        await self._cache.warm(guild_ids, "settings", self._get_many)

    async def _get_many(self, guild_ids: list[int]) -> dict[int, QuizSettings]:
        rows = await self._db.fetchall(
            "SELECT guild_id, rotation, questions, leaderboard FROM quiz_settings"
            f" WHERE guild_id IN ({','.join('?' * len(guild_ids))})",
            guild_ids,
        )
        found = {
            r["guild_id"]: QuizSettings(
                r["guild_id"], tuple(e for e in r["rotation"].split(",") if e), r["questions"], bool(r["leaderboard"])
            )
            for r in rows
        }
        return {g: found.get(g) or QuizSettings(g) for g in guild_ids}

    async def save(self, settings: QuizSettings) -> None:
        """Store the server's quiz settings."""
        try:
            await self._db.write(
                "INSERT INTO quiz_settings (guild_id, rotation, questions, leaderboard) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET rotation = excluded.rotation,"
                " questions = excluded.questions, leaderboard = excluded.leaderboard",
                (settings.guild_id, ",".join(settings.rotation), settings.questions, int(settings.leaderboard)),
            )
        finally:
            self._cache.invalidate(settings.guild_id)
