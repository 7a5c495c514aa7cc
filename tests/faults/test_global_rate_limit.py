"""Discord's global rate limit during the weekly fan-out: every post and DM arrives, once, and members never wait.

The sandbox's `limit_global_rate` answers a full one-second window with a global 429, as Discord does.
The bot paces its scheduled requests just under `[discord] global_rate_limit`, so the whole fan-out goes
through in one pass; what Discord still rate-limits past discord.py's own retries stays due and goes
again, never recorded as failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from datetime import timedelta
from pathlib import Path

from bot.clock import ManualClock
from bot.config import DiscordConfig
from discord_sandbox import Sandbox
from discord_sandbox.faults import INTERACTION_PATHS
from tests.e2e.conftest import START, Harness, build_group, embed_text, make_config, running, set_up_group
from tests.support.db import db_rows

COGS = ("about", "admin", "quiz", "reflect")
# Low enough that the fan-out below needs several seconds of the window, so an unpaced one would meet it.
CAP = 10
DISCORD_PY_TRIES = 5
PAUSE_SECONDS = 0.7


async def prepare(h: Harness) -> None:
    g = h.group
    await set_up_group(h)
    await h.run(g.supervisor, "schedule set", kind="quiz_opens", days="Mon", time="09:00")
    for member in g.trainees:
        response = await h.run(member, "reflect subscribe", days="daily", time="09:00")
        assert "Subscribed" in response.content


def delivered_once(h: Harness, days: int) -> None:
    """Each trainee has exactly `days` DM prompts, the quiz channel one announcement, the records agree."""
    g, sb = h.group, h.sandbox
    counts = {m.user.name: len(sb.dms(m)) for m in g.trainees}
    assert counts == {m.user.name: days for m in g.trainees}
    assert len([m for m in sb.messages(g.channels["quiz"]) if m.components]) == 1
    assert db_rows(h.db_path, "SELECT status, COUNT(*) FROM dm_deliveries GROUP BY 1") == [
        ("sent", days * len(g.trainees))
    ]
    assert db_rows(h.db_path, "SELECT COUNT(*) FROM dm_failures") == [(0,)]
    assert db_rows(h.db_path, "SELECT status FROM fires WHERE kind = 'quiz_opens'") == [("posted",)]


async def test_the_fan_out_under_the_global_limit_delivers_everything_once_and_members_do_not_wait(
    make_harness,
) -> None:
    sections = {"discord": DiscordConfig(global_rate_limit=CAP)}
    async with make_harness(trainees=20, cogs=COGS, sections=sections) as h:
        sb, g = h.sandbox, h.group
        await prepare(h)
        sb.faults.limit_global_rate(CAP)
        mark = len(sb.log)
        fan_out = asyncio.ensure_future(h.advance(timedelta(hours=1, minutes=5)))
        await sb.wait_for(lambda: sum(len(sb.dms(m)) for m in g.trainees) >= 2, timeout=30, what="the first DMs")
        # A member asks for a prompt in the middle of the fan-out: answered at once, not queued behind it.
        asked = await sb.invoke(g.guild, g.trainees[0], "reflect prompt")
        answer = await asked.response(timeout=10)
        assert "prompt" in embed_text(answer.embeds).lower()
        pending = sum(len(sb.dms(m)) == 0 for m in g.trainees)
        assert pending > 0, "the fan-out was over before the member asked; the test showed nothing"
        await fan_out
        # Everything went in the one pass: nothing was left for a later tick.
        delivered_once(h, days=1)
        sent = [e for e in sb.log[mark:] if e.kind == "http" and not e.path.startswith(INTERACTION_PATHS)]
        # 20 DM channels opened, 20 DMs, 1 quiz post; any 429 was retried rather than lost.
        assert sum(e.status == 200 for e in sent) == 2 * len(g.trainees) + 1
        # The next day reuses each member's DM channel: one request per DM, still all delivered once.
        await h.advance(timedelta(days=1))
        delivered_once(h, days=2)
        opened = [e for e in sb.log[mark:] if e.path == "/users/@me/channels" and e.status == 200]
        assert len(opened) == len(g.trainees)


async def test_a_pause_of_the_whole_process_mid_fan_out_is_not_made_up_for_in_a_burst(make_harness) -> None:
    sections = {"discord": DiscordConfig(global_rate_limit=CAP)}
    async with make_harness(trainees=20, cogs=COGS, sections=sections) as h:
        sb, g = h.sandbox, h.group
        await prepare(h)
        sb.faults.limit_global_rate(CAP)
        fan_out = asyncio.ensure_future(h.advance(timedelta(hours=1, minutes=5)))
        await sb.wait_for(lambda: sum(len(sb.dms(m)) for m in g.trainees) >= 2, timeout=30, what="the first DMs")
        # The process stops for most of a second, as on a busy machine or behind a long step on the event loop.
        # Requests whose turn passed meanwhile go one by one after it, not all at once into a full window.
        time.sleep(PAUSE_SECONDS)  # noqa: ASYNC251  # the point of the test: the whole process stops
        await fan_out
        assert [status for (_, _, status) in sb.faults.injected] == []  # not one global 429
        delivered_once(h, days=1)


async def test_a_post_rate_limited_past_discord_py_s_retries_stays_due_and_goes_once(make_harness) -> None:
    async with make_harness(trainees=3, cogs=COGS) as h:
        sb, g = h.sandbox, h.group
        await prepare(h)
        quiz_path = f"/channels/{g.channels['quiz'].id}/messages"
        sb.faults.rate_limit("POST", quiz_path, times=DISCORD_PY_TRIES, retry_after=0.05, is_global=True)
        await h.advance(timedelta(hours=1, minutes=5))
        assert [s for (_, _, s) in sb.faults.injected] == [429] * DISCORD_PY_TRIES
        # Not failed: still claimed, with a time to try again, and the try not counted as an attempt.
        [(status, detail, attempts, retry_at)] = db_rows(
            h.db_path, "SELECT status, detail, attempts, retry_at FROM fires WHERE kind = 'quiz_opens'"
        )
        assert (status, attempts) == ("claimed", 1) and retry_at is not None
        assert "rate limited" in detail and "waiting to try again" in detail
        status_card = await h.run(g.supervisor, "status")
        last_runs = next(f["value"] for f in status_card.embeds[0]["fields"] if f["name"] == "Last runs")
        assert "waiting to try again" in last_runs and "❌" not in last_runs
        assert not [m for m in sb.messages(g.channels["quiz"]) if m.components]
        await h.advance(timedelta(minutes=1))
        delivered_once(h, days=1)
        [(attempts,)] = db_rows(h.db_path, "SELECT attempts FROM fires WHERE kind = 'quiz_opens'")
        assert attempts == 1


async def test_a_restarted_bot_reuses_each_member_s_dm_channel_and_reopens_one_discord_forgot(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    group = build_group(sandbox, trainees=3)
    config = make_config(tmp_path, sandbox, cogs=COGS)
    clock = ManualClock(START)
    db = config.database_path
    async with running(sandbox, config, clock) as bot:
        h = Harness(sandbox, bot, clock, group, db)
        for member in group.trainees:
            await h.run(member, "reflect subscribe", days="daily", time="09:00")
        await h.advance(timedelta(hours=1, minutes=5))
    assert len(opened_dm_channels(sandbox)) == 3
    remembered = dict(db_rows(db, "SELECT user_id, dm_channel_id FROM subscriptions"))
    assert remembered == {m.user.id: sandbox.dms(m)[0].channel_id for m in group.trainees}
    # Discord no longer knows one member's channel (as if it were gone): that one is opened anew, once.
    forgotten = group.trainees[0].user.id
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE subscriptions SET dm_channel_id = 42 WHERE user_id = ?", (forgotten,))
    # A new process knows no DM channel but those the database remembers.
    async with running(sandbox, config, clock) as bot:
        await Harness(sandbox, bot, clock, group, db).advance(timedelta(days=1))
    assert [len(sandbox.dms(m)) for m in group.trainees] == [2, 2, 2]
    assert len(opened_dm_channels(sandbox)) == 4
    assert dict(db_rows(db, "SELECT user_id, dm_channel_id FROM subscriptions")) == remembered
    assert db_rows(db, "SELECT status, COUNT(*) FROM dm_deliveries GROUP BY 1") == [("sent", 6)]


def opened_dm_channels(sb: Sandbox) -> list[object]:
    return [e for e in sb.log if e.kind == "http" and e.path == "/users/@me/channels" and e.status == 200]


async def test_a_shutdown_in_the_middle_of_a_paced_fan_out_leaves_the_rest_due_and_nothing_doubles(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    # Paced at 3 requests a second, 16 DMs and a quiz post take about 11 s: longer than the 5 s a
    # shutdown gives work in flight, so the bot stops with part of the fan-out still to go.
    group = build_group(sandbox, trainees=16)
    config = make_config(tmp_path, sandbox, sections={"discord": DiscordConfig(global_rate_limit=4)}, cogs=COGS)
    clock = ManualClock(START)
    db = config.database_path
    async with running(sandbox, config, clock) as bot:
        h = Harness(sandbox, bot, clock, group, db)
        await prepare(h)
        await bot.scheduler.advance(timedelta(hours=1, minutes=5))
        await sandbox.wait_for(lambda: sum(len(sandbox.dms(m)) for m in group.trainees) >= 3, timeout=30, what="DMs")
    delivered = sum(len(sandbox.dms(m)) for m in group.trainees)
    assert delivered < len(group.trainees), "the fan-out finished before the shutdown; the test showed nothing"
    # Each DM still waiting for its turn gave its claim back; the only claims kept are of DMs that were on
    # their way when the shutdown came (they landed), so none can be sent twice.
    statuses = dict(db_rows(db, "SELECT status, COUNT(*) FROM dm_deliveries GROUP BY 1"))
    assert set(statuses) <= {"sent", "claimed"} and sum(statuses.values()) == delivered, statuses
    async with running(sandbox, config, clock) as bot:  # the next start: the next tick sends the rest
        fires = await bot.scheduler.advance(timedelta(minutes=5))
        await bot.scheduler.wait_finished(fires, timeout=60)
    assert {m.user.name: len(sandbox.dms(m)) for m in group.trainees} == {m.user.name: 1 for m in group.trainees}
    assert len([m for m in sandbox.messages(group.channels["quiz"]) if m.components]) == 1
    # A claim the stopped process kept (its DM was on its way) lapsed and was taken over: resent with the same
    # nonce, which Discord answers with the message it already has (one DM each, above), and recorded sent.
    after = dict(db_rows(db, "SELECT status, COUNT(*) FROM dm_deliveries GROUP BY 1"))
    assert after == {"sent": len(group.trainees)}
