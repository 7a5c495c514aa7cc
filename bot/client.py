"""SupervisionBot: the discord.py client that wires storage, scheduler and feature cogs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any, cast

import discord
import yarl
from discord.ext import commands
from discord.gateway import DiscordWebSocket

from bot import heap, i18n
from bot.cache_units import one_look_per_interaction
from bot.cards import hand_over, is_live, retire_cards
from bot.command_sync import sync_commands
from bot.command_translator import CatalogueTranslator
from bot.config import Config
from bot.connect import quiet_reconnects
from bot.db.anonymous import AnonymousStore
from bot.db.cache import one_look
from bot.db.connection import Database
from bot.db.models import Fire
from bot.db.repositories import Repositories
from bot.db.upgrade import upgrade
from bot.errors import SupervisionCommandTree, new_error_id
from bot.expired import answer_expired
from bot.languages import group_locale, remember_member_locale, speak_in_member_locale
from bot.logging_setup import protect_handlers
from bot.pacing import Pacer, mark_scheduled_work, pace_http, paced_rate
from bot.rate_buckets import sweep_buckets_lazily
from bot.scheduling import Clock, SchedulerService, system_clock

log = logging.getLogger(__name__)
DISCORD_API_BASE = "https://discord.com/api/v10"
DISCORD_GATEWAY = "wss://gateway.discord.gg/"
# How long close() lets in-flight posts finish; well inside the 10 s a service manager waits.
SHUTDOWN_GRACE_SECONDS = 5.0
# Fires worked on at once; the rest wait their turn in claim order. A weekly fan-out claims every server's
# fire together: started all at once, each fire's database reads queued behind every other fire's, and the
# first post went only when the last fire was ready (10 s at 2,500 servers, bench/analysis.md). A fire is ready
# in milliseconds and the pacer sends 49 a second, so a few dozen in hand keep it supplied.
FIRES_AT_ONCE = 32


def bot_intents() -> discord.Intents:
    """Return the minimal intents: guild structure only; no privileged intent is needed."""
    intents = discord.Intents.none()
    # Channels, roles and the bot's own member, to check the bot's permissions per channel.
    intents.guilds = True
    return intents


def point_at_api(api_base: str) -> None:
    """Send REST calls (and so gateway discovery) to api_base, or to Discord when empty."""
    # discord.py keeps the base on its Route class; webhooks (interaction followups) share it.
    discord.http.Route.BASE = api_base.rstrip("/") or DISCORD_API_BASE
    if not api_base:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(DISCORD_GATEWAY)


class CommandTree(SupervisionCommandTree):
    """The bot's command tree: the error handler, and the member's locale kept for DMs."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        # Before the command runs, in its own task: the write is done before any reply, so nothing lands after it.
        # Best effort: a full disk or a locked database must never stop the command itself.
        try:
            await remember_member_locale(cast("SupervisionBot", interaction.client).repos, interaction)
        except (sqlite3.Error, RuntimeError) as error:
            log.warning("could not remember a member's language (%s)", type(error).__name__)
        return True


class SupervisionBot(commands.AutoShardedBot):
    """The bot: one database, one scheduler, and the feature cogs named in config.

    Auto-sharded: it asks GET /gateway/bot how many shards Discord requires (one per 2,500 servers) and runs
    them all in this process, so growing past 2,500 servers needs no change (docs/scaling.md).
    """

    def __init__(
        self,
        config: Config,
        *,
        clock: Clock = system_clock,
        sync_only: bool = False,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        # The bot never joins voice; discord.py would otherwise warn at every start that voice is unsupported.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            guild_ready_timeout=guild_ready_timeout,
            command_prefix=commands.when_mentioned,
            intents=bot_intents(),
            tree_cls=CommandTree,
            help_command=None,
            # Nothing the bot says pings anyone unless a message opts in explicitly.
            allowed_mentions=discord.AllowedMentions.none(),
        )
        protect_handlers()  # whatever handlers the host set up get the redacting filter too
        quiet_reconnects()
        self.config = config
        self.clock = clock
        self.sync_only = sync_only
        self.started_at = time.monotonic()
        self.db: Database | None = None
        self._repos: Repositories | None = None
        self._scheduler: SchedulerService | None = None
        self._background: set[asyncio.Task[object]] = set()
        self.scheduler_started = asyncio.Event()
        self._scheduler_task: asyncio.Task[object] | None = None
        self._fire_turns = asyncio.Semaphore(FIRES_AT_ONCE)
        self._dynamic_items: list[type[discord.ui.DynamicItem[Any]]] = []
        # Scheduled work (fires and the DM fan-out) waits for a slot just under Discord's global limit.
        self.pacer = Pacer(paced_rate(config.discord.global_rate_limit))
        pace_http(self.http, self.pacer)
        sweep_buckets_lazily(self.http)  # a fan-out to thousands of channels would scan every bucket per post
        speak_in_member_locale(self._connection)
        one_look_per_interaction(self._connection)

    @property
    def repos(self) -> Repositories:
        """The repositories (available once setup_hook has run)."""
        if self._repos is None:
            raise RuntimeError("storage is not open yet")
        return self._repos

    @property
    def scheduler(self) -> SchedulerService:
        """The scheduler (available once setup_hook has run)."""
        if self._scheduler is None:
            raise RuntimeError("the scheduler is not running yet")
        return self._scheduler

    async def login(self, token: str) -> None:
        point_at_api(self.config.discord.api_base)
        await super().login(token)

    async def setup_hook(self) -> None:
        # Safe to run again: a start that failed on the network (gateway lookup, command sync) is
        # retried by logging in anew, and storage and cogs set up the first time are kept.
        if self.config.discord.api_base:
            # discord.py connects to a fixed gateway URL unless told otherwise; with another API
            # base, ask that API where its gateway is, as GET /gateway/bot tells real clients.
            _, gateway, _ = await self.http.get_bot_gateway()
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
        if self.db is None:
            db = await Database.open(self.config.database_path)
            anonymous = AnonymousStore(self.config.anonymous_store_path)
            await upgrade(db, anonymous)
            self.db = db
            self._repos = Repositories(db, self.config.bot.default_timezone, anonymous)
            self._scheduler = SchedulerService(
                self._repos,
                self.dispatch_fire,
                clock=self.clock,
                grace=timedelta(hours=self.config.scheduler.grace_hours),
            )
        if self.tree.translator is None:
            await self.tree.set_translator(CatalogueTranslator())
        for name in self.config.bot.cogs:
            if f"cogs.{name}" not in self.extensions:
                await self.load_extension(f"cogs.{name}")
        if self.sync_only:
            return
        assert self.application_id is not None
        await sync_commands(self.tree, self.repos.meta, self.application_id, self.config.discord.dev_guilds)
        if self._scheduler_task is None:
            self._scheduler_task = self.spawn(self._start_scheduler())

    async def _start_scheduler(self) -> None:
        # Fires caught up at start post to channels, so wait until the gateway has delivered every
        # server and its channels; before that, get_channel() finds nothing.
        await self.wait_until_ready()
        await self.scheduler.start()
        self.scheduler_started.set()
        heap.settle(len(self.guilds))  # once serving: one collection now, not a longer one in a fan-out
        schedules = self.scheduler.job_count - len(self.scheduler.system_jobs)
        servers = len(self.guilds)
        log.info(
            "ready as %s: %d server%s, %d schedule%s",
            self.user,
            servers,
            "" if servers == 1 else "s",
            schedules,
            "" if schedules == 1 else "s",
        )

    async def on_shard_ready(self, shard_id: int) -> None:
        """A shard that started a new session after the first start has rebuilt its servers: settle again."""
        if self.scheduler_started.is_set():
            heap.settle(len(self.guilds))

    def add_dynamic_items(self, *items: type[discord.ui.DynamicItem[Any]]) -> None:
        super().add_dynamic_items(*items)
        self._dynamic_items.extend(items)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Answer a click or form that nothing in this process will handle, instead of letting it fail."""
        if interaction.type not in (discord.InteractionType.component, discord.InteractionType.modal_submit):
            return
        custom_id = str(interaction.data.get("custom_id", "")) if interaction.data else ""
        persistent = any(item.__discord_ui_compiled_template__.fullmatch(custom_id) for item in self._dynamic_items)
        # hand_over: a click that overtook its new card's registration; is_live: one its card took as it closed.
        if persistent or hand_over(interaction) or is_live(custom_id):
            return
        with contextlib.suppress(discord.HTTPException):  # it may have expired on Discord's side too
            await answer_expired(interaction)

    def dispatch_fire(self, fire: Fire) -> None:
        """Hand a claimed fire to the cog listeners for its kind, or record that none listens."""
        self.spawn(self._run_fire(fire))

    async def _run_fire(self, fire: Fire) -> None:
        # Its claim is renewed meanwhile, so a fire waiting for its turn is never taken for abandoned.
        async with self._fire_turns:
            await self._work_on_fire(fire)

    async def _work_on_fire(self, fire: Fire) -> None:
        # Run the listeners ourselves rather than through dispatch(), so shutdown can wait for them
        # and a crash in one becomes a "failed" fire instead of a log line nobody reads.
        mark_scheduled_work()  # this task and those it starts are paced under Discord's global limit
        listeners = self.extra_events.get(f"on_{fire.kind}_due", [])
        if not listeners:
            await self.scheduler.finish(fire, "skipped", f"the {fire.kind} feature is not enabled")
            return
        with one_look():  # other processes' commits are looked for once per fire, not at every cached read
            await self._call_listeners(fire, listeners)

    async def _call_listeners(self, fire: Fire, listeners: list[Any]) -> None:
        # A group post speaks the group's language; its DMs each switch to their member's.
        locale = await group_locale(self.repos, fire.guild_id, self.get_guild(fire.guild_id)) if fire.guild_id else None
        with i18n.speaking(locale):
            for listener in listeners:
                try:
                    await listener(fire)
                except Exception:
                    error_id = new_error_id()
                    log.exception("scheduled %s failed (error id %s)", fire.kind, error_id)
                    await self.scheduler.finish(fire, "failed", f"unexpected error (error id {error_id})")

    def spawn(self, coro: Coroutine[object, object, object]) -> asyncio.Task[object]:
        """Run work in the background, keeping a reference so it is not garbage-collected."""
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    @property
    def uptime(self) -> timedelta:
        """How long this process has been up."""
        return timedelta(seconds=time.monotonic() - self.started_at)

    async def close(self) -> None:
        if self._scheduler is not None:
            await self._scheduler.shutdown()
        if self._scheduler_task is not None and not self._scheduler_task.done() and not self.is_ready():
            self._scheduler_task.cancel()  # never became ready: there is nothing to catch up
        # Let in-flight background work (posts, fan-out) finish its writes before the database closes.
        # The task running close() itself (a signal handler spawns it) must not wait for itself.
        pending = self._background - {asyncio.current_task()}
        if pending:
            _, late = await asyncio.wait(pending, timeout=SHUTDOWN_GRACE_SECONDS)
            for task in late:
                # Past the grace a service manager is about to kill us; stop cleanly instead. A
                # cancelled post is a claimed fire with no outcome, never a half-written row.
                task.cancel()
            if late:
                log.warning("stopping: %d task(s) still running were cancelled", len(late))
                await asyncio.wait(late, timeout=1)
        await super().close()
        retire_cards()
        if self.db is not None:
            await self.db.close()
            self.db = None
