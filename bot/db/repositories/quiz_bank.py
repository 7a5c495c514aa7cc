"""A server's own quiz items and the items it has switched off."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.cache import GuildCache, ids_per_guild
from bot.db.connection import Database
from bot.db.models import to_unix


@dataclass(frozen=True)
class CustomItem:
    """A quiz item a server imported: its id, its element and the validated table it was imported from."""

    item_id: str
    element: str
    table: dict[str, Any]


class QuizBankRepository:
    """Custom items belong to the server that made them."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # Read on every click and every fan-out item, changed by a supervisor now and then.
        self._cache: GuildCache[Any] = GuildCache(db)

    async def add_items(self, guild_id: int, items: list[dict[str, Any]], now: datetime) -> None:
        """Store validated items, all or none."""
        try:
            await self._add_items(guild_id, items, now)
        finally:
            self._cache.invalidate(guild_id)

    async def _add_items(self, guild_id: int, items: list[dict[str, Any]], now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO quiz_custom_items (guild_id, item_id, element, body, created_at) VALUES (?, ?, ?, ?, ?)",
                [(guild_id, i["id"], i["element"], json.dumps(i, ensure_ascii=False), to_unix(now)) for i in items],
            )

    async def custom_items(self, guild_id: int) -> list[CustomItem]:
        """Return the server's own items, oldest first."""
        value: list[CustomItem] = await self._cache.get_from(guild_id, "custom", self._custom_items_many)
        return value

    async def _custom_items_many(self, guild_ids: list[int]) -> dict[int, list[CustomItem]]:
        rows = await self._db.fetchall(
            "SELECT guild_id, item_id, element, body FROM quiz_custom_items"
            f" WHERE guild_id IN ({','.join('?' * len(guild_ids))}) ORDER BY created_at, item_id",
            guild_ids,
        )
        found: dict[int, list[CustomItem]] = {g: [] for g in guild_ids}
        for r in rows:
            found[r["guild_id"]].append(
                CustomItem(item_id=r["item_id"], element=r["element"], table=json.loads(r["body"]))
            )
        return found

    async def custom_ids(self, guild_id: int) -> set[str]:
        """Return the ids of the server's own items."""
        value: set[str] = await self._cache.get(guild_id, "custom_ids", lambda: self._custom_ids(guild_id))
        return value

    async def _custom_ids(self, guild_id: int) -> set[str]:
        rows = await self._db.fetchall("SELECT item_id FROM quiz_custom_items WHERE guild_id = ?", (guild_id,))
        return {r["item_id"] for r in rows}

    async def disable(self, guild_id: int, item_id: str) -> bool:
        """Switch an item off for the server; False if it already was."""
        try:
            return await self._disable(guild_id, item_id)
        finally:
            self._cache.invalidate(guild_id)

    async def _disable(self, guild_id: int, item_id: str) -> bool:
        return (
            await self._db.execute(
                "INSERT INTO quiz_disabled_items (guild_id, item_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (guild_id, item_id),
            )
            == 1
        )

    async def disabled(self, guild_id: int) -> set[str]:
        """Return the ids the server has switched off."""
        value: set[str] = await self._cache.get_from(guild_id, "disabled", self._disabled_many)
        return value

    async def _disabled_many(self, guild_ids: list[int]) -> dict[int, set[str]]:
        return await ids_per_guild(self._db, "quiz_disabled_items", "item_id", guild_ids)

    async def warm(self, guild_ids: Collection[int]) -> None:
        """Read many servers' own items and switched-off items in one go (a fan-out's next batch) into the cache."""
        await self._cache.warm(guild_ids, "custom", self._custom_items_many)
        await self._cache.warm(guild_ids, "disabled", self._disabled_many)
