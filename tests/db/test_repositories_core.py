"""Core repositories on a real SQLite file: server settings, meta, schedules, fires and the purge log."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.db.models import Fire, GuildSettings, Schedule
from bot.db.repositories import Repositories
from bot.db.repositories.fires import FireClaim
from bot.db.repositories.purges import PurgeRecord
from tests.support.db import db_rows

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GUILD = 111


async def test_settings_default_until_saved_then_merge_changes(repos: Repositories) -> None:
    assert await repos.settings.get(GUILD) == GuildSettings(guild_id=GUILD, timezone="UTC")
    assert not await repos.settings.exists(GUILD)
    saved = await repos.settings.update(GUILD, timezone="Europe/London", quiz_channel_id=5)
    assert await repos.settings.update(GUILD, support_line="call 111") == GuildSettings(
        guild_id=GUILD, timezone="Europe/London", quiz_channel_id=5, support_line="call 111"
    )
    assert saved.timezone == "Europe/London" and await repos.settings.exists(GUILD)
    assert await repos.settings.all_guild_ids() == [GUILD]
    with pytest.raises(ValueError, match="unknown settings"):
        await repos.settings.update(GUILD, colour="red")


async def test_meta_keeps_the_latest_value(repos: Repositories) -> None:
    assert await repos.meta.get("command_hash") is None
    await repos.meta.set("command_hash", "a")
    await repos.meta.set("command_hash", "b")
    assert await repos.meta.get("command_hash") == "b"


async def test_schedules_upsert_pause_resume_and_remove(repos: Repositories) -> None:
    first = await repos.schedules.upsert(GUILD, "quiz_opens", (4, 0, 0), "09:00", "UTC", 7, NOW)
    assert isinstance(first, Schedule)
    assert (first.weekdays, first.local_time, first.enabled, first.active_from) == ((0, 4), "09:00", True, NOW)
    moved = await repos.schedules.upsert(GUILD, "quiz_opens", (1,), "10:30", "Europe/Paris", None, NOW + timedelta(1))
    assert moved.id == first.id and moved.timezone == "Europe/Paris" and moved.channel_id is None
    await repos.schedules.pause(first.id, NOW + timedelta(days=3))
    paused = await repos.schedules.get(first.id)
    assert paused is not None and paused.paused_until == NOW + timedelta(days=3) and paused.enabled
    await repos.schedules.pause(first.id, None)
    assert await repos.schedules.all_enabled() == []
    await repos.schedules.resume(first.id, NOW + timedelta(days=2))
    assert [s.id for s in await repos.schedules.all_enabled()] == [first.id]
    await repos.schedules.set_timezone(first.id, "Asia/Tokyo")
    retimed = await repos.schedules.get_kind(GUILD, "quiz_opens")
    assert retimed is not None and retimed.timezone == "Asia/Tokyo"
    assert [s.kind for s in await repos.schedules.for_guild(GUILD)] == ["quiz_opens"]
    assert await repos.schedules.remove(first.id)
    assert not await repos.schedules.remove(first.id)
    assert await repos.schedules.get(first.id) is None


async def test_fires_are_claimed_once_finished_and_purged(repos: Repositories) -> None:
    fire = await repos.fires.claim("schedule:1", "quiz_opens", NOW, NOW, schedule_id=None, guild_id=GUILD)
    assert isinstance(fire, Fire) and fire.status == "claimed"
    assert await repos.fires.claim("schedule:1", "quiz_opens", NOW, NOW) is None
    await repos.fires.finish(fire.id, "failed", "rate limited", NOW, retry_at=NOW + timedelta(minutes=5))
    assert await repos.fires.reclaim_retries(NOW + timedelta(minutes=4), NOW - timedelta(hours=1), 5) == []
    retried = await repos.fires.reclaim_retries(NOW + timedelta(minutes=5), NOW - timedelta(hours=1), 5)
    assert [f.id for f in retried] == [fire.id]
    later = NOW + timedelta(days=7)
    await repos.fires.claim("schedule:1", "quiz_opens", later, later, guild_id=GUILD, status="skipped", detail="x")
    assert await repos.fires.latest_for_job("schedule:1") == later
    assert await repos.fires.latest_for_job("schedule:2") is None
    assert await repos.fires.latest_by_job() == {"schedule:1": later}
    assert [f.scheduled_for for f in await repos.fires.recent_for_guild(GUILD)] == [later, NOW]
    assert [f.status for f in await repos.fires.for_job("schedule:1")] == ["claimed", "skipped"]
    assert await repos.fires.purge_before(NOW + timedelta(days=1)) == 1
    assert db_rows(repos.db.path, "SELECT scheduled_for FROM fires") == [(int(later.timestamp()),)]


async def test_a_batch_of_claims_is_won_once_each_and_recorded_together(repos: Repositories) -> None:
    jobs = [f"schedule:{n}" for n in range(1, 1201)]  # more than one INSERT statement's worth
    claims = [FireClaim(job, "quiz_opens", NOW, guild_id=GUILD) for job in jobs]
    claims.append(FireClaim("schedule:7", "quiz_opens", NOW))  # asked twice in one batch: won once
    claims.append(FireClaim("schedule:0", "quiz_opens", NOW, status="skipped", detail="paused"))
    won = await repos.fires.claim_many(claims, NOW)
    assert [f.job if f else None for f in won] == [*jobs, None, "schedule:0"]
    assert all(isinstance(f, Fire) and f.scheduled_for == NOW for f in won if f)
    assert len({f.id for f in won if f}) == 1201
    # Another process (or a retry of this batch) wins nothing.
    assert await repos.fires.claim_many(claims, NOW) == [None] * len(claims)
    rows = db_rows(repos.db.path, "SELECT status, detail, finished_at IS NULL, COUNT(*) FROM fires GROUP BY 1, 2")
    assert rows == [("claimed", None, 1, 1200), ("skipped", "paused", 0, 1)]
    assert await repos.fires.latest_for_jobs(["schedule:3", "schedule:9999"]) == {"schedule:3": NOW}
    first = await repos.schedules.upsert(GUILD, "quiz_opens", (0,), "09:00", "UTC", 7, NOW)
    second = await repos.schedules.upsert(GUILD, "quiz_closes", (4,), "17:00", "UTC", 7, NOW)
    assert [s.kind for s in await repos.schedules.get_many([second.id, 999, first.id])] == ["quiz_opens", "quiz_closes"]


async def test_a_rate_limited_fire_stays_claimed_and_its_retry_is_not_counted(repos: Repositories) -> None:
    fire = await repos.fires.claim("schedule:1", "quiz_opens", NOW, NOW, guild_id=GUILD)
    assert fire is not None
    await repos.fires.finish(fire.id, "claimed", "rate limited, waiting", NOW, retry_at=NOW + timedelta(minutes=1))
    assert await repos.fires.next_retry(NOW - timedelta(hours=1), 5) == NOW + timedelta(minutes=1)
    # Waiting out a rate limit is not a claim a dead process left behind: no other process takes it over.
    later = NOW + timedelta(hours=1)
    assert await repos.fires.oldest_claim() is None
    assert await repos.fires.take_over_stale(later, later, NOW - timedelta(hours=1), 5) == ([], [])
    [again] = await repos.fires.reclaim_retries(NOW + timedelta(minutes=1), NOW - timedelta(hours=1), 5)
    assert (again.id, again.status, again.attempts, again.retry_at) == (fire.id, "claimed", 1, None)
    assert db_rows(repos.db.path, "SELECT status, attempts, retry_at FROM fires") == [("claimed", 1, None)]
    # A failure, by contrast, counts its retry as another attempt.
    await repos.fires.finish(fire.id, "failed", "Discord error 502", NOW, retry_at=NOW + timedelta(minutes=5))
    [failed] = await repos.fires.reclaim_retries(NOW + timedelta(minutes=5), NOW - timedelta(hours=1), 5)
    assert failed.attempts == 2


async def test_purge_log_returns_the_latest_run(repos: Repositories) -> None:
    assert await repos.purges.latest() is None
    await repos.purges.record(NOW, "fires: 2")
    await repos.purges.record(NOW + timedelta(days=1), "fires: 0")
    assert await repos.purges.latest() == PurgeRecord(ran_at=NOW + timedelta(days=1), summary="fires: 0")


async def test_claims_held_by_the_tens_of_thousands_are_renewed_in_one_go_and_kept_from_takeover(
    repos: Repositories,
) -> None:
    # More fires than SQLite takes parameters in one statement (32,766): a fan-out to 40,000 servers.
    held = 40_000
    claims = [FireClaim(f"schedule:{n}", "quiz_opens", NOW, guild_id=n) for n in range(held)]
    won = await repos.fires.claim_many(claims, NOW)
    ids = [fire.id for fire in won if fire is not None]
    assert len(ids) == held
    await repos.fires.finish(ids[0], "posted", "opened", NOW)  # finished: its claim is not renewed any more
    later = NOW + timedelta(minutes=2)
    await repos.fires.renew_claims(ids, later)
    assert db_rows(repos.db.path, "SELECT claimed_at, COUNT(*) FROM fires GROUP BY 1 ORDER BY 1") == [
        (int(NOW.timestamp()), 1),
        (int(later.timestamp()), held - 1),
    ]
    # Fires this process holds are its own work, whatever their renewal says; the rest are another's to take over.
    assert await repos.fires.oldest_claim(held=ids) is None
    assert await repos.fires.oldest_claim(held=ids[2:]) == later
    much_later = later + timedelta(hours=1)
    taken, _ = await repos.fires.take_over_stale(much_later, much_later, NOW - timedelta(hours=1), 5, held=ids[2:])
    assert [fire.id for fire in taken] == [ids[1]]


async def test_every_enabled_schedule_is_read_across_pages(repos: Repositories) -> None:
    # 10,001 servers' schedules: two full pages of 5,000 and one more; every tenth paused.
    servers = 10_001
    with contextlib.closing(sqlite3.connect(repos.db.path)) as conn, conn:
        conn.executemany(
            "INSERT INTO schedules (guild_id, kind, weekdays, local_time, timezone, enabled, active_from)"
            " VALUES (?, 'quiz_opens', '0', '09:00', 'UTC', ?, ?)",
            [(guild, int(guild % 10 != 0), int(NOW.timestamp())) for guild in range(1, servers + 1)],
        )
    enabled = await repos.schedules.all_enabled()
    assert [s.guild_id for s in enabled] == [guild for guild in range(1, servers + 1) if guild % 10 != 0]
    assert len({s.id for s in enabled}) == len(enabled)
