"""Two bots on one database file: every scheduled post and every DM is made once, never twice.

Fires are claimed in the fires table and DMs in dm_deliveries, so whichever instance claims first
does the work. The in-process variant runs two SupervisionBot instances (one event loop, one
sandbox); the subprocess variant starts two real `python -m bot run` processes at the same moment
with a post and DMs already due, so both race through the start-up catch-up.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.db.connection import Database
from bot.db.migrate import migrate
from bot.db.repositories import Repositories
from bot.db.repositories.subscriptions import Subscription
from bot.scheduling import ManualClock
from discord_sandbox import Sandbox
from tests.e2e.conftest import START, Harness, build_group, make_config, running, set_up_group
from tests.faults.support import start_bot_process, write_config
from tests.support.db import db_rows

COGS = ("about", "admin", "quiz", "reflect")


def titled(sb: Sandbox, channel, title: str) -> list:  # type: ignore[no-untyped-def]
    return [m for m in sb.messages(channel) if m.embeds and title in m.embeds[0].get("title", "")]


async def test_two_bots_on_one_database_never_double_a_post_or_a_dm(sandbox: Sandbox, tmp_path: Path) -> None:
    group = build_group(sandbox, trainees=6)
    config = make_config(tmp_path, sandbox, cogs=COGS)
    first_clock, second_clock = ManualClock(START), ManualClock(START)
    g = group

    async with running(sandbox, config, first_clock) as first:
        # Set up through the first bot alone: the sandbox sends each interaction to every connected bot.
        h = Harness(sandbox, first, first_clock, group, config.database_path)
        await set_up_group(h)
        await h.run(g.supervisor, "schedule set", kind="reflective_prompt", days="daily", time="10:00")
        await h.run(g.supervisor, "schedule set", kind="quiz_opens", days="Mon", time="09:00")
        await h.run(g.supervisor, "schedule set", kind="quiz_closes", days="Fri", time="17:00")
        for member in g.trainees:
            await h.run(member, "reflect subscribe", days="daily", time="08:30")

        async with running(sandbox, config, second_clock) as second:
            won = [0, 0]
            for _ in range(7 * 8):  # a week in three-hour steps, both bots reaching each moment together
                fired = await asyncio.gather(
                    first.scheduler.advance(timedelta(hours=3)), second.scheduler.advance(timedelta(hours=3))
                )
                won = [won[0] + len(fired[0]), won[1] + len(fired[1])]
                await asyncio.gather(
                    first.scheduler.wait_finished(fired[0], timeout=30),
                    second.scheduler.wait_finished(fired[1], timeout=30),
                )
            assert all(won), f"one bot won every claim, so they never really raced: {won}"
            db_path = config.database_path
            ran = db_rows(db_path, "SELECT job, COUNT(*) FROM fires GROUP BY job, scheduled_for HAVING COUNT(*) > 1")
            assert ran == []
            assert len(titled(sandbox, g.channels["prompts"], "reflective prompt")) == 7
            assert len(titled(sandbox, g.channels["quiz"], "quiz is open")) == 1
            assert len(titled(sandbox, g.channels["quiz"], "Quiz results")) == 1
            for member in g.trainees:
                assert len(sandbox.dms(member)) == 7, member.user.name
            deliveries = db_rows(db_path, "SELECT status, COUNT(*) FROM dm_deliveries GROUP BY status")
            assert deliveries == [("sent", 7 * len(g.trainees))]
            statuses = db_rows(
                db_path, "SELECT kind, status, COUNT(*) FROM fires WHERE schedule_id IS NOT NULL GROUP BY 1, 2"
            )
            assert sorted(statuses) == [
                ("quiz_closes", "posted", 1),
                ("quiz_opens", "posted", 1),
                ("reflective_prompt", "posted", 7),
            ]


async def seed_due_work(db_path: Path, group, now: datetime) -> None:  # type: ignore[no-untyped-def]
    """Settings, a weekly prompt due an hour ago and DM subscriptions due half an hour ago, in real time."""
    db = await Database.open(db_path)
    try:
        await migrate(db)
        repos = Repositories(db)
        g = group
        await repos.settings.update(
            g.guild.id,
            timezone="UTC",
            supervisor_role_id=g.supervisor_role.id,
            prompts_channel_id=g.channels["prompts"].id,
            quiz_channel_id=g.channels["quiz"].id,
        )
        due = now - timedelta(hours=1)
        await repos.schedules.upsert(
            g.guild.id,
            "reflective_prompt",
            (due.weekday(),),
            f"{due:%H:%M}",
            "UTC",
            g.channels["prompts"].id,
            due - timedelta(days=1),
        )
        dm_at = now - timedelta(minutes=30)
        for member in g.trainees:
            await repos.subscriptions.subscribe(
                Subscription(
                    g.guild.id,
                    member.id,
                    (dm_at.weekday(),),
                    f"{dm_at:%H:%M}",
                    "UTC",
                    None,
                    None,
                    True,
                    None,
                    dm_at - timedelta(days=1),
                )
            )
    finally:
        await db.close()


async def test_two_processes_starting_together_make_each_catch_up_post_once(sandbox: Sandbox, tmp_path: Path) -> None:
    group = build_group(sandbox, trainees=8)
    config = write_config(tmp_path, sandbox, COGS)
    db_path = tmp_path / "bot.sqlite3"
    await seed_due_work(db_path, group, datetime.now(UTC))

    one, two = await asyncio.gather(
        start_bot_process(sandbox, config, "one"), start_bot_process(sandbox, config, "two")
    )
    try:
        try:
            post = await sandbox.wait_for_message(group.channels["prompts"], timeout=15)
        except TimeoutError:
            fires = db_rows(db_path, "SELECT kind, status, detail FROM fires WHERE schedule_id IS NOT NULL")
            raise AssertionError(f"the due prompt was never posted; its fire: {fires}") from None
        assert "reflective prompt" in post.embeds[0]["title"]
        for member in group.trainees:
            await sandbox.wait_for_dm(member, timeout=30)
    finally:
        # SIGTERM, the clean shutdown: each process finishes its claimed work before it exits.
        codes = await asyncio.gather(one.stop(), two.stop())
    assert codes == [0, 0], (one.log_tail(), two.log_tail())
    assert len(sandbox.messages(group.channels["prompts"])) == 1
    assert all(len(sandbox.dms(m)) == 1 for m in group.trainees)
    assert db_rows(db_path, "SELECT status FROM fires WHERE kind = 'reflective_prompt'") == [("posted",)]
    assert db_rows(db_path, "SELECT status, COUNT(*) FROM dm_deliveries GROUP BY 1") == [("sent", len(group.trainees))]
