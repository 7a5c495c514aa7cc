"""Check-ins on real anonymous-store files: save, release, withdraw, roll over and purge; no member data."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.db.repositories import MemberDataRepository, Repositories
from bot.db.repositories.checkins import CheckIn

GUILD = 111


def checkin(key: str, period: str = "2026-W10", day: date = date(2026, 3, 2)) -> CheckIn:
    return CheckIn(key, GUILD, period, day, ("helpless", "protective"), 3, "words ✨", True, False, False)


async def test_checkins_are_saved_released_and_withdrawn(repos: Repositories) -> None:
    await repos.anonymous.open()
    await repos.checkins.save(checkin("a" * 32), "hash-a")
    await repos.checkins.save(checkin("b" * 32), "hash-b")
    assert {c.id for c in await repos.checkins.unreleased(GUILD)} == {"a" * 32, "b" * 32}
    assert await repos.checkins.guilds() == [GUILD]
    await repos.checkins.mark_released(GUILD, ["a" * 32])
    released = await repos.checkins.released_in(GUILD, ["2026-W10"])
    assert [c.id for c in released] == ["a" * 32] and released[0].released
    assert released[0].dimensions == ("helpless", "protective") and released[0].body == "words ✨"
    assert await repos.checkins.withdraw(GUILD, "no-such-hash") is None
    gone = await repos.checkins.withdraw(GUILD, "hash-b")
    assert gone is not None and gone.id == "b" * 32
    assert await repos.checkins.unreleased(GUILD) == []


async def test_old_weeks_roll_over_or_go_and_old_days_are_purged(repos: Repositories) -> None:
    await repos.anonymous.open()
    await repos.checkins.add_existing(GUILD, [(checkin("c" * 32, "2026-W09", date(2026, 2, 23)), "hash-c")])
    await repos.checkins.add_existing(GUILD, [(checkin("c" * 32, "2026-W09", date(2026, 2, 23)), "hash-c")])
    assert await repos.checkins.close_periods_before(GUILD, "2026-W10", roll_over=True) == 1
    assert [c.period for c in await repos.checkins.unreleased(GUILD)] == ["2026-W10"]
    await repos.checkins.save(checkin("d" * 32, "2026-W09", date(2026, 2, 24)), "hash-d")
    assert await repos.checkins.close_periods_before(GUILD, "2026-W10", roll_over=False) == 1
    assert await repos.checkins.close_periods_before(GUILD, "2026-W10", roll_over=False) == 0
    assert await repos.checkins.purge_before(datetime(2026, 2, 24, tzinfo=UTC)) == 1
    assert await repos.checkins.unreleased(GUILD) == []


def test_checkins_hold_no_member_data(repos: Repositories) -> None:
    assert not isinstance(repos.checkins, MemberDataRepository)
