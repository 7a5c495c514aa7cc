"""A prompt DM cut off by a stop is sent by the next process, exactly once; one cut off every time is given up.

The bot stops (SIGTERM's path: shutdown grace, then cancel) while Discord holds the reply to a member's
prompt DM: the DM exists for the member, but the bot never learnt it landed. Its delivery stays claimed,
and nobody renews the claim. The next process takes it over once the lease has run out, sends again with
the same nonce (Discord answers with the first message instead of a second) and records it sent. While the
first process was alive and waiting, its renewed claim kept the DM its own, through a DM tick of its own.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from bot.db.connection import Database
from bot.db.repositories import Repositories
from bot.scheduling import CLAIM_LEASE, MAX_ATTEMPTS, RENEW_EVERY, ManualClock
from discord_sandbox import Sandbox
from tests.e2e.conftest import START, Harness, build_group, make_config, running, set_up_group
from tests.support.db import db_rows
from tests.support.prompt_fire import MESSAGES, REFLECT_COGS, status_text

DUE = timedelta(hours=2, minutes=1)  # Monday 10:01 London, from the harness's start


def delivery(path: Path, user_id: int) -> tuple[str, int, int | None]:
    [row] = db_rows(path, "SELECT status, attempts, claimed_at FROM dm_deliveries WHERE user_id = ?", user_id)
    return row


async def test_a_prompt_dm_cut_off_by_a_stop_is_sent_once_by_the_next_process(sandbox: Sandbox, tmp_path: Path) -> None:
    group = build_group(sandbox)
    member = group.trainees[0]
    config = make_config(tmp_path, sandbox, cogs=REFLECT_COGS)
    db = config.database_path
    clock = ManualClock(START)
    async with running(sandbox, config, clock) as bot:
        h = Harness(sandbox, bot, clock, group, db)
        await set_up_group(h)
        await h.run(member, "reflect subscribe", days="Mon", time="10:00")
        slow_reply = sandbox.faults.hold_reply("POST", MESSAGES)
        await bot.scheduler.advance(DUE)
        await sandbox.wait_for_dm(member)

        # Still waiting for Discord's reply, past two leases and a DM tick: the claim is renewed, never taken over.
        claimed_at = delivery(db, member.id)[2]
        assert claimed_at is not None
        await bot.scheduler.advance(CLAIM_LEASE * 2)
        status, attempts, renewed_at = delivery(db, member.id)
        assert (status, attempts) == ("claimed", 1)
        assert renewed_at is not None and renewed_at >= claimed_at + (CLAIM_LEASE * 2 - RENEW_EVERY).total_seconds()
        assert len(sandbox.dms(member)) == 1
    slow_reply.set()  # too late: the process that asked has stopped
    assert delivery(db, member.id)[:2] == ("claimed", 1)

    restart = ManualClock(clock() + timedelta(minutes=1))
    async with running(sandbox, config, restart) as bot:
        h = Harness(sandbox, bot, restart, group, db)
        await h.advance(timedelta(seconds=30))
        assert delivery(db, member.id)[:2] == ("claimed", 1)  # the lease has not run out yet
        await h.advance(CLAIM_LEASE)  # the next DM tick takes it over

        dms = sandbox.dms(member)
        assert len(dms) == 1, "the prompt was sent twice"
        assert "reflective prompt" in dms[0].embeds[0]["title"]
        assert delivery(db, member.id) == ("sent", 2, None)
        # Supervisors see no failed delivery, and the member's export holds the one delivery, sent.
        assert "DM delivery failures (7 days) None" in await status_text(h)
        ix = await sandbox.invoke(group.guild, member, "privacy export")
        message = await ix.original_message(predicate=lambda m: len(m.attachments) == 2)
        document = json.loads(next(a.data for a in message.attachments if a.filename.endswith(".json")))
        rows = document["sections"]["Reflective prompt subscription and deliveries"]
        assert [r["status"] for r in rows if "delivery_due_at" in r] == ["sent"]

        await h.advance(timedelta(hours=1))  # nothing is taken over again
        assert len(sandbox.dms(member)) == 1
        assert db_rows(db, "SELECT COUNT(*) FROM dm_deliveries") == [(1,)]


async def test_dms_left_by_stopped_processes_are_sent_once_or_given_up_after_five_tries(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    group = build_group(sandbox)
    never_sent, stopped_on = group.trainees[:2]
    config = make_config(tmp_path, sandbox, cogs=REFLECT_COGS)
    db = config.database_path
    clock = ManualClock(START)
    due = START + timedelta(hours=2)  # Monday 10:00 London
    async with running(sandbox, config, clock) as bot:
        h = Harness(sandbox, bot, clock, group, db)
        await set_up_group(h)
        for member in (never_sent, stopped_on):
            await h.run(member, "reflect subscribe", days="Mon", time="10:00")
        # Other processes on the same file, each stopped before its DM went out: one DM was claimed and then
        # taken over four times, each taker stopping in turn; the other was claimed by a process that then stopped.
        other = await Database.open(db)
        try:
            subs = Repositories(other).subscriptions
            assert await subs.claim(group.guild.id, stopped_on.id, due, "congruence-p001", due, "stopped-0")
            taken_at = due
            for n in range(1, MAX_ATTEMPTS):
                taken_at += CLAIM_LEASE + timedelta(seconds=1)
                stale = await subs.take_over_stale(taken_at, taken_at - CLAIM_LEASE, f"stopped-{n}", {f"stopped-{n}"})
                assert [(d.user_id, d.attempts) for d in stale] == [(stopped_on.id, n + 1)]
            assert await subs.claim(group.guild.id, never_sent.id, due, "congruence-p002", due, "stopped-too")
        finally:
            await other.close()
        assert delivery(db, stopped_on.id)[:2] == ("claimed", MAX_ATTEMPTS)

        await h.advance(taken_at - START + CLAIM_LEASE + timedelta(minutes=1))  # the DM tick after both leases ran out

        assert len(sandbox.dms(never_sent)) == 1
        assert delivery(db, never_sent.id) == ("sent", 2, None)
        assert sandbox.dms(stopped_on) == []
        assert delivery(db, stopped_on.id) == ("failed", MAX_ATTEMPTS + 1, None)
        reason = "the bot was stopped while sending it, each time it tried"
        assert db_rows(db, "SELECT user_id, reason FROM dm_failures") == [(stopped_on.id, reason)]
        # Told once, privately, why; not asked to open their DMs, which were never the matter.
        ix = await sandbox.invoke(group.guild, stopped_on, "about")
        notice = await ix.next_followup()
        assert notice.flags & 64
        assert notice.content == f"I couldn't send you 1 reflective prompt by DM: {reason}."
        assert "DM delivery failures (7 days) 1 " in await status_text(h)
        # The bot's failure is no mark against the member: their subscription runs on, and next week's prompt comes.
        await h.advance(timedelta(days=7))
        assert len(sandbox.dms(stopped_on)) == 1 and len(sandbox.dms(never_sent)) == 2
