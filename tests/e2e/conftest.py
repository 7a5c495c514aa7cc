"""End-to-end harness: the real bot on a real SQLite file, talking to the local Discord sandbox."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.client import SupervisionBot
from bot.config import BotConfig, Config, DiscordConfig, StorageConfig
from bot.db.anonymous import SCHEMA
from bot.db.models import Fire
from bot.scheduling import ManualClock
from discord_sandbox import Sandbox
from discord_sandbox.models import Channel, Guild, Member, Role
from tests.support.sandbox import run_bot, sandbox  # noqa: F401 - registers the fixture

# A Monday morning, UTC; tests move the clock from here.
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@dataclass
class Group:
    """A supervision group's server as the sandbox holds it."""

    guild: Guild
    owner: Member
    supervisor_role: Role
    supervisor: Member
    trainees: list[Member]
    channels: dict[str, Channel]


@dataclass
class Harness:
    """One running bot plus helpers to drive time."""

    sandbox: Sandbox
    bot: SupervisionBot
    clock: ManualClock
    group: Group
    db_path: Path
    extra: dict[str, Any] = field(default_factory=dict)

    async def advance(self, delta: timedelta) -> list[Fire]:
        """Move the bot's clock forward, run every fire that fell due, and wait for their outcomes."""
        fires = await self.bot.scheduler.advance(delta)
        await self.bot.scheduler.wait_finished(fires)
        return fires

    async def run(self, member: Member, command: str, **options: Any):  # type: ignore[no-untyped-def]
        """Invoke a slash command and return its initial response."""
        ix = await self.sandbox.invoke(self.group.guild, member, command, options=options)
        return await ix.response()


def build_group(sb: Sandbox, trainees: int = 4, name: str = "Supervision group") -> Group:
    """A server with a supervisor role, channels for each feature, a supervisor and trainees."""
    guild = sb.create_guild(name)
    role = sb.create_role(guild, "Supervisor")
    supervisor = sb.create_member(guild, "Dr Supervisor", roles=[role])
    members = [sb.create_member(guild, f"Trainee {chr(65 + i)}") for i in range(trainees)]
    channels = {n: sb.create_text_channel(guild, n) for n in ("prompts", "quiz", "digest")}
    owner = guild.members[guild.owner_id]
    return Group(guild, owner, role, supervisor, members, channels)


def make_config(tmp_path: Path, sb: Sandbox, sections: dict[str, Any] | None = None, **bot: Any) -> Config:
    """A config pointing at the sandbox, with a database in tmp_path; `sections` replaces whole sections.

    A `discord` section keeps its other keys but always points at the sandbox.
    """
    sections = dict(sections or {})
    discord_section = dataclasses.replace(sections.pop("discord", DiscordConfig()), api_base=sb.api_base)
    return Config(
        path=str(tmp_path / "config.toml"),
        discord=discord_section,
        storage=StorageConfig(database=str(tmp_path / "bot.sqlite3")),
        bot=BotConfig(log_level="DEBUG", **bot),
        **sections,
    )


@contextlib.asynccontextmanager
async def running(sb: Sandbox, config: Config, clock: ManualClock) -> AsyncIterator[SupervisionBot]:
    """Start the bot against the sandbox, wait until it has seen every guild, stop it cleanly."""
    # A short guild_ready_timeout: the sandbox sends every server at once, so there is no need to
    # wait Discord's two seconds for stragglers before the bot counts as ready.
    bot = SupervisionBot(config, clock=clock, guild_ready_timeout=0.05)
    async with run_bot(bot, sb):
        await sb.sync_gateway()
        await asyncio.wait_for(bot.scheduler_started.wait(), timeout=10)
        yield bot


@pytest.fixture
def make_harness(sandbox: Sandbox, tmp_path: Path) -> Callable[..., contextlib.AbstractAsyncContextManager[Harness]]:  # noqa: F811
    """Build a group and start the bot; use as `async with make_harness() as h:`."""

    @contextlib.asynccontextmanager
    async def factory(
        trainees: int = 4, start: datetime = START, sections: dict[str, Any] | None = None, **bot: Any
    ) -> AsyncIterator[Harness]:
        group = build_group(sandbox, trainees)
        config = make_config(tmp_path, sandbox, sections, **bot)
        clock = ManualClock(start)
        async with running(sandbox, config, clock) as client:
            yield Harness(sandbox, client, clock, group, config.database_path)

    return factory


async def set_up_group(h: Harness, timezone: str = "Europe/London") -> None:
    """Run /setup as the server owner would, with every channel and the supervisor role."""
    g = h.group
    response = await h.run(
        g.owner,
        "setup",
        timezone=timezone,
        supervisor_role=g.supervisor_role,
        prompts_channel=g.channels["prompts"],
        quiz_channel=g.channels["quiz"],
        digest_channel=g.channels["digest"],
    )
    assert response.ephemeral


def anon_rows(h: Harness, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Run a read on the group's file in the anonymous store, as a person with a copy of it would."""
    path = h.bot.repos.anonymous.path_for(h.group.guild.id)
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) if path.exists() else sqlite3.connect(":memory:")
    try:
        if not path.exists():  # no check-in yet: an empty store answers like an empty table
            conn.executescript("".join(SCHEMA))
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def embed_text(embeds: list[dict[str, Any]]) -> str:
    """All the visible text of some embeds, for assertions."""
    parts = []
    for e in embeds:
        parts += [e.get("title", ""), e.get("description", "")]
        parts += [f"{f['name']} {f['value']}" for f in e.get("fields", [])]
        parts.append((e.get("footer") or {}).get("text", ""))
    return "\n".join(p for p in parts if p)


def manage_server_member(sb: Sandbox, group: Group, name: str = "Owner") -> Member:
    """A member whose role grants Manage Server but not the supervisor role."""
    role = sb.create_role(group.guild, "Admins", permissions=discord.Permissions(manage_guild=True))
    return sb.create_member(group.guild, name, roles=[role])


def custom_ids(source: Any) -> list[str]:
    """Every custom_id in a message's (or a response's) component rows, in order."""
    rows = source.components if hasattr(source, "components") else source
    found = []
    for row in rows or []:
        for comp in row.get("components", []):
            if comp.get("custom_id"):
                found.append(comp["custom_id"])
    return found


def is_png(data: bytes) -> bool:
    """Whether bytes are a PNG image."""
    return data[:8] == b"\x89PNG\r\n\x1a\n"
