"""Host side of our bot: the real SupervisionBot, set up through its own repositories."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import whatif
from bench.history import seed_history
from bot.client import SupervisionBot
from bot.config import BotConfig, Config, DiscordConfig, StorageConfig
from bot.db.models import Fire
from bot.db.repositories.subscriptions import Subscription
from bot.scheduling import ManualClock, system_clock

# A Monday 08:00 UTC: advancing 65 minutes reaches Monday 09:05, past every 09:00 schedule.
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
COGS = ("about", "admin", "quiz", "reflect")
MONDAY = (0,)
GUILD_READY_TIMEOUT = 0.05


def _rate(global_rate: float | None) -> int:
    return 50 if global_rate is None else round(global_rate)


class OursHost:
    """Runs SupervisionBot and turns parent commands into repository writes and clock moves."""

    def __init__(self, args: argparse.Namespace) -> None:
        whatif.apply(args.what_if)
        config = Config(
            path=str(Path(args.db).with_name("config.toml")),
            # The production default (50 requests/s) unless the benchmark says otherwise; 0: no pacing at all.
            discord=DiscordConfig(api_base=args.api_base, global_rate_limit=_rate(args.global_rate)),
            storage=StorageConfig(database=args.db),
            bot=BotConfig(log_level="WARNING", cogs=COGS),
        )
        clock = ManualClock(START) if args.clock == "manual" else system_clock
        # The sandbox sends every server at once, so (as the e2e tests do) skip discord.py's 2 s wait for stragglers.
        self.bot = SupervisionBot(config, clock=clock, guild_ready_timeout=GUILD_READY_TIMEOUT)
        self.expected = args.guilds
        self.available = 0
        self.ready = asyncio.Event()
        self.fires: list[Fire] = []
        self.task: asyncio.Task[None] | None = None

    async def _on_guild_available(self, _guild: object) -> None:
        self.available += 1
        if self.available >= self.expected:
            self.ready.set()

    async def _ready(self) -> None:
        await self.ready.wait()
        await self.bot.scheduler_started.wait()

    async def start(self, token: str) -> None:
        """Start the bot; return once every guild is cached and the scheduler rebuilt its timers."""
        self.bot.add_listener(self._on_guild_available, "on_guild_available")
        self.task = asyncio.create_task(self.bot.start(token))
        waiter = asyncio.create_task(self._ready())
        done, _ = await asyncio.wait({self.task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        if self.task in done:
            waiter.cancel()
            await self.task
            raise RuntimeError("the bot stopped before it was ready")

    async def stop(self) -> None:
        await self.bot.close()
        if self.task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    async def command(self, cmd: dict[str, Any]) -> dict[str, Any]:
        name = cmd["cmd"]
        if name == "open_quiz":
            await self._schedule_quizzes([(cmd["guild"], cmd["channel"])])
            fires = await self.bot.scheduler.advance(timedelta(minutes=65))
            await self.bot.scheduler.wait_finished(fires, timeout=30)
            return {"fires": len(fires)}
        if name == "setup_fanout":
            await self._schedule_quizzes(cmd["guilds"])
            await self._subscribe(cmd["subs"])
            return {}
        if name == "advance":
            self.fires = await self.bot.scheduler.advance(timedelta(minutes=cmd["minutes"]))
            return {"fires": len(self.fires)}
        if name == "settle":
            await self.bot.scheduler.wait_finished(self.fires, timeout=cmd.get("wait", 120))
            return {}
        if name == "seed_history":
            return await seed_history(self.bot.repos, cmd["guild"], cmd["channel"], cmd["members"], cmd["weeks"],
                                      cmd["journal"], self.bot.scheduler.clock())  # fmt: skip
        raise ValueError(f"unknown command {name!r}")

    async def _schedule_quizzes(self, guilds: list[list[int]] | list[tuple[int, int]]) -> None:
        repos, now = self.bot.repos, self.bot.scheduler.clock()

        async def one(guild_id: int, channel_id: int) -> None:
            await repos.settings.update(guild_id, timezone="UTC", quiz_channel_id=channel_id)
            await repos.schedules.upsert(guild_id, "quiz_opens", MONDAY, "09:00", "UTC", channel_id, now)

        # Together, as a server's supervisors each would: group commit lets them share commits (setup speed only).
        await asyncio.gather(*(one(guild_id, channel_id) for guild_id, channel_id in guilds))

    async def _subscribe(self, subs: list[list[int]]) -> None:
        repos, now = self.bot.repos, self.bot.scheduler.clock()
        for guild_id, user_id in subs:
            sub = Subscription(guild_id, user_id, MONDAY, "09:00", "UTC", None, None, True, None, now)
            await repos.subscriptions.subscribe(sub)
