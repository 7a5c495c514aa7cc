"""The bot is down while several scheduled times pass; on restart each missed fire is run once or skipped.

With grace_hours = 36 and the bot away from Monday 08:00 to Thursday 20:00 (London, GMT):

- the newest missed fire of a schedule still within grace runs once,
- older fires within grace are skipped as superseded (a group gets one post, not a backlog),
- fires further back than the grace are skipped as missed,
- housekeeping jobs run once, however many of their times were missed,
- a second restart at the same moment runs nothing again.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import SchedulerConfig
from bot.scheduling import ManualClock
from discord_sandbox import Sandbox
from tests.e2e.conftest import START, Harness, build_group, make_config, running, set_up_group
from tests.faults.support import last_fire_id, wait_for_dispatched
from tests.support.db import db_rows

COGS = ("about", "admin", "quiz", "reflect")
GRACE_HOURS = 36


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in the test week: day 0 is Monday 2 March 2026 (London is on GMT, so this is UTC too)."""
    return datetime(2026, 3, 2 + day, hour, minute, tzinfo=UTC)


def fires(db_path: Path, kind: str) -> list[tuple[datetime, str, str | None]]:
    rows = db_rows(db_path, "SELECT scheduled_for, status, detail FROM fires WHERE kind = ? ORDER BY 1", kind)
    return [(datetime.fromtimestamp(t, UTC), status, detail) for t, status, detail in rows]


def posts(sb: Sandbox, channel, title: str) -> list:  # type: ignore[no-untyped-def]
    return [m for m in sb.messages(channel) if m.embeds and title in m.embeds[0].get("title", "")]


async def test_missed_fires_run_once_within_grace_and_are_skipped_otherwise(sandbox: Sandbox, tmp_path: Path) -> None:
    group = build_group(sandbox, trainees=2)
    base = make_config(tmp_path, sandbox, cogs=COGS)
    config = dataclasses.replace(base, scheduler=SchedulerConfig(grace_hours=GRACE_HOURS))
    clock = ManualClock(START)
    prompts, quiz = group.channels["prompts"], group.channels["quiz"]

    db_path = config.database_path
    async with running(sandbox, config, clock) as bot:
        await wait_for_dispatched(bot, 0)
        h = Harness(sandbox, bot, clock, group, db_path)
        await set_up_group(h)
        await h.run(group.supervisor, "schedule set", kind="reflective_prompt", days="daily", time="10:00")
        await h.run(group.supervisor, "schedule set", kind="quiz_opens", days="Mon, Wed, Thu", time="09:00")
    purges_before = len(fires(db_path, "retention_purge"))

    clock.advance(at(3, 20) - START)  # Monday 08:00 to Thursday 20:00 with the bot stopped
    before = last_fire_id(db_path)
    async with running(sandbox, config, clock) as bot:
        await wait_for_dispatched(bot, before)
        prompt_fires = fires(db_path, "reflective_prompt")
        expected = [(at(0, 10), "skipped"), (at(1, 10), "skipped"), (at(2, 10), "skipped"), (at(3, 10), "posted")]
        assert [(t, s) for t, s, _ in prompt_fires] == expected, prompt_fires
        assert "missed" in prompt_fires[0][2] and "missed" in prompt_fires[1][2]
        assert "superseded" in prompt_fires[2][2]
        quiz_fires = fires(db_path, "quiz_opens")
        expected = [(at(0, 9), "skipped"), (at(2, 9), "skipped"), (at(3, 9), "posted")]
        assert [(t, s) for t, s, _ in quiz_fires] == expected, quiz_fires
        assert "missed" in quiz_fires[0][2] and "superseded" in quiz_fires[1][2]
        assert len(posts(sandbox, prompts, "reflective prompt")) == 1
        assert len(posts(sandbox, quiz, "quiz is open")) == 1
        # Housekeeping missed on Tuesday, Wednesday and Thursday runs once, for the latest time.
        purges = fires(db_path, "retention_purge")
        assert len(purges) == purges_before + 1 and purges[-1][0] == at(3, 3)

    snapshot = db_rows(db_path, "SELECT job, scheduled_for, status FROM fires ORDER BY id")
    before = last_fire_id(db_path)
    async with running(sandbox, config, clock) as bot:  # restarted again at the same moment
        await wait_for_dispatched(bot, before)
        assert db_rows(db_path, "SELECT job, scheduled_for, status FROM fires ORDER BY id") == snapshot
        assert len(posts(sandbox, prompts, "reflective prompt")) == 1
        assert len(posts(sandbox, quiz, "quiz is open")) == 1

        # And it keeps its timetable afterwards: Friday's prompt is posted on time, once.
        fired = await bot.scheduler.advance(at(4, 10, 5) - clock())
        await bot.scheduler.wait_finished(fired)
        assert fires(db_path, "reflective_prompt")[-1][:2] == (at(4, 10), "posted")
        assert len(posts(sandbox, prompts, "reflective prompt")) == 2
    assert db_rows(db_path, "SELECT COUNT(*) FROM quiz_weeks") == [(1,)]


async def test_a_long_outage_skips_everything_beyond_grace(sandbox: Sandbox, tmp_path: Path) -> None:
    group = build_group(sandbox, trainees=1)
    config = make_config(tmp_path, sandbox, cogs=COGS)  # the default grace: 12 hours
    clock = ManualClock(START)
    async with running(sandbox, config, clock) as bot:
        h = Harness(sandbox, bot, clock, group, config.database_path)
        await set_up_group(h)
        await h.run(group.supervisor, "schedule set", kind="reflective_prompt", days="Mon, Fri", time="10:00")
    clock.advance(timedelta(days=20))  # back on Sunday 22 March, 08:00
    before = last_fire_id(config.database_path)
    async with running(sandbox, config, clock) as bot:
        await wait_for_dispatched(bot, before)
        statuses = fires(config.database_path, "reflective_prompt")
        assert len(statuses) == 6  # three Mondays and three Fridays
        assert {s for _, s, _ in statuses} == {"skipped"}
        assert all("missed" in (d or "") for _, _, d in statuses)
        assert sandbox.messages(group.channels["prompts"]) == []
