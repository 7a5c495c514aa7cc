"""SchedulerService: weekly schedules kept in SQLite, timed by APScheduler, claimed exactly once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.db.models import Fire, Schedule
from bot.db.repositories import Repositories

log = logging.getLogger(__name__)

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# However long the bot was down, look back no further than this when recording missed fires.
MAX_LOOKBACK = timedelta(days=35)
# A fire that keeps failing for passing reasons is tried this many times in all.
MAX_ATTEMPTS = 5

Clock = Callable[[], datetime]
FireHandler = Callable[[Fire], None]


def system_clock() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to, so tests and the demo never sleep."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock needs a timezone-aware start")
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        """Move time forward and return the new now."""
        self.now += delta
        return self.now


@dataclass(frozen=True)
class SystemJob:
    """A housekeeping job, daily at hour:minute UTC or every few minutes, claimed like any schedule."""

    name: str
    hour: int | None = None
    minute: int = 0
    every_minutes: int | None = None

    @property
    def job_id(self) -> str:
        return f"system:{self.name}"

    def trigger(self) -> CronTrigger:
        """The job's cron trigger, in UTC."""
        if self.every_minutes is not None and self.every_minutes % 60 == 0:
            return CronTrigger(hour=f"*/{self.every_minutes // 60}", minute=0, timezone=UTC)
        if self.every_minutes is not None:
            return CronTrigger(minute=f"*/{self.every_minutes}", timezone=UTC)
        return CronTrigger(hour=self.hour, minute=self.minute, timezone=UTC)


@lru_cache(maxsize=4096)
def weekly_trigger(weekdays: tuple[int, ...], local_time: str, timezone: str) -> CronTrigger:
    """Build the cron trigger for a weekly schedule; zoneinfo keeps 09:00 at 09:00 across DST.

    Cached: thousands of servers share a handful of timings, and each trigger costs memory and time.
    """
    hour, minute = (int(part) for part in local_time.split(":"))
    days = ",".join(WEEKDAY_NAMES[d] for d in sorted(weekdays))
    return CronTrigger(day_of_week=days, hour=hour, minute=minute, timezone=ZoneInfo(timezone))


def fire_times(trigger: CronTrigger, after: datetime, until: datetime) -> list[datetime]:
    """Return the trigger's fire times t with after < t <= until, in UTC."""
    times = []
    moment = trigger.get_next_fire_time(None, after + timedelta(seconds=1))
    while moment is not None and moment <= until:
        times.append(moment.astimezone(UTC))
        moment = trigger.get_next_fire_time(None, moment + timedelta(seconds=1))
    return times


def next_fire(schedule: Schedule, now: datetime) -> datetime | None:
    """Return when the schedule will next actually run (after any pause), or None if paused."""
    if not schedule.enabled:
        return None
    start = max(now, schedule.active_from, schedule.paused_until or now)
    moment = weekly_trigger(schedule.weekdays, schedule.local_time, schedule.timezone).get_next_fire_time(None, start)
    return None if moment is None else moment.astimezone(UTC)


class SchedulerService:
    """Register timers for every schedule and turn each due time into one claimed, dispatched fire."""

    def __init__(
        self,
        repos: Repositories,
        on_fire: FireHandler,
        *,
        clock: Clock = system_clock,
        grace: timedelta = timedelta(hours=12),
    ) -> None:
        self._repos = repos
        self._on_fire = on_fire
        self.clock = clock
        self.grace = grace
        self._system_jobs: dict[str, SystemJob] = {}
        self._aps: AsyncIOScheduler | None = None
        self._finished_ids: set[int] = set()
        self._finished = asyncio.Condition()

    @property
    def uses_real_time(self) -> bool:
        """Whether timers follow the wall clock (False under a ManualClock)."""
        return not isinstance(self.clock, ManualClock)

    def add_system_job(self, job: SystemJob) -> None:
        """Run a housekeeping job on its trigger; a run missed while down happens once at start."""
        self._system_jobs[job.name] = job
        if self._aps is not None:
            self._register_system(job)

    async def start(self) -> list[Fire]:
        """Start timers, register every schedule, and catch up on fires missed while down."""
        if self.uses_real_time and self._aps is None:
            self._aps = AsyncIOScheduler(timezone=UTC)
            self._aps.start()
        await self.rebuild()
        return await self.run_due()

    async def shutdown(self) -> None:
        """Stop the timers; claimed fires in progress finish on their own."""
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None

    async def rebuild(self) -> None:
        """Re-register in-memory timers from the schedules table (SQLite is the source of truth)."""
        if self._aps is None:
            return
        self._aps.remove_all_jobs()
        # Retries are not fires of their own, so a plain interval timer is enough.
        self._aps.add_job(self.run_retries, "interval", minutes=1, id="retries", replace_existing=True)
        for job in self._system_jobs.values():
            self._register_system(job)
        for schedule in await self._repos.schedules.all_enabled():
            self._register(schedule)

    async def schedule_changed(self, schedule_id: int) -> None:
        """Refresh one schedule's timer after it was created, changed, paused or removed."""
        if self._aps is None:
            return
        job_id = f"schedule:{schedule_id}"
        if self._aps.get_job(job_id) is not None:
            self._aps.remove_job(job_id)
        schedule = await self._repos.schedules.get(schedule_id)
        if schedule is not None and schedule.enabled:
            self._register(schedule)

    def _register(self, schedule: Schedule) -> None:
        assert self._aps is not None
        trigger = weekly_trigger(schedule.weekdays, schedule.local_time, schedule.timezone)
        self._aps.add_job(
            self._on_timer,
            trigger,
            args=[schedule.id],
            id=schedule.job_id,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    def _register_system(self, job: SystemJob) -> None:
        assert self._aps is not None
        trigger = job.trigger()
        self._aps.add_job(
            self._on_system_timer,
            trigger,
            args=[job.name],
            id=job.job_id,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    async def _on_timer(self, schedule_id: int) -> None:
        schedule = await self._repos.schedules.get(schedule_id)
        if schedule is not None and schedule.enabled:
            latest = await self._repos.fires.latest_for_job(schedule.job_id)
            await self._run_schedule(schedule, latest, self.clock())

    async def _on_system_timer(self, name: str) -> None:
        job = self._system_jobs[name]
        latest = await self._repos.fires.latest_for_job(job.job_id)
        await self._run_system(job, latest, self.clock())

    async def advance(self, delta: timedelta) -> list[Fire]:
        """Move a ManualClock forward and run everything that fell due, as the timers would have."""
        if not isinstance(self.clock, ManualClock):
            raise RuntimeError("advance() needs a ManualClock")
        self.clock.advance(delta)
        return await self.run_due()

    async def run_due(self) -> list[Fire]:
        """Claim and dispatch every fire that is due now; record the ones missed beyond grace."""
        now = self.clock()
        latest = await self._repos.fires.latest_by_job()
        fired = []
        for job in self._system_jobs.values():
            fired += await self._run_system(job, latest.get(job.job_id), now)
        for schedule in await self._repos.schedules.all_enabled():
            fired += await self._run_schedule(schedule, latest.get(schedule.job_id), now)
        return fired + await self.run_retries(now)

    async def run_retries(self, now: datetime | None = None) -> list[Fire]:
        """Dispatch again the failed fires whose retry time has come (claimed, so only once)."""
        now = now or self.clock()
        fired = []
        for fire in await self._repos.fires.reclaim_retries(now, now - self.grace, MAX_ATTEMPTS):
            schedule = await self._repos.schedules.get(fire.schedule_id) if fire.schedule_id else None
            fire = replace(fire, channel_id=schedule.channel_id if schedule else None)
            self._finished_ids.discard(fire.id)  # this attempt has not finished yet
            fired.append(fire)
            self._on_fire(fire)
        return fired

    async def _run_schedule(self, schedule: Schedule, latest: datetime | None, now: datetime) -> list[Fire]:
        after = max(x for x in (latest, schedule.active_from - timedelta(seconds=1), now - MAX_LOOKBACK) if x)
        trigger = weekly_trigger(schedule.weekdays, schedule.local_time, schedule.timezone)
        due = fire_times(trigger, after, now)
        fired = []
        for index, moment in enumerate(due):
            reason = None
            if schedule.paused_until is not None and moment < schedule.paused_until:
                reason = f"paused until {schedule.paused_until:%Y-%m-%d %H:%M} UTC"
            elif now - moment > self.grace:
                hours = self.grace.total_seconds() / 3600
                reason = f"missed: the bot was offline at the time and more than {hours:g} h have passed"
            elif index < len(due) - 1:
                # Several fires fell due while the bot was down: run only the newest, once.
                reason = "superseded by a later fire of the same schedule"
            fire = await self._repos.fires.claim(
                schedule.job_id,
                schedule.kind,
                moment,
                now,
                schedule_id=schedule.id,
                guild_id=schedule.guild_id,
                status="skipped" if reason else "claimed",
                detail=reason,
            )
            if fire is not None and reason is None:
                fire = replace(fire, channel_id=schedule.channel_id)
                fired.append(fire)
                self._on_fire(fire)
        return fired

    async def _run_system(self, job: SystemJob, latest: datetime | None, now: datetime) -> list[Fire]:
        due = fire_times(job.trigger(), latest or now - timedelta(days=1), now)
        if not due:
            return []
        # Housekeeping only needs to run once, however many days were missed.
        fire = await self._repos.fires.claim(job.job_id, job.name, due[-1], now)
        if fire is None:
            return []
        self._on_fire(fire)
        return [fire]

    async def finish(
        self, fire: Fire, status: str, detail: str | None = None, *, retry_in: timedelta | None = None
    ) -> None:
        """Record how a dispatched fire went: posted, skipped or failed, with a reason.

        A failure with retry_in (e.g. Discord rate-limiting or down) is tried again after that long,
        while it is within the grace window and has had fewer than MAX_ATTEMPTS tries.
        """
        retry_at = self.clock() + retry_in if retry_in is not None and status == "failed" else None
        if retry_at is not None:
            detail = f"{detail} (will try again)"
        await self._repos.fires.finish(fire.id, status, detail, self.clock(), retry_at)
        async with self._finished:
            self._finished_ids.add(fire.id)
            self._finished.notify_all()

    async def wait_finished(self, fires: list[Fire], timeout: float = 10) -> None:
        """Wait until every given fire has recorded its outcome (used by tests and the demo)."""
        wanted = {fire.id for fire in fires}
        async with asyncio.timeout(timeout), self._finished:
            await self._finished.wait_for(lambda: wanted <= self._finished_ids)
