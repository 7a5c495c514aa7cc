"""The timer's timetable: one time per weekly timing however many schedules follow it, and nothing lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.db.models import Schedule
from bot.timetable import Timetable

MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday, 08:00 UTC (09:00 in Berlin)
BEFORE = MONDAY_8 - timedelta(minutes=1)


def schedule(schedule_id: int, local_time: str = "09:00", zone: str = "Europe/Berlin") -> Schedule:
    return Schedule(schedule_id, 1, "quiz_opens", (0,), local_time, zone, None, True, None, BEFORE)


def test_schedules_sharing_a_timing_fall_due_together_and_move_on_a_week() -> None:
    table = Timetable()
    for schedule_id in range(1, 1001):
        table.add(schedule(schedule_id), BEFORE)
    table.add(schedule(2000, "10:00"), BEFORE)
    assert len(table) == 1001
    assert table.first() == MONDAY_8  # 09:00 Berlin
    due, jobs = table.pop_due(MONDAY_8 + timedelta(minutes=5))
    assert set(due) == set(range(1, 1001)) and jobs == []
    assert set(due.values()) == {((0,), "09:00", "Europe/Berlin")}
    assert table.first() == MONDAY_8 + timedelta(hours=1)  # the 10:00 one is next
    due, _ = table.pop_due(MONDAY_8 + timedelta(hours=1))
    assert list(due) == [2000]
    assert table.first() == MONDAY_8 + timedelta(days=7)  # every one of them, a week on
    assert len(table) == 1001


def test_a_schedule_moved_or_removed_falls_due_only_where_it_now_is() -> None:
    table = Timetable()
    table.add(schedule(1), BEFORE)
    table.add(schedule(2), BEFORE)
    table.remove(1)
    table.add(schedule(1, "11:00"), BEFORE)
    table.discard(2, ((0,), "09:00", "Europe/Berlin"))
    assert table.first() == MONDAY_8 + timedelta(hours=2)  # 09:00 has no one left
    assert table.pop_due(MONDAY_8 + timedelta(hours=1)) == ({}, [])
    assert list(table.pop_due(MONDAY_8 + timedelta(hours=2))[0]) == [1]
    assert len(table) == 1


def test_housekeeping_jobs_share_the_timetable_and_a_time_with_schedules() -> None:
    table = Timetable()
    table.add(schedule(1, "09:00"), BEFORE)
    table.set_job("system:purge", MONDAY_8)  # the same moment as the timing: the two must not be compared
    table.set_job("system:digest", MONDAY_8 + timedelta(hours=3))
    table.set_job("system:digest", MONDAY_8 + timedelta(hours=4))  # moved later: the earlier time is stale
    assert len(table) == 3
    due, jobs = table.pop_due(MONDAY_8 + timedelta(hours=3))
    assert list(due) == [1] and jobs == ["system:purge"]
    assert table.first() == MONDAY_8 + timedelta(hours=4)
    assert table.pop_due(MONDAY_8 + timedelta(hours=4)) == ({}, ["system:digest"])
    table.set_job("system:digest", None)
    assert table.first() == MONDAY_8 + timedelta(days=7)
