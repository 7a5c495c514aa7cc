"""A scheduled post cut off by a stop is finished by the next process, exactly once.

The bot stops (SIGTERM's path: shutdown grace, then cancel) while Discord holds the reply to the
week's prompt: the prompt exists for members, but the bot never learnt it landed. The fire stays
claimed, and nobody renews the claim. The next process takes it over once the lease has run out,
posts again with the same nonce (Discord answers with the first message instead of a second) and
opens the thread. While the first process was alive and waiting, its renewed claim kept the fire
its own.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.scheduling import CLAIM_LEASE, RENEW_EVERY, ManualClock
from discord_sandbox import Sandbox
from tests.e2e.conftest import START, Harness, build_group, make_config, running
from tests.support.db import db_rows
from tests.support.prompt_fire import MESSAGES, REFLECT_COGS, prompt_posts, status_text, threads, weekly_prompt

DUE = timedelta(hours=2, minutes=1)  # Monday 10:01 London, from the harness's start


def fire_row(path: Path) -> tuple[str, int, int, int]:
    [row] = db_rows(path, "SELECT status, attempts, claimed_at, id FROM fires WHERE kind = 'reflective_prompt'")
    return row


async def test_a_prompt_cut_off_by_a_stop_is_posted_once_by_the_next_process(sandbox: Sandbox, tmp_path: Path) -> None:
    group = build_group(sandbox)
    config = make_config(tmp_path, sandbox, cogs=REFLECT_COGS)
    clock = ManualClock(START)
    async with running(sandbox, config, clock) as bot:
        h = Harness(sandbox, bot, clock, group, config.database_path)
        await weekly_prompt(h)
        slow_reply = sandbox.faults.hold_reply("POST", MESSAGES)
        await bot.scheduler.advance(DUE)
        await sandbox.world.notifier.wait_for(lambda: prompt_posts(h) or None, 5, "the prompt to reach the channel")

        # Still waiting for Discord's reply, several leases later: the claim is renewed, never taken over.
        claimed_at = fire_row(config.database_path)[2]
        await bot.scheduler.advance(CLAIM_LEASE * 2)
        status, attempts, renewed_at, _ = fire_row(config.database_path)
        assert (status, attempts) == ("claimed", 1)
        assert renewed_at >= claimed_at + (CLAIM_LEASE * 2 - RENEW_EVERY).total_seconds()
        assert len(prompt_posts(h)) == 1
    slow_reply.set()  # too late: the process that asked has stopped

    status, attempts, _, fire_id = fire_row(config.database_path)
    assert (status, attempts) == ("claimed", 1)
    assert db_rows(config.database_path, "SELECT step FROM fire_steps WHERE fire_id = ?", fire_id) == []

    restart = ManualClock(clock() + timedelta(minutes=1))
    async with running(sandbox, config, restart) as bot:
        h = Harness(sandbox, bot, restart, group, config.database_path)
        early = await bot.scheduler.advance(timedelta(seconds=30))
        assert fire_id not in [f.id for f in early]  # the lease has not run out yet
        taken = await h.advance(CLAIM_LEASE)
        assert [f.id for f in taken if f.kind == "reflective_prompt"] == [fire_id]

        assert len(prompt_posts(h)) == 1, "the prompt was posted twice"
        [thread] = threads(h)
        assert thread.parent_id == prompt_posts(h)[0].channel_id
        assert fire_row(config.database_path)[:2] == ("posted", 2)
        assert "✅" in await status_text(h)

        await h.advance(timedelta(hours=1))  # nothing is taken over again
        assert len(prompt_posts(h)) == 1 and len(threads(h)) == 1
