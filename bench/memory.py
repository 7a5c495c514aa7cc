"""Benchmark 4: resident memory when ready and time from process start to ready, many servers with schedules."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.proc import spawn
from bot.db.connection import Database
from bot.db.migrate import migrate
from bot.db.repositories import Repositories
from discord_sandbox import Sandbox

KINDS = ("quiz_opens", "quiz_closes", "reflective_prompt")


@dataclass
class StartRun:
    """One bot process: seconds from spawn to ready, and its memory then."""

    seconds: float
    rss_kb: int
    hwm_kb: int
    allocations: list[tuple[str, int]]


def build_world(sb: Sandbox, guilds: int, members: int) -> list[tuple[int, dict[str, int]]]:
    """Servers with prompt/quiz/digest channels and `members` members each; returns ids and channel ids."""
    out = []
    for number in range(guilds):
        guild = sb.create_guild(f"Supervision group {number}")
        channels = {name: sb.create_text_channel(guild, name).id for name in ("prompts", "quiz", "digest")}
        for member in range(members - 1):  # the owner is the first member
            sb.create_member(guild, f"Trainee {number}-{member}")
        out.append((guild.id, channels))
    return out


async def prepare_database(path: Path, world: list[tuple[int, dict[str, int]]]) -> None:
    """Settings and three weekly schedules per server, written through the bot's repositories."""
    db = await Database.open(path)
    try:
        await migrate(db)
        await db.fetchall("PRAGMA synchronous=OFF")  # setup speed only; the bot opens its own connection
        repos = Repositories(db)
        now = datetime.now(UTC)
        # Three days ahead, so nothing falls due while the benchmark runs.
        weekday = (now + timedelta(days=3)).weekday()
        for guild_id, ch in world:
            await repos.settings.update(
                guild_id, prompts_channel_id=ch["prompts"], quiz_channel_id=ch["quiz"], digest_channel_id=ch["digest"]
            )
            for kind in KINDS:
                channel = ch["prompts"] if kind == "reflective_prompt" else ch["quiz"]
                await repos.schedules.upsert(guild_id, kind, (weekday,), "10:00", "Europe/London", channel, now)
    finally:
        await db.close()


async def first_start(sb: Sandbox, guilds: int, template: Path, workdir: Path) -> None:
    """Start our bot once on the prepared database and stop it, as a deployment's first start does.

    That start syncs the slash commands and stores their hash; every start measured after it is a restart, as
    nearly every start in production is, and syncs nothing. The bare baseline never syncs at all.
    """
    proc = await spawn("ours", sb, workdir, guilds=guilds, clock="system", db=template)
    await proc.quit()


def _remove_copies(workdir: Path) -> None:
    for leftover in workdir.glob("start-*.sqlite3*"):
        leftover.unlink()


async def run_once(kind: str, sb: Sandbox, guilds: int, template: Path, workdir: Path, **bot: object) -> StartRun:
    """Start one bot process (ours on a fresh copy of the prepared database) and read it when ready."""
    db = workdir / f"start-{kind}.sqlite3"
    if kind == "ours":
        shutil.copyfile(template, db)
    proc = await spawn(kind, sb, workdir, guilds=guilds, clock="system", db=db, **bot)  # type: ignore[arg-type]
    try:
        return StartRun(proc.start_seconds, proc.memory["rss_kb"], proc.memory["hwm_kb"], proc.allocations)
    finally:
        await proc.quit()
        _remove_copies(workdir)
