"""SchedulerService: weekly schedules kept in SQLite, one timer over them all, each fire claimed exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.clock import Clock, ManualClock, system_clock
from bot.db.models import CLAIM_LEASE, Fire, Schedule
from bot.db.repositories import Repositories
from bot.db.repositories.fires import FireClaim
from bot.fire_times import SystemJob, due_times, last_fire_time, next_time
from bot.timetable import Timetable, Timing, timing_of

__all__ = ["Clock", "ManualClock", "SchedulerService", "StillDue", "system_clock"]

log = logging.getLogger(__name__)

# However long the bot was down, look back no further than this when recording missed fires.
MAX_LOOKBACK = timedelta(days=35)
# A fire that keeps failing for passing reasons is tried this many times in all.
MAX_ATTEMPTS = 5
# How often the timer re-reads schedules and retries that another process may have written.
REFRESH_EVERY = timedelta(minutes=10)
# After a pass fails (database locked or broken), the timer tries again this much later.
PASS_ERROR_BACKOFF = timedelta(minutes=1)
# A process renews its claim on a fire it is working on this often; a claim not renewed for the lease
# belongs to a process that died mid-way, and another (or the same one, restarted) takes the fire over.
RENEW_EVERY = timedelta(minutes=1)
# Fires claimed in one transaction. A weekly fan-out claims every server's fire at once; in batches, the first
# posts start after the first batch, and clicks get the event loop and the database between batches (in one
# go, 25,000 fires held the loop for 1.5 s: bench/analysis.md). Planning loops give the loop a turn as often.
CLAIM_BATCH = 500

FireHandler = Callable[[Fire], None]


class StillDue(timedelta):
    """A retry delay for work that did not fail but could not go yet (Discord rate-limited it).

    Passed as `retry_in` to `SchedulerService.finish`, it keeps the fire due: its status stays
    `claimed` with a retry time, it is not counted as one of the MAX_ATTEMPTS, and /status shows it
    waiting rather than failed. A timedelta, so every caller of `finish(..., retry_in=...)` keeps working.
    """


async def _turn(index: int) -> None:
    """Give the event loop a turn once every CLAIM_BATCH items of a long loop over schedules."""
    if index % CLAIM_BATCH == CLAIM_BATCH - 1:
        await asyncio.sleep(0)


@dataclass(frozen=True)
class _Plan:
    """A due time to claim, and the channel its schedule posts to."""

    claim: FireClaim
    channel_id: int | None


class SchedulerService:
    """One timer for every schedule and housekeeping job; each due time becomes one claimed, dispatched fire.

    The timer keeps a heap of each job's next time, sleeps on the clock until the earliest, claims what
    fell due and dispatches it. The clock is injectable: under a ManualClock the same timer runs, woken
    by advance() instead of by time passing, so tests drive the code that runs in production.
    """

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
        self._timetable = Timetable()
        self._next_retry: datetime | None = None
        self._next_stale: datetime | None = None
        self._held: set[int] = set()  # fires this process is working on: their claims are renewed together
        self._renewer: asyncio.Task[None] | None = None
        self._next_refresh: datetime | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._handled: datetime | None = None  # the clock time up to which the timer has run everything
        self._passes = asyncio.Condition()
        self._dispatched: list[Fire] = []  # under a ManualClock only: what advance() returns
        self._finished_ids: set[int] = set()
        self._finished = asyncio.Condition()

    @property
    def manual(self) -> bool:
        """Whether time only moves when a test or the demo says so."""
        return isinstance(self.clock, ManualClock)

    @property
    def system_jobs(self) -> list[SystemJob]:
        """The housekeeping jobs registered by the loaded features."""
        return list(self._system_jobs.values())

    @property
    def job_count(self) -> int:
        """How many schedules and housekeeping jobs the timer is keeping."""
        return len(self._timetable)

    def add_system_job(self, job: SystemJob) -> None:
        """Run a housekeeping job on its trigger; a run missed while down happens once at start."""
        self._system_jobs[job.name] = job
        if self._task is not None:
            self._timetable.set_job(job.job_id, self._next_system_time(job, self.clock()))
            self._wake.set()

    async def start(self) -> list[Fire]:
        """Catch up on fires missed while down, then start the timer; return the caught-up fires."""
        now = self.clock()
        if self._renewer is None:
            self._renewer = asyncio.get_running_loop().create_task(self._renew_held(), name="claim renewer")
        # One pass over the schedules fills the timer and plans the catch-up: at 25,000 servers each pass
        # reads 75,000 rows, and two of them were a fifth of the time from start to ready.
        latest = await self._repos.fires.latest_by_job()
        fired = await self._catch_up(await self._load(now, now, latest), latest, now)
        self._handled = now
        self._task = asyncio.get_running_loop().create_task(self._timer(), name="scheduler timer")
        return fired

    async def shutdown(self) -> None:
        """Stop the timer; claimed fires in progress finish on their own.

        Their claims are no longer renewed: one still unfinished when the process exits is taken over
        by the next process to look, CLAIM_LEASE after its last renewal.
        """
        self._held.clear()
        for task in (self._renewer, self._task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._renewer = self._task = None

    async def rebuild(self) -> None:
        """Reload every job's next time from the schedules table (SQLite is the source of truth)."""
        if self._task is not None:
            await self._load(self._handled or self.clock(), self.clock())
            self._wake.set()

    async def schedule_changed(self, schedule_id: int) -> None:
        """Refresh one schedule's next time after it was created, changed, paused or removed."""
        if self._task is None:
            return
        schedule = await self._repos.schedules.get(schedule_id)
        self._timetable.remove(schedule_id)
        if schedule is not None and schedule.enabled:
            self._timetable.add(schedule, self.clock())
        self._wake.set()

    async def advance(self, delta: timedelta) -> list[Fire]:
        """Move a ManualClock forward and wait until the timer has run everything that fell due."""
        if not isinstance(self.clock, ManualClock):
            raise RuntimeError("advance() needs a ManualClock")
        if self._task is None:
            raise RuntimeError("the scheduler has not started")
        mark = len(self._dispatched)
        target = self.clock.advance(delta)
        self._wake.set()
        async with self._passes:
            await self._passes.wait_for(lambda: self._timer_stopped() or (self._handled or target) >= target)
        if self._task is not None and self._task.done():
            self._task.result()  # the timer died: say why rather than wait forever
        return self._dispatched[mark:]

    def _timer_stopped(self) -> bool:
        return self._task is None or self._task.done()

    # The timer -------------------------------------------------------------------------------

    async def _timer(self) -> None:
        while True:
            self._wake.clear()
            now = self.clock()
            try:
                await self._pass(now)
            except Exception as error:
                # A broken or locked database: say so in one line and try again shortly, rather
                # than let the timer die and every schedule stop without a word.
                log.error("scheduler: could not run due work (%s); trying again in a minute", error)
                log.debug("scheduler pass failed", exc_info=True)
                self._next_refresh = now + PASS_ERROR_BACKOFF
            async with self._passes:
                self._handled = now
                self._passes.notify_all()
            await self.clock.sleep_until(self._deadline(), self._wake)

    async def _pass(self, now: datetime) -> None:
        if self._next_refresh is None or now >= self._next_refresh:
            # From the last pass, not from now: times that fell between the two still run below.
            await self._load(self._handled or now, now)
        due, jobs = self._timetable.pop_due(now)
        if due or jobs:
            await self._run_jobs(due, jobs, now)
        if self._next_retry is not None and self._next_retry <= now:
            await self.run_retries(now)
        if self._next_stale is not None and self._next_stale <= now:
            await self.take_over_stale(now)

    async def _load(self, since: datetime, now: datetime, latest: dict[str, datetime] | None = None) -> list[_Plan]:
        """Read every schedule's timing from `since` on, and the earliest pending retry, into the timetable.

        Given `latest` (each job's latest fire), also plan the schedules' fires that are due at `now`.
        """
        self._timetable.clear()
        for job in self._system_jobs.values():
            self._timetable.set_job(job.job_id, self._next_system_time(job, since))
        plans: list[_Plan] = []
        async for page in self._repos.schedules.enabled_pages():
            for schedule in page:
                self._timetable.add(schedule, since)
                if latest is not None:
                    plans += self._plan_schedule(schedule, latest.get(schedule.job_id), now)
        await self._load_next_retry(now)
        await self._load_next_stale()
        # Another process may add schedules or retries this one never hears of; look again now and then.
        self._next_refresh = now + REFRESH_EVERY
        return plans

    async def _load_next_retry(self, now: datetime) -> None:
        self._next_retry = await self._repos.fires.next_retry(now - self.grace, MAX_ATTEMPTS)

    async def _load_next_stale(self) -> None:
        oldest = await self._repos.fires.oldest_claim(held=self._held)
        # A second past the lease, so the claim is strictly older than it when the timer looks.
        self._next_stale = None if oldest is None else oldest + CLAIM_LEASE + timedelta(seconds=1)

    def _deadline(self) -> datetime | None:
        first = self._timetable.first()
        times = [t for t in (first, self._next_retry, self._next_stale, self._next_refresh) if t]
        return min(times) if times else None

    def _next_schedule_time(self, schedule: Schedule, now: datetime) -> datetime | None:
        after = max(now + timedelta(seconds=1), schedule.active_from)
        return next_time(schedule.weekdays, schedule.local_time, schedule.timezone, after)

    def _next_system_time(self, job: SystemJob, now: datetime) -> datetime | None:
        return job.trigger().get_next_fire_time(None, now + timedelta(seconds=1))

    async def _run_jobs(self, due: dict[int, Timing], jobs: list[str], now: datetime) -> list[Fire]:
        """Claim what fell due for these schedules and jobs, then dispatch it; set the jobs' next times."""
        schedules = await self._repos.schedules.get_many(list(due)) if due else []
        latest = await self._repos.fires.latest_for_jobs([s.job_id for s in schedules] + jobs)
        plans: list[_Plan] = []
        for job_id in jobs:
            system = self._system_jobs.get(job_id.removeprefix("system:"))
            if system is not None:
                plans += self._plan_system(system, latest.get(job_id), now)
                self._timetable.set_job(job_id, self._next_system_time(system, now))
        for gone in due.keys() - {s.id for s in schedules}:
            self._timetable.discard(gone, due[gone])  # removed meanwhile (by another process, say)
        for index, schedule in enumerate(schedules):
            await _turn(index)
            # Changed meanwhile without this process hearing of it (another process, say): follow it as it is now.
            if not schedule.enabled:
                self._timetable.discard(schedule.id, due[schedule.id])
                continue
            if timing_of(schedule) != due[schedule.id]:
                self._timetable.discard(schedule.id, due[schedule.id])
                self._timetable.add(schedule, now)
            plans += self._plan_schedule(schedule, latest.get(schedule.job_id), now)
        return await self._claim(plans, now)

    def _dispatch(self, fire: Fire) -> None:
        if self.manual:
            self._dispatched.append(fire)
        self._hold(fire)
        self._on_fire(fire)

    # Claiming --------------------------------------------------------------------------------

    async def run_due(self, now: datetime | None = None) -> list[Fire]:
        """Claim and dispatch every fire that is due now; record the ones missed beyond grace."""
        now = now or self.clock()
        latest = await self._repos.fires.latest_by_job()
        plans: list[_Plan] = []
        async for page in self._repos.schedules.enabled_pages():
            for schedule in page:
                plans += self._plan_schedule(schedule, latest.get(schedule.job_id), now)
        return await self._catch_up(plans, latest, now)

    async def _catch_up(self, plans: list[_Plan], latest: dict[str, datetime], now: datetime) -> list[Fire]:
        """Claim the housekeeping due now and the schedules' planned fires, then retries and stale claims."""
        due: list[_Plan] = []
        for job in self._system_jobs.values():
            due += self._plan_system(job, latest.get(job.job_id), now)
        return await self._claim(due + plans, now) + await self.run_retries(now) + await self.take_over_stale(now)

    async def run_retries(self, now: datetime | None = None) -> list[Fire]:
        """Dispatch again the failed or rate-limited fires whose retry time has come (claimed, so only once)."""
        now = now or self.clock()
        fired = []
        for fire in await self._repos.fires.reclaim_retries(now, now - self.grace, MAX_ATTEMPTS):
            schedule = await self._repos.schedules.get(fire.schedule_id) if fire.schedule_id else None
            fire = replace(fire, channel_id=schedule.channel_id if schedule else None)
            self._finished_ids.discard(fire.id)  # this attempt has not finished yet
            fired.append(fire)
            self._dispatch(fire)
        await self._load_next_retry(now)
        return fired

    async def take_over_stale(self, now: datetime | None = None) -> list[Fire]:
        """Dispatch again the fires whose process died while working on them; their steps say where to resume."""
        now = now or self.clock()
        taken, given_up = await self._repos.fires.take_over_stale(
            now, now - CLAIM_LEASE, now - self.grace, MAX_ATTEMPTS
        )
        for fire in given_up:
            log.warning(
                "scheduler: %s of %s not finished: %s",
                fire.kind,
                f"{fire.scheduled_for:%Y-%m-%d %H:%M} UTC",
                fire.detail,
            )
        fired = []
        for fire in taken:
            log.info(
                "scheduler: resuming %s of %s, left unfinished by a stopped process",
                fire.kind,
                f"{fire.scheduled_for:%Y-%m-%d %H:%M} UTC",
            )
            schedule = await self._repos.schedules.get(fire.schedule_id) if fire.schedule_id else None
            fire = replace(fire, channel_id=schedule.channel_id if schedule else None)
            self._finished_ids.discard(fire.id)
            fired.append(fire)
            self._dispatch(fire)
        await self._load_next_stale()
        return fired

    def _hold(self, fire: Fire) -> None:
        """Keep a dispatched fire's claim renewed until it finishes, so no other process takes it over."""
        self._held.add(fire.id)

    def _release(self, fire_id: int) -> None:
        self._held.discard(fire_id)

    async def _renew_held(self) -> None:
        """Renew the claims of every fire this process holds, in one statement, every RENEW_EVERY."""
        wake = asyncio.Event()
        while True:
            deadline = self.clock() + RENEW_EVERY
            while self.clock() < deadline:  # a clock may wake its sleepers early; sleep on until the deadline
                wake.clear()
                await self.clock.sleep_until(deadline, wake)
            if not self._held:
                continue
            try:
                await self._repos.fires.renew_claims(self._held, self.clock())
            except Exception as error:  # a locked database now and then must not stop the work it guards
                log.warning("scheduler: could not renew the claims on %d fire(s) (%s)", len(self._held), error)

    def _plan_schedule(self, schedule: Schedule, latest: datetime | None, now: datetime) -> list[_Plan]:
        """The schedule's due times since its last fire: the newest to run, older ones to record as skipped."""
        after = max(x for x in (latest, schedule.active_from - timedelta(seconds=1), now - MAX_LOOKBACK) if x)
        # Most passes find nothing due for most schedules: one next-time look-up says so before any walk.
        upcoming = self._next_schedule_time(schedule, after - timedelta(seconds=1))
        if upcoming is None or upcoming > now:
            return []
        due = due_times(schedule.weekdays, schedule.local_time, schedule.timezone, after, now)
        plans = []
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
            claim = FireClaim(
                schedule.job_id,
                schedule.kind,
                moment,
                schedule_id=schedule.id,
                guild_id=schedule.guild_id,
                status="skipped" if reason else "claimed",
                detail=reason,
            )
            plans.append(_Plan(claim, schedule.channel_id))
        return plans

    def _plan_system(self, job: SystemJob, latest: datetime | None, now: datetime) -> list[_Plan]:
        # Housekeeping only needs to run once, however many days were missed: at its latest due time.
        due = last_fire_time(job.trigger(), latest or now - timedelta(days=1), now)
        return [_Plan(FireClaim(job.job_id, job.name, due), None)] if due else []

    async def _claim(self, plans: list[_Plan], now: datetime) -> list[Fire]:
        """Claim the planned fires, CLAIM_BATCH to a transaction, dispatching each batch this process won."""
        fired = []
        for start in range(0, len(plans), CLAIM_BATCH):
            batch = plans[start : start + CLAIM_BATCH]
            won = await self._repos.fires.claim_many([plan.claim for plan in batch], now)
            ours = [
                replace(fire, channel_id=plan.channel_id)
                for plan, fire in zip(batch, won, strict=True)
                if fire is not None and plan.claim.status == "claimed"
            ]
            await self._warm(ours)
            for fire in ours:
                self._dispatch(fire)
            fired += ours
            await asyncio.sleep(0)  # a click waiting for the loop goes before the next batch
        return fired

    async def _warm(self, fires: list[Fire]) -> None:
        """Read the batch's servers' settings and banks in a few reads, instead of each fire reading its own."""
        guilds = {fire.guild_id for fire in fires if fire.guild_id is not None}
        if len(guilds) < 2:
            return
        try:
            await self._repos.warm(guilds)
        except Exception as error:  # only a saving: each fire still reads what it needs
            log.warning("scheduler: could not read ahead for %d servers (%s)", len(guilds), error)

    async def finish(
        self, fire: Fire, status: str, detail: str | None = None, *, retry_in: timedelta | None = None
    ) -> None:
        """Record how a dispatched fire went: posted, skipped or failed, with a reason.

        A failure with retry_in (e.g. Discord down) is tried again after that long, while it is within
        the grace window and has had fewer than MAX_ATTEMPTS tries. The detail says which: "...,
        retrying" or "..., gave up after 5 attempts", so /status tells the truth. With a StillDue delay
        (Discord rate-limiting) the fire is not failed at all: it stays claimed, due again after the
        delay, for as long as the grace window lasts, and the try is not counted.
        """
        self._release(fire.id)
        now = self.clock()
        retry_at = None
        if isinstance(retry_in, StillDue) and status == "failed":
            retry_at = now + retry_in
            if retry_at - fire.scheduled_for > self.grace:
                hours = self.grace.total_seconds() / 3600
                retry_at, detail = None, f"{detail}, gave up: more than {hours:g} h have passed"
            else:
                # Rate limited is not failed: the work stays due and goes again shortly.
                status, detail = "claimed", f"{detail}, waiting to try again"
        elif retry_in is not None and status == "failed":
            retry_at = now + retry_in
            if fire.attempts >= MAX_ATTEMPTS:
                retry_at, detail = None, f"{detail}, gave up after {fire.attempts} attempts"
            elif retry_at - fire.scheduled_for > self.grace:
                hours = self.grace.total_seconds() / 3600
                retry_at, detail = None, f"{detail}, gave up: more than {hours:g} h have passed"
            else:
                detail = f"{detail}, retrying"
        await self._repos.fires.finish(fire.id, status, detail, now, retry_at)
        if retry_at is not None and (self._next_retry is None or retry_at < self._next_retry):
            self._next_retry = retry_at
            self._wake.set()
        if self.manual:  # kept for wait_finished only: in production the set would grow by every fire, forever
            async with self._finished:
                self._finished_ids.add(fire.id)
                self._finished.notify_all()

    async def wait_finished(self, fires: list[Fire], timeout: float = 10) -> None:
        """Wait until every given fire has recorded its outcome (used by tests and the demo, on a ManualClock)."""
        if not self.manual:
            raise RuntimeError("wait_finished() needs a ManualClock")
        wanted = {fire.id for fire in fires}
        async with asyncio.timeout(timeout), self._finished:
            await self._finished.wait_for(lambda: wanted <= self._finished_ids)
