"""Host side of the baseline: a bare discord.py client doing the same Discord work with no storage."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from typing import Any

import aiosqlite
import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

# A fixed reply about the size of our bot's question and feedback embeds.
FIXED_TEXT = "A fixed reply from the baseline bot. " * 14
GUILD_READY_TIMEOUT = 0.05  # the same as our bot gets in the benchmarks


def static_view(*buttons: tuple[str, str]) -> discord.ui.View:
    """A view that is serialised but never stored for dispatch (the baseline answers in on_interaction)."""
    view = discord.ui.View(timeout=None)
    for custom_id, label in buttons:
        view.add_item(discord.ui.Button(label=label, custom_id=custom_id))
    view.stop()
    return view


class DurableAnswers:
    """The fair floor's storage: one INSERT, committed durably, per answer (WAL, synchronous=FULL as ours)."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    @classmethod
    async def open(cls, path: str) -> DurableAnswers:
        # isolation_level=None: the INSERT is its own transaction, so one statement is INSERT and COMMIT.
        conn = await aiosqlite.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL"):
            await conn.execute(f"PRAGMA {pragma}")
        await conn.execute("CREATE TABLE IF NOT EXISTS answers (user_id INTEGER, custom_id TEXT)")
        return cls(conn)

    async def record(self, user_id: int, custom_id: str) -> None:
        await self._conn.execute("INSERT INTO answers (user_id, custom_id) VALUES (?, ?)", (user_id, custom_id))

    async def close(self) -> None:
        await self._conn.close()


class BaselineBot(discord.Client):
    """Guilds intent only, one slash command, component clicks answered with a fixed ephemeral message.

    With `answers` (the fair floor), each quiz answer is first stored with one durable commit.
    """

    answers: DurableAnswers | None = None

    def __init__(self, api_base: str, expected_guilds: int) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            intents=intents, allowed_mentions=discord.AllowedMentions.none(), guild_ready_timeout=GUILD_READY_TIMEOUT
        )
        discord.http.Route.BASE = api_base
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(reflect_group())
        self.expected = expected_guilds
        self.available = 0
        self.ready_event = asyncio.Event()
        self.fixed = discord.Embed(title="Baseline", description=FIXED_TEXT)

    async def setup_hook(self) -> None:
        _, gateway, _ = await self.http.get_bot_gateway()
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
        await self.tree.sync()

    async def on_guild_available(self, _guild: discord.Guild) -> None:
        self.available += 1
        if self.available >= self.expected:
            self.ready_event.set()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.component:
            return
        custom_id = str((interaction.data or {}).get("custom_id", ""))
        if self.answers is not None and ":answer:" in custom_id:
            await self.answers.record(interaction.user.id, custom_id)
        if custom_id.startswith("sv:quiz:take:"):
            quiz = custom_id.rsplit(":", 1)[1]
            buttons = [(f"sv:quiz:answer:{quiz}:0:{i}", "ABCD"[i]) for i in range(4)]
            await interaction.response.send_message(embed=self.fixed, view=static_view(*buttons), ephemeral=True)
        else:
            await interaction.response.send_message(embed=self.fixed, ephemeral=True)


def reflect_group() -> app_commands.Group:
    group = app_commands.Group(name="reflect", description="Reflective prompts")

    @group.command(name="prompt", description="A fixed prompt")
    async def prompt(interaction: discord.Interaction) -> None:
        embed = discord.Embed(title="Reflective prompt", description=FIXED_TEXT)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    return group


class BaselineHost:
    """Runs BaselineBot and performs fan-out sends on command."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.bot = BaselineBot(args.api_base, args.guilds)
        self.task: asyncio.Task[None] | None = None
        self.fanout: dict[str, Any] = {}
        self.durable_path = args.db if args.kind == "floor" else None
        self.rate = args.global_rate or 0.0

    async def _ready(self) -> None:
        await self.bot.ready_event.wait()
        await self.bot.wait_until_ready()

    async def start(self, token: str) -> None:
        if self.durable_path is not None:
            self.bot.answers = await DurableAnswers.open(self.durable_path)
        self.task = asyncio.create_task(self.bot.start(token))
        waiter = asyncio.create_task(self._ready())
        done, _ = await asyncio.wait({self.task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        if self.task in done:
            waiter.cancel()
            await self.task
            raise RuntimeError("the baseline stopped before it was ready")

    async def stop(self) -> None:
        await self.bot.close()
        if self.task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        if self.bot.answers is not None:
            await self.bot.answers.close()

    async def command(self, cmd: dict[str, Any]) -> dict[str, Any]:
        name = cmd["cmd"]
        if name == "open_quiz":
            channel = self.bot.get_channel(cmd["channel"])
            assert isinstance(channel, discord.TextChannel)
            await channel.send(embed=self.bot.fixed, view=static_view(("sv:quiz:take:1", "Take this week's quiz")))
            return {}
        if name == "setup_fanout":
            self.fanout = cmd
            return {}
        if name == "advance":
            from bench.baseline_fanout import send_all

            sent = await send_all(self.bot, self.fanout["guilds"], self.fanout["subs"], self.rate)
            return {"sent": sent}
        if name == "settle":
            return {}
        raise ValueError(f"unknown command {name!r}")
