"""When the timer next has work: schedules grouped by their weekly timing, housekeeping jobs each on their own.

Thousands of servers share a handful of timings ("Mondays 09:00 Europe/London"), so the timer keeps one time
per timing and a set of the schedule ids that follow it, rather than a time, a heap entry and a job-id string
per schedule: at 2,500 servers with three schedules each that was a megabyte of a bot's memory when ready
(bench section 4). Every member of a timing falls due at that timing's times; whether one of them has a fire
to run then (paused, not active yet) is the scheduler's to decide when it plans.
"""

from __future__ import annotations

import heapq
import itertools
from datetime import datetime, timedelta

from bot.db.models import Schedule
from bot.fire_times import next_time

# A schedule's weekly timing: its weekdays (Monday = 0), local time "HH:MM" and IANA zone.
Timing = tuple[tuple[int, ...], str, str]


def timing_of(schedule: Schedule) -> Timing:
    """The weekly timing a schedule follows."""
    return (schedule.weekdays, schedule.local_time, schedule.timezone)


def after(timing: Timing, moment: datetime) -> datetime | None:
    """The timing's first time strictly after `moment`."""
    weekdays, local_time, zone = timing
    return next_time(weekdays, local_time, zone, moment + timedelta(seconds=1))


class Timetable:
    """Each timing's and housekeeping job's next time, and which is due first."""

    def __init__(self) -> None:
        self._members: dict[Timing, set[int]] = {}  # schedule ids by the timing they follow
        self._at: dict[Timing | str, datetime] = {}  # the next time of each timing and each housekeeping job
        self._heap: list[tuple[datetime, int, Timing | str]] = []  # live while _at agrees; superseded ones stay
        self._order = itertools.count()  # breaks ties in the heap, where a timing and a job name cannot compare

    def __len__(self) -> int:
        """How many schedules and housekeeping jobs it keeps."""
        return sum(map(len, self._members.values())) + sum(isinstance(key, str) for key in self._at)

    def clear(self) -> None:
        """Forget everything (before a fresh read of every schedule)."""
        self._members.clear()
        self._at.clear()
        self._heap.clear()

    def add(self, schedule: Schedule, since: datetime) -> None:
        """Follow the schedule's timing from `since` on (its time is worked out once for all who share it)."""
        timing = timing_of(schedule)
        members = self._members.get(timing)
        if members is None:
            members = self._members[timing] = set()
            self._set(timing, after(timing, since))
        members.add(schedule.id)

    def remove(self, schedule_id: int) -> None:
        """Stop following a schedule, whatever its timing (removed, disabled, or about to move)."""
        for timing in [t for t, members in self._members.items() if schedule_id in members]:
            self.discard(schedule_id, timing)

    def discard(self, schedule_id: int, timing: Timing) -> None:
        """Stop following a schedule under a timing it was due under."""
        members = self._members.get(timing)
        if members is None:
            return
        members.discard(schedule_id)
        if not members:
            del self._members[timing]
            self._at.pop(timing, None)

    def set_job(self, job_id: str, when: datetime | None) -> None:
        """A housekeeping job's next time (None: it has no more)."""
        self._set(job_id, when)

    def pop_due(self, now: datetime) -> tuple[dict[int, Timing], list[str]]:
        """The schedules due by `now` (each with the timing it fell due under) and the housekeeping jobs due.

        The timings move on to their next times after `now`; a job's next time is set again by whoever runs it.
        """
        schedules: dict[int, Timing] = {}
        jobs: list[str] = []
        while self._heap and self._heap[0][0] <= now:
            when, _, key = heapq.heappop(self._heap)
            if self._at.get(key) != when:
                continue  # superseded by a later time
            del self._at[key]
            if isinstance(key, str):
                jobs.append(key)
            elif key in self._members:
                schedules |= dict.fromkeys(self._members[key], key)
                self._set(key, after(key, now))
        return schedules, jobs

    def first(self) -> datetime | None:
        """The earliest time anything falls due, if anything ever does."""
        while self._heap and self._at.get(self._heap[0][2]) != self._heap[0][0]:
            heapq.heappop(self._heap)  # superseded by a later time
        return self._heap[0][0] if self._heap else None

    def _set(self, key: Timing | str, when: datetime | None) -> None:
        if when is None:
            self._at.pop(key, None)
            return
        self._at[key] = when
        heapq.heappush(self._heap, (when, next(self._order), key))
