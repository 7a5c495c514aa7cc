"""Per-server values read often and changed rarely (settings, banks), kept in memory between reads."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from bot.db.connection import Database

T = TypeVar("T")


class GuildCache(Generic[T]):
    """Values per (server, key), loaded once and kept until the repository that changes them says so.

    The repository that owns the rows calls `invalidate(guild_id)` in each of its writes. A write by
    another connection (a second process on the same file, an operator's tool) is noticed through
    `PRAGMA data_version`, which changes only when another connection commits: one tiny read instead
    of the queries and the building the cache saves, and then everything is read afresh.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._values: dict[tuple[int, Hashable], T] = {}
        self._version: int | None = None
        self._changes: dict[int, int] = {}  # per server: how many times invalidate() was called

    async def get(self, guild_id: int, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """Return the cached value, loading it on first use or after any change; a copy, safe to change."""
        version = await self._db.data_version()
        if version != self._version:
            self._values.clear()
            self._version = version
        slot = (guild_id, key)
        if slot in self._values:
            return copy.copy(self._values[slot])
        changes = self._changes.get(guild_id, 0)
        value = await load()
        # A write that committed while this load was reading may not be in it: keep it only if none did.
        if self._changes.get(guild_id, 0) == changes and self._version == version:
            self._values[slot] = value
        return copy.copy(value)

    def invalidate(self, guild_id: int) -> None:
        """Forget everything cached for the server (its rows just changed)."""
        self._changes[guild_id] = self._changes.get(guild_id, 0) + 1
        for slot in [slot for slot in self._values if slot[0] == guild_id]:
            del self._values[slot]
