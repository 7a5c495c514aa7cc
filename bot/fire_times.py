"""When schedules and housekeeping jobs fall due: weekly timings in their zones, through APScheduler's CronTrigger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.db.models import Schedule

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


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


@lru_cache(maxsize=16384)
def next_time(weekdays: tuple[int, ...], local_time: str, timezone: str, after: datetime) -> datetime | None:
    """A weekly timing's first time at or after `after`.

    Cached: at start and on every refresh thousands of schedules ask with the same few timings and the
    same moment (the pass's time, or the last fire they share), and each CronTrigger step costs.
    """
    return weekly_trigger(weekdays, local_time, timezone).get_next_fire_time(None, after)


def fire_times(trigger: CronTrigger, after: datetime, until: datetime) -> list[datetime]:
    """Return the trigger's fire times t with after < t <= until, in UTC."""
    times = []
    moment = trigger.get_next_fire_time(None, after + timedelta(seconds=1))
    while moment is not None and moment <= until:
        times.append(moment.astimezone(UTC))
        moment = trigger.get_next_fire_time(None, moment + timedelta(seconds=1))
    return times


def last_fire_time(trigger: CronTrigger, after: datetime, until: datetime) -> datetime | None:
    """The trigger's latest fire time t with after < t <= until, in UTC, or None if it has none there.

    Looks in the last hour first: a five-minute job down for a day would otherwise walk 288 times to find
    the one it runs, for each such job at every start.
    """
    recent = max(after, until - timedelta(hours=1))
    times = fire_times(trigger, recent, until) or (fire_times(trigger, after, recent) if recent > after else [])
    return times[-1] if times else None


def due_times(
    weekdays: tuple[int, ...], local_time: str, timezone: str, after: datetime, until: datetime
) -> list[datetime]:
    """A weekly timing's times t with after < t <= until, in UTC, each step through the cached `next_time`.

    A weekly fan-out plans thousands of schedules that share a few timings and the same last fire; walking
    each one's trigger anew cost a millisecond a schedule before the first post went (bench section 7).
    """
    times = []
    moment = next_time(weekdays, local_time, timezone, after + timedelta(seconds=1))
    while moment is not None and moment <= until:
        times.append(moment.astimezone(UTC))
        moment = next_time(weekdays, local_time, timezone, moment + timedelta(seconds=1))
    return times


def next_fire(schedule: Schedule, now: datetime) -> datetime | None:
    """Return when the schedule will next actually run (after any pause), or None if paused."""
    if not schedule.enabled:
        return None
    start = max(now, schedule.active_from, schedule.paused_until or now)
    moment = weekly_trigger(schedule.weekdays, schedule.local_time, schedule.timezone).get_next_fire_time(None, start)
    return None if moment is None else moment.astimezone(UTC)
