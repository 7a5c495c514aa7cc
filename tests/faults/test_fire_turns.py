"""A weekly fan-out works on a few dozen servers' fires at a time; the others wait their turn, claimed.

Every server's quiz falls due in the same minute. Started all at once, each fire's database reads queued
behind every other fire's, and the first post went only when the last fire was ready. Here Discord holds
the replies to the first posts: the fires in hand wait for them, and the rest have not begun.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from bot.client import FIRES_AT_ONCE
from bot.clock import ManualClock
from discord_sandbox import Sandbox
from tests.e2e.conftest import START, make_config, running
from tests.support.db import db_rows
from tests.support.prompt_fire import MESSAGES

SERVERS = FIRES_AT_ONCE + 8
DUE = timedelta(hours=1, minutes=5)  # Monday 09:05 UTC, past every 09:00 quiz


async def test_a_fan_out_prepares_a_few_dozen_fires_at_a_time_and_posts_each_once(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    quiz_channels = []
    for number in range(SERVERS):
        guild = sandbox.create_guild(f"Supervision group {number}")
        quiz_channels.append((guild.id, sandbox.create_text_channel(guild, "quiz").id))
    config = make_config(tmp_path, sandbox, cogs=("quiz",))
    clock = ManualClock(START)
    db = config.database_path
    async with running(sandbox, config, clock) as bot:

        async def quiz_on_mondays(guild_id: int, channel_id: int) -> None:
            await bot.repos.settings.update(guild_id, timezone="UTC", quiz_channel_id=channel_id)
            await bot.repos.schedules.upsert(guild_id, "quiz_opens", (0,), "09:00", "UTC", channel_id, clock())

        await asyncio.gather(*(quiz_on_mondays(guild_id, channel_id) for guild_id, channel_id in quiz_channels))
        await bot.scheduler.rebuild()
        replies = sandbox.faults.hold_reply("POST", MESSAGES, times=SERVERS)
        try:
            fires = [f for f in await bot.scheduler.advance(DUE) if f.kind == "quiz_opens"]
            assert len(fires) == SERVERS

            def posted() -> list[int]:
                return [c for _, c in quiz_channels if sandbox.messages(c)]

            await sandbox.wait_for(
                lambda: posted() if len(posted()) >= FIRES_AT_ONCE else None, timeout=10, what="the first posts"
            )
            # Every fire is claimed; only those in hand chose their questions and posted, the rest wait their turn.
            assert db_rows(db, "SELECT status, COUNT(*) FROM fires WHERE kind = 'quiz_opens' GROUP BY 1") == [
                ("claimed", SERVERS)
            ]
            assert db_rows(db, "SELECT COUNT(*) FROM quiz_weeks") == [(FIRES_AT_ONCE,)]
            assert len(posted()) == FIRES_AT_ONCE
        finally:
            replies.set()
        await bot.scheduler.wait_finished(fires, timeout=30)
    assert [len(sandbox.messages(channel_id)) for _, channel_id in quiz_channels] == [1] * SERVERS
    assert db_rows(db, "SELECT status, COUNT(*) FROM fires WHERE kind = 'quiz_opens' GROUP BY 1") == [
        ("posted", SERVERS)
    ]
