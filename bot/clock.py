"""Clocks the scheduler's timer reads and sleeps on: the wall clock, or a manual one for tests and the demo."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from typing import Protocol

# The wall-clock timer never sleeps longer than this in one go, so a suspended machine or a clock
# step (NTP, a VM resumed) is noticed within a minute rather than after a long, stale sleep.
MAX_NAP_SECONDS = 60.0


class Clock(Protocol):
    """What the scheduler needs of a clock: the time now, and a sleep that a wake-up can cut short."""

    def __call__(self) -> datetime: ...

    async def sleep_until(self, deadline: datetime | None, wake: asyncio.Event) -> None:
        """Return once the clock reaches deadline (None: never), or as soon as wake is set."""
        ...


class SystemClock:
    """The wall clock, in UTC."""

    def __call__(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, deadline: datetime | None, wake: asyncio.Event) -> None:
        seconds = MAX_NAP_SECONDS if deadline is None else (deadline - self()).total_seconds()
        if seconds <= 0:
            return
        # On a timeout the caller looks at the clock again and sleeps on if the deadline is still ahead.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout=min(seconds, MAX_NAP_SECONDS))


system_clock = SystemClock()


class ManualClock:
    """A clock that only moves when told to, so tests and the demo never sleep.

    The scheduler's timer sleeps on it exactly as on the wall clock; advance() wakes every sleeper,
    which then finds the deadline reached (or not) and carries on as it would in production.
    """

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock needs a timezone-aware start")
        self.now = start
        self._sleepers: set[asyncio.Event] = set()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        """Move time forward, wake whatever sleeps on this clock, and return the new now."""
        self.now += delta
        for wake in self._sleepers:
            wake.set()
        return self.now

    async def sleep_until(self, deadline: datetime | None, wake: asyncio.Event) -> None:
        if deadline is not None and self.now >= deadline:
            return
        self._sleepers.add(wake)
        try:
            await wake.wait()
        finally:
            self._sleepers.discard(wake)
