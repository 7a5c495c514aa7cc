"""Diagnostic variants of our bot, patched in the child only, to size a recommended fix before anyone makes it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def _one_hop_reads() -> None:
    """Database.fetchall/fetchone as one aiosqlite call (execute_fetchall) instead of execute+fetch+close."""
    from bot.db.connection import Database

    async def fetchall(self: Any, sql: str, params: Any = ()) -> list[Any]:
        async with self._lock:
            return list(await self._conn.execute_fetchall(sql, tuple(params)))

    async def fetchone(self: Any, sql: str, params: Any = ()) -> Any:
        rows = await fetchall(self, sql, params)
        return rows[0] if rows else None

    Database.fetchall = fetchall  # type: ignore[method-assign]
    Database.fetchone = fetchone  # type: ignore[method-assign]


def _memoise(module_names: tuple[str, ...], name: str) -> None:
    """Cache an async (repos, guild_id, *args, **kw) loader per guild in every module that imported it."""
    original = getattr(importlib.import_module(module_names[0]), name)
    cache: dict[Any, Any] = {}

    async def cached(repos: Any, guild_id: int, *args: Any, **kwargs: Any) -> Any:
        key = (guild_id, args, tuple(sorted(kwargs.items())))
        if key not in cache:
            cache[key] = await original(repos, guild_id, *args, **kwargs)
        return cache[key]

    for module_name in module_names:
        setattr(importlib.import_module(module_name), name, cached)


def _cached_banks() -> None:
    """A server's quiz catalogue and prompt list loaded once, not on every click and every DM."""
    # group_catalogue (the group's language) calls bot.quiz_catalogue's load_catalogue, so it is cached too.
    quiz = ("bot.quiz_catalogue", "cogs.quiz.runner", "cogs.quiz.bank", "cogs.quiz.reports")
    quiz += ("cogs.reflect.group_prompt",)
    _memoise(quiz, "load_catalogue")
    reflect = ("cogs.reflect.catalogue", "cogs.reflect.dm_prompts", "cogs.reflect.prompt_flow")
    _memoise((*reflect, "cogs.reflect.group_prompt", "cogs.reflect.cog"), "server_prompts")


def _shared_triggers() -> None:
    """One CronTrigger per distinct (weekdays, time, zone) instead of one per schedule and per check."""
    import functools

    import bot.fire_times as fire_times

    fire_times.weekly_trigger = functools.cache(fire_times.weekly_trigger)  # type: ignore[assignment]


def _read_before_notify() -> None:
    """After each slash command, look for unnotified DM failures with a read; write only when there are some."""
    from bot.db.repositories.deliveries import DeliveryFailureRepository

    original = DeliveryFailureRepository.take_unnotified

    async def take_unnotified(self: Any, guild_id: int, user_id: int) -> list[Any]:
        sql = "SELECT 1 FROM dm_failures WHERE guild_id = ? AND user_id = ? AND notified = 0 LIMIT 1"
        if await self._db.fetchone(sql, (guild_id, user_id)) is None:
            return []
        return await original(self, guild_id, user_id)

    DeliveryFailureRepository.take_unnotified = take_unnotified  # type: ignore[method-assign]


def _synchronous_normal() -> None:
    """WAL with synchronous=NORMAL (no fsync per commit), only to show how much of a write is the fsync."""
    from bot.db.connection import Database

    original = Database.open.__func__  # type: ignore[attr-defined]

    async def open_normal(cls: Any, path: Any) -> Any:
        db = await original(cls, path)
        await db.fetchall("PRAGMA synchronous=NORMAL")
        return db

    Database.open = classmethod(open_normal)  # type: ignore[method-assign, assignment]


def _default_pool() -> None:
    """Charts and exports on asyncio's default thread pool (asyncio.to_thread), as before bot/offload.py."""
    import bot.offload as offload

    offload._lane = lambda _name: None  # type: ignore[assignment]  # run_in_executor(None, ...): the default pool


def _both() -> None:
    _one_hop_reads()
    _cached_banks()


def _all_interaction_fixes() -> None:
    _both()
    _read_before_notify()


def _no_cross_process_look() -> None:
    """The caches never look for other processes' commits (PRAGMA data_version): what that look costs."""
    from bot.db.cache import GuildCache

    async def _data_version(self: Any) -> int:
        return 0

    GuildCache._data_version = _data_version  # type: ignore[method-assign]


def _gc_freeze() -> None:
    """Everything alive when the scheduler has started moved out of the collector's sight (gc.freeze)."""
    import gc

    from bot.client import SupervisionBot

    original = SupervisionBot._start_scheduler

    async def start(self: Any) -> None:
        await original(self)
        gc.freeze()

    SupervisionBot._start_scheduler = start  # type: ignore[method-assign]


def _more_dm_sends() -> None:
    """Prompt DMs sent 32 at a time instead of 10 (only matters without pacing: with it, slots set the pace)."""
    import cogs.reflect.dm_prompts as dm_prompts

    dm_prompts.CONCURRENT_SENDS = 32


def _more_fires() -> None:
    """Fires worked on 64 at a time instead of 32."""
    import bot.client as client

    client.FIRES_AT_ONCE = 64


VARIANTS: dict[str, Callable[[], None]] = {
    "one-hop-reads": _one_hop_reads,
    "cached-banks": _cached_banks,
    "one-hop-reads+cached-banks": _both,
    "read-before-notify": _read_before_notify,
    "all-interaction-fixes": _all_interaction_fixes,
    "shared-triggers": _shared_triggers,
    "no-cross-process-look": _no_cross_process_look,
    "gc-freeze": _gc_freeze,
    "more-dm-sends": _more_dm_sends,
    "more-fires": _more_fires,
    "synchronous-normal": _synchronous_normal,
    "default-pool": _default_pool,
}


def apply(name: str) -> None:
    """Apply the named variant (empty: the bot exactly as it is)."""
    if not name:
        return
    if name not in VARIANTS:
        raise ValueError(f"unknown what-if variant {name!r}; known: {sorted(VARIANTS)}")
    VARIANTS[name]()
