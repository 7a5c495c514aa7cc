"""Per-server values read often and changed rarely (settings, banks), kept in memory between reads."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

from bot.db.connection import Database

T = TypeVar("T")

# Within one unit of work, the data_version each database had when the unit first looked (by id(Database)).
_unit: ContextVar[dict[int, int] | None] = ContextVar("cache_unit", default=None)


@contextmanager
def one_look() -> Iterator[None]:
    """Make the caches look for other processes' commits once in this block and the tasks it starts.

    A unit is one member's interaction, or one scheduled fire (a DM tick's whole batch among them). It reads
    the settings and banks several times (the group's language, its prompts, what it switched off), and each
    look was a round trip to the database's thread: three per /reflect prompt, seven per message of a weekly
    fan-out. One look per unit sees every commit made before the unit began, and the unit then reads one
    consistent state; writes through this process's repositories invalidate at once, as always.
    """
    token = _unit.set({})
    try:
        yield
    finally:
        _unit.reset(token)


class GuildCache(Generic[T]):
    """Values per (server, key), loaded once and kept until the repository that changes them says so.

    The repository that owns the rows calls `invalidate(guild_id)` in each of its writes. A write by
    another connection (a second process on the same file, an operator's tool) is noticed through
    `PRAGMA data_version`, which changes only when another connection commits: one tiny read instead
    of the queries and the building the cache saves, and then everything is read afresh. Inside a unit of
    work (`one_look`) that read is made once, at the unit's first look; elsewhere, at every look.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._values: dict[tuple[int, Hashable], T] = {}
        self._version: int | None = None
        self._changes: dict[int, int] = {}  # per server: how many times invalidate() was called

    async def get(self, guild_id: int, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """Return the cached value, loading it on first use or after any change; a copy, safe to change."""
        version = await self._data_version()
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

    async def _data_version(self) -> int:
        """The database's data_version: read once per unit of work (see one_look), every time outside one."""
        unit = _unit.get()
        if unit is None:
            return await self._db.data_version()
        key = id(self._db)
        if key not in unit:
            unit[key] = await self._db.data_version()
        return unit[key]

    def invalidate(self, guild_id: int) -> None:
        """Forget everything cached for the server (its rows just changed)."""
        self._changes[guild_id] = self._changes.get(guild_id, 0) + 1
        for slot in [slot for slot in self._values if slot[0] == guild_id]:
            del self._values[slot]
