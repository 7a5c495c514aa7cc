"""Shared setup for the interaction benchmarks: one group, its quiz opened, every member's question shown."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from bench.driving import AnswerTarget, take_all
from bench.proc import BotProcess, spawn
from discord_sandbox import Sandbox
from discord_sandbox.models import Guild


@dataclass
class Session:
    """A running bot with a quiz open and answer buttons ready to press."""

    sb: Sandbox
    bot: BotProcess
    guild: Guild
    targets: list[AnswerTarget]


@contextlib.asynccontextmanager
async def quiz_session(
    kind: str, members: int, workdir: Path, *, profile: Path | None = None, what_if: str = "", speed: bool = True
) -> AsyncIterator[Session]:
    """Sandbox + bot process + open quiz + `members` members each looking at question 1."""
    async with Sandbox(validate_schema=False) as sb:
        guild = sb.create_guild("Bench group")
        channel = sb.create_text_channel(guild, "quiz")
        people = [sb.create_member(guild, f"Trainee {i}") for i in range(members)]
        bot = await spawn(kind, sb, workdir, guilds=1, profile=profile, what_if=what_if, speed=speed)
        try:
            await bot.call(cmd="open_quiz", guild=guild.id, channel=channel.id)
            post = await sb.wait_for_message(channel, lambda m: bool(m.components), timeout=30)
            targets = await take_all(sb, people, post)
            await sb.wait_for(lambda: sb.commands.find(None, "reflect"), timeout=30, what="/reflect registered")
            sb.take_violations()
            yield Session(sb, bot, guild, targets)
        finally:
            await bot.quit()
