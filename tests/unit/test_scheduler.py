"""SchedulerService: exactly-once claims, catch-up within grace, DST, pause and resume."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.db.connection import Database
from bot.db.models import Fire
from bot.db.repositories import Repositories
from bot.fire_times import SystemJob, fire_times, last_fire_time, next_fire
from bot.scheduling import ManualClock, SchedulerService

MONDAY_0800_UTC = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday
LONDON = ZoneInfo("Europe/London")


class Recorder:
    """Collects dispatched fires, as a cog listener would receive them."""

    def __init__(self) -> None:
        self.fires: list[Fire] = []

    def __call__(self, fire: Fire) -> None:
        self.fires.append(fire)


def _service(repos: Repositories, clock: ManualClock, grace_hours: int = 12) -> tuple[SchedulerService, Recorder]:
    recorder = Recorder()
    return SchedulerService(repos, recorder, clock=clock, grace=timedelta(hours=grace_hours)), recorder


async def test_a_weekly_schedule_fires_once_at_its_local_time(repos: Repositories) -> None:
    clock = ManualClock(MONDAY_0800_UTC)
    service, seen = _service(repos, clock)
    schedule = await repos.schedules.upsert(1, "quiz_opens", (0, 3), "09:30", "UTC", 42, clock())
    await service.start()
    assert seen.fires == []
    await service.advance(timedelta(hours=1, minutes=29))
    assert seen.fires == []
    await service.advance(timedelta(minutes=1))
    assert [(f.kind, f.scheduled_for, f.channel_id) for f in seen.fires] == [
        ("quiz_opens", datetime(2026, 3, 2, 9, 30, tzinfo=UTC), 42)
    ]
    await service.advance(timedelta(minutes=5))
    await service.run_due()
    assert len(seen.fires) == 1
    await service.advance(timedelta(days=3))  # Thursday 09:35
    assert [f.scheduled_for.weekday() for f in seen.fires] == [0, 3]
    assert [f.status for f in await repos.fires.for_job(schedule.job_id)] == ["claimed", "claimed"]


async def test_claims_are_exclusive_across_two_schedulers_on_one_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    first_db, second_db = await Database.open(path), await Database.open(path)
    from bot.db.migrate import migrate

    await migrate(first_db)
    first_repos, second_repos = Repositories(first_db), Repositories(second_db)
    clock = ManualClock(MONDAY_0800_UTC)
    await first_repos.schedules.upsert(7, "reflective_prompt", (0,), "09:00", "UTC", None, clock())
    first, first_seen = _service(first_repos, clock)
    second, second_seen = _service(second_repos, clock)
    clock.advance(timedelta(hours=2))
    for _ in range(3):
        await first.run_due()
        await second.run_due()
    assert len(first_seen.fires) + len(second_seen.fires) == 1
    rows = await first_db.fetchall("SELECT status FROM fires")
    assert [r[0] for r in rows] == ["claimed"]
    await first_db.close()
    await second_db.close()


async def test_missed_fire_within_grace_runs_once_at_start(repos: Repositories) -> None:
    created = MONDAY_0800_UTC
    schedule = await repos.schedules.upsert(1, "quiz_opens", (0,), "09:00", "UTC", None, created)
    # The bot was down from before 09:00 and comes back at 20:00 (11 h late, grace 12 h).
    clock = ManualClock(datetime(2026, 3, 2, 20, 0, tzinfo=UTC))
    service, seen = _service(repos, clock)
    await service.start()
    assert [f.scheduled_for for f in seen.fires] == [datetime(2026, 3, 2, 9, 0, tzinfo=UTC)]
    restarted, seen_again = _service(repos, clock)
    await restarted.start()
    assert seen_again.fires == []
    assert [f.status for f in await repos.fires.for_job(schedule.job_id)] == ["claimed"]


async def test_missed_fires_beyond_grace_are_recorded_as_skipped(repos: Repositories) -> None:
    schedule = await repos.schedules.upsert(1, "quiz_opens", (0, 2), "09:00", "UTC", None, MONDAY_0800_UTC)
    # Down from Monday 08:00 to Thursday 08:00: Monday's fire is 71 h late, Wednesday's 23 h.
    clock = ManualClock(datetime(2026, 3, 5, 8, 0, tzinfo=UTC))
    service, seen = _service(repos, clock)
    await service.start()
    assert seen.fires == []
    history = await repos.fires.for_job(schedule.job_id)
    assert [(f.scheduled_for.day, f.status) for f in history] == [(2, "skipped"), (4, "skipped")]
    assert "more than 12 h have passed" in (history[0].detail or "")


async def test_only_the_newest_of_several_missed_fires_within_grace_runs(repos: Repositories) -> None:
    schedule = await repos.schedules.upsert(
        1, "reflective_prompt", tuple(range(7)), "09:00", "UTC", None, MONDAY_0800_UTC
    )
    clock = ManualClock(datetime(2026, 3, 3, 10, 0, tzinfo=UTC))  # Tuesday: Mon 09:00 and Tue 09:00 missed
    service, seen = _service(repos, clock, grace_hours=48)
    await service.start()
    assert [f.scheduled_for.day for f in seen.fires] == [3]
    statuses = [(f.scheduled_for.day, f.status) for f in await repos.fires.for_job(schedule.job_id)]
    assert statuses == [(2, "skipped"), (3, "claimed")]


async def test_london_schedule_stays_at_nine_local_across_the_dst_change(repos: Repositories) -> None:
    # British Summer Time starts on Sunday 29 March 2026.
    start = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)
    clock = ManualClock(start)
    await repos.schedules.upsert(1, "reflective_prompt", (0, 1, 2, 3, 4, 5, 6), "09:00", "Europe/London", None, start)
    service, seen = _service(repos, clock)
    await service.start()
    for _ in range(14 * 24):
        await service.advance(timedelta(hours=1))
    local = [f.scheduled_for.astimezone(LONDON) for f in seen.fires]
    assert len(local) == 14
    assert {(t.hour, t.minute) for t in local} == {(9, 0)}
    utc_hours = [f.scheduled_for.hour for f in seen.fires]
    assert utc_hours[:6] == [9] * 6 and utc_hours[7:] == [8] * 7


async def test_pause_until_skips_and_resume_does_not_replay(repos: Repositories) -> None:
    clock = ManualClock(MONDAY_0800_UTC)
    schedule = await repos.schedules.upsert(1, "quiz_opens", (0,), "09:00", "UTC", None, clock())
    service, seen = _service(repos, clock)
    await service.start()
    await repos.schedules.pause(schedule.id, MONDAY_0800_UTC + timedelta(days=7))
    await service.advance(timedelta(days=1))  # Monday 09:00 passes while paused
    assert seen.fires == []
    assert (await repos.fires.for_job(schedule.job_id))[0].status == "skipped"
    await service.advance(timedelta(days=6, hours=2))  # next Monday 10:00, after the pause ended
    assert [f.scheduled_for.day for f in seen.fires] == [9]

    await repos.schedules.pause(schedule.id, None)  # indefinitely
    assert next_fire(await repos.schedules.get(schedule.id), clock()) is None
    await service.advance(timedelta(days=7))
    assert len(seen.fires) == 1
    await repos.schedules.resume(schedule.id, clock())
    await service.run_due()  # the fire that fell in the pause is not replayed
    assert len(seen.fires) == 1
    resumed = await repos.schedules.get(schedule.id)
    assert next_fire(resumed, clock()) == datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
    await service.advance(timedelta(days=7))
    assert [f.scheduled_for.day for f in seen.fires] == [9, 23]


async def test_system_job_runs_once_a_day(repos: Repositories) -> None:
    clock = ManualClock(MONDAY_0800_UTC)
    service, seen = _service(repos, clock)
    service.add_system_job(SystemJob("retention_purge", hour=3))
    await service.start()
    assert [f.kind for f in seen.fires] == ["retention_purge"]  # today's 03:00 run, caught up
    await service.advance(timedelta(hours=12))
    assert len(seen.fires) == 1
    await service.advance(timedelta(hours=8))
    assert len(seen.fires) == 2


async def test_a_fire_that_failed_for_a_passing_reason_is_retried_once_per_attempt(repos: Repositories) -> None:
    clock = ManualClock(MONDAY_0800_UTC)
    schedule = await repos.schedules.upsert(1, "quiz_opens", (0,), "09:00", "UTC", 5, clock())
    service, seen = _service(repos, clock)
    await service.start()
    await service.advance(timedelta(hours=1, minutes=1))
    first = seen.fires[-1]
    await service.finish(first, "failed", "Discord refused the post (429)", retry_in=timedelta(minutes=5))
    await service.advance(timedelta(minutes=4))
    assert len(seen.fires) == 1  # not yet
    await service.advance(timedelta(minutes=1))
    assert [f.id for f in seen.fires] == [first.id, first.id] and seen.fires[-1].channel_id == 5
    await service.run_due()
    assert len(seen.fires) == 2  # claimed again only once
    await service.finish(seen.fires[-1], "posted", "opened with 5 questions")
    history = await repos.fires.for_job(schedule.job_id)
    assert [(f.status, f.detail) for f in history] == [("posted", "opened with 5 questions")]
    # A failure that retrying cannot fix is not retried.
    await service.finish(seen.fires[-1], "failed", "Missing Permissions")
    await service.advance(timedelta(minutes=30))
    assert len(seen.fires) == 2


@settings(max_examples=200, deadline=None)
@given(
    job=st.sampled_from(
        [SystemJob("every5", every_minutes=5), SystemJob("hourly", every_minutes=60), SystemJob("daily", hour=3)]
    ),
    since=st.integers(min_value=0, max_value=3 * 24 * 60),
    length=st.integers(min_value=0, max_value=3 * 24 * 60),
)
def test_a_housekeeping_job_runs_at_its_latest_due_time_however_long_it_was_down(
    job: SystemJob, since: int, length: int
) -> None:
    """The shortcut through the last hour finds the same time as walking every fire since the last run."""
    after = MONDAY_0800_UTC + timedelta(minutes=since, seconds=17)
    until = after + timedelta(minutes=length)
    walked = fire_times(job.trigger(), after, until)
    assert last_fire_time(job.trigger(), after, until) == (walked[-1] if walked else None)
