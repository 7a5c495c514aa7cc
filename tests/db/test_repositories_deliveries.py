"""Failed DM deliveries on a real SQLite file: counting, telling the member once, export, delete and purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.db.repositories import Repositories
from bot.db.repositories.deliveries import DeliveryFailure
from tests.support.db import db_rows

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GUILD, MEMBER, OTHER = 111, 201, 202


async def test_failures_are_counted_and_told_once(repos: Repositories) -> None:
    await repos.deliveries.record(GUILD, MEMBER, "reflect", "DMs closed", NOW)
    await repos.deliveries.record(GUILD, MEMBER, "reflect", "DMs closed", NOW + timedelta(hours=1))
    await repos.deliveries.record(GUILD, OTHER, "checkin", "DMs closed", NOW)
    assert await repos.deliveries.count_since(GUILD, NOW + timedelta(minutes=1)) == 1
    assert await repos.deliveries.consecutive_for(GUILD, MEMBER, "reflect") == 2
    told = await repos.deliveries.take_unnotified(GUILD, MEMBER)
    assert told == [
        DeliveryFailure(GUILD, MEMBER, "reflect", "DMs closed", NOW, notified=False),
        DeliveryFailure(GUILD, MEMBER, "reflect", "DMs closed", NOW + timedelta(hours=1), notified=False),
    ]
    assert await repos.deliveries.take_unnotified(GUILD, MEMBER) == []
    await repos.deliveries.clear_for(GUILD, MEMBER, "reflect")
    assert await repos.deliveries.consecutive_for(GUILD, MEMBER, "reflect") == 0


async def test_export_and_delete_touch_only_the_member(repos: Repositories) -> None:
    await repos.deliveries.record(GUILD, MEMBER, "reflect", "DMs closed", NOW)
    await repos.deliveries.record(GUILD, OTHER, "reflect", "DMs closed", NOW)
    await repos.deliveries.record(GUILD + 1, MEMBER, "reflect", "DMs closed", NOW)
    exported = [row.as_dict() for row in await repos.deliveries.export_member(GUILD, MEMBER)]
    assert exported == [
        {"feature": "reflect", "reason": "DMs closed", "failed_at": NOW.isoformat(), "you_were_told": False}
    ]
    assert await repos.deliveries.delete_member(GUILD, MEMBER) == 1
    assert await repos.deliveries.export_member(GUILD, MEMBER) == []
    assert db_rows(repos.db.path, "SELECT guild_id, user_id FROM dm_failures ORDER BY guild_id, user_id") == [
        (GUILD, OTHER),
        (GUILD + 1, MEMBER),
    ]


async def test_purge_removes_old_failures(repos: Repositories) -> None:
    await repos.deliveries.record(GUILD, MEMBER, "reflect", "old", NOW - timedelta(days=40))
    await repos.deliveries.record(GUILD, MEMBER, "reflect", "new", NOW)
    assert await repos.deliveries.purge_before(NOW - timedelta(days=30)) == 1
    assert db_rows(repos.db.path, "SELECT reason FROM dm_failures") == [("new",)]
