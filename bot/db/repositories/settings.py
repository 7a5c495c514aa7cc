"""Per-server group settings."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Collection
from typing import Any

from bot.db.cache import GuildCache
from bot.db.connection import Database
from bot.db.models import GuildSettings

_COLUMNS = [f.name for f in dataclasses.fields(GuildSettings)]


class GuildSettingsRepository:
    """Read and update guild_settings rows."""

    def __init__(self, db: Database, default_timezone: str = "UTC") -> None:
        self._db = db
        self._default_timezone = default_timezone
        # Read on every click and every fan-out item, changed by a supervisor now and then.
        self._cache: GuildCache[Any] = GuildCache(db)

    async def get(self, guild_id: int) -> GuildSettings:
        """Return the server's settings, or defaults if it was never set up."""
        value: GuildSettings = await self._cache.get_from(guild_id, "settings", self._get_many)
        return value

    async def warm(self, guild_ids: Collection[int]) -> None:
        """Read many servers' settings in one go (a fan-out's next batch) into the cache."""
        await self._cache.warm(guild_ids, "settings", self._get_many)

    async def _get_many(self, guild_ids: list[int]) -> dict[int, GuildSettings]:
        rows = await self._db.fetchall(
            f"SELECT {', '.join(_COLUMNS)} FROM guild_settings WHERE guild_id IN ({','.join('?' * len(guild_ids))})",
            guild_ids,
        )
        found = {row["guild_id"]: GuildSettings(**dict(row)) for row in rows}
        default = self._default_timezone
        return {g: found.get(g) or GuildSettings(guild_id=g, timezone=default) for g in guild_ids}

    async def exists(self, guild_id: int) -> bool:
        """Tell whether the server has been set up at all."""
        return await self._db.fetchone("SELECT 1 FROM guild_settings WHERE guild_id = ?", (guild_id,)) is not None

    async def update(self, guild_id: int, **changes: Any) -> GuildSettings:
        """Set the given fields (creating the row if needed) and return the new settings."""
        try:
            return await self._update(guild_id, **changes)
        finally:
            self._cache.invalidate(guild_id)

    async def _update(self, guild_id: int, **changes: Any) -> GuildSettings:
        unknown = set(changes) - set(_COLUMNS[1:])
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        current = await self.get(guild_id)
        merged = dataclasses.replace(current, **changes)
        values = [getattr(merged, c) for c in _COLUMNS]
        async with self._db.transaction() as conn:
            await conn.execute(
                f"INSERT INTO guild_settings ({', '.join(_COLUMNS)}, updated_at)"
                f" VALUES ({', '.join('?' * len(_COLUMNS))}, ?)"
                f" ON CONFLICT (guild_id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in [*_COLUMNS[1:], "updated_at"]),
                (*values, int(time.time())),
            )
        return merged

    async def all_guild_ids(self) -> list[int]:
        """Return every server with settings."""
        return [r["guild_id"] for r in await self._db.fetchall("SELECT guild_id FROM guild_settings")]
