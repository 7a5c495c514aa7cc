"""Small key/value bookkeeping for the bot itself (e.g. the last synced command hash)."""

from __future__ import annotations

from bot.db.connection import Database


class MetaRepository:
    """Read and write bot_meta."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        """Return the stored value, or None."""
        row = await self._db.fetchone("SELECT value FROM bot_meta WHERE key = ?", (key,))
        return None if row is None else row["value"]

    async def set(self, key: str, value: str) -> None:
        """Store a value, replacing any previous one."""
        await self._db.write(
            "INSERT INTO bot_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
