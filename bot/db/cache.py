"""Per-server values read often and changed rarely (settings, banks), kept in memory between reads."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Collection, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

from bot.db.connection import Database

T = TypeVar("T")
WARM_CHUNK = 500  # servers per read when warming: well under SQLite's limit on bound parameters

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
    if _unit.get() is not None:  # already inside a unit (a fan-out's read-ahead within a fire): it is that unit's
        yield
        return
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
        self._values: dict[int, dict[Hashable, T]] = {}  # per server, so forgetting one server is one step
        self._version: int | None = None
        self._changes: dict[int, int] = {}  # per server: how many times invalidate() was called

    async def get(self, guild_id: int, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """Return the cached value, loading it on first use or after any change; a copy, safe to change."""
        version = await self._look()
        cached = self._values.get(guild_id)
        if cached is not None and key in cached:
            return copy.copy(cached[key])
        changes = self._changes.get(guild_id, 0)
        value = await load()
        self._keep(guild_id, key, value, version, changes)
        return copy.copy(value)

    async def get_from(
        self, guild_id: int, key: Hashable, load_many: Callable[[list[int]], Awaitable[dict[int, T]]]
    ) -> T:
        """get() with the loader warm() uses, asked for this one server: a value is read one way, alone or many."""

        async def load() -> T:
            return (await load_many([guild_id]))[guild_id]

        return await self.get(guild_id, key, load)

    async def warm(
        self, guild_ids: Collection[int], key: Hashable, load_many: Callable[[list[int]], Awaitable[dict[int, T]]]
    ) -> None:
        """Load the value of every server not cached yet in one read (`load_many` answers for each one asked)."""
        version = await self._look()
        missing = [g for g in guild_ids if key not in self._values.get(g, {})]
        if not missing:
            return
        for start in range(0, len(missing), WARM_CHUNK):
            chunk = missing[start : start + WARM_CHUNK]
            changes = {guild_id: self._changes.get(guild_id, 0) for guild_id in chunk}
            values = await load_many(chunk)
            for guild_id in chunk:
                self._keep(guild_id, key, values[guild_id], version, changes[guild_id])

    async def _look(self) -> int:
        """The database's data_version, forgetting everything cached if another connection committed since."""
        version = await self._data_version()
        if version != self._version:
            self._values.clear()
            self._version = version
        return version

    def _keep(self, guild_id: int, key: Hashable, value: T, version: int, changes: int) -> None:
        # A write that committed while the value was being read may not be in it: keep it only if none did.
        if self._changes.get(guild_id, 0) == changes and self._version == version:
            self._values.setdefault(guild_id, {})[key] = _shared_if_empty(value)

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
        self._values.pop(guild_id, None)


# Most servers have none of a kind (no items of their own, nothing switched off or paused): they share one empty
# value instead of keeping one each, 0.2 KiB a set, 20 MiB at 25,000 servers once a fan-out has read them all.
# Safe to share: get() hands every caller a copy.
_EMPTY: dict[type, object] = {set: set(), list: [], frozenset: frozenset(), tuple: ()}


def _shared_if_empty(value: T) -> T:
    if type(value) in _EMPTY and not value:
        return _EMPTY[type(value)]  # type: ignore[return-value]
    return value


async def ids_per_guild(db: Database, table: str, column: str, guild_ids: list[int]) -> dict[int, set[str]]:
    """Each server's values of one column of a (guild_id, column) table, in one read; an empty set for none."""
    rows = await db.fetchall(
        f"SELECT guild_id, {column} FROM {table} WHERE guild_id IN ({','.join('?' * len(guild_ids))})", guild_ids
    )
    found: dict[int, set[str]] = {guild_id: set() for guild_id in guild_ids}
    for row in rows:
        found[row["guild_id"]].add(row[column])
    return found
