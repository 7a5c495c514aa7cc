"""Scheduled work paced just under Discord's global rate limit; interactions never wait.

Discord allows a bot a fixed number of requests per second across every route (50 unless Discord
raised it). A weekly fan-out (hundreds of quiz posts, a DM per member) would otherwise send as fast as
it can, meet a global 429, and have its waiting requests all retry into a window that is still full;
discord.py gives up on a request after five tries. Spacing the scheduled requests evenly at just under
the limit means they never meet a 429 at all, and the fan-out takes requests ÷ rate seconds.

Only work run for a claimed fire is paced: `scheduled_work()` marks the task (and every task it starts)
through a context variable, and the HTTP client waits for a slot only when the mark is set. Interaction
responses go through Discord's webhook endpoints, which the global limit does not cover, and requests
made while answering a member are never marked, so a member never waits behind a fan-out.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_SCHEDULED: contextvars.ContextVar[bool] = contextvars.ContextVar("scheduled_work", default=False)
# Paced requests this task has let go to Discord: work cancelled while still waiting for its slot sent nothing.
_STARTED: contextvars.ContextVar[int] = contextvars.ContextVar("paced_requests_started", default=0)
# Requests per second kept free under the limit: Discord's window and the arrival times of requests
# both jitter, and a member's command may also make a request (a DM channel, a post) in that second.
HEADROOM = 1.0
# How much sooner than a full interval after the last request the next one may go, so that waking a little
# late from each sleep does not slow a fan-out down; a pause longer than this is not made up for.
SLACK = 0.25


def mark_scheduled_work() -> None:
    """Mark the running task, and the tasks it goes on to start, as scheduled work to be paced."""
    _SCHEDULED.set(True)


def is_scheduled_work() -> bool:
    """Whether the running task is doing scheduled work."""
    return _SCHEDULED.get()


def requests_started() -> int:
    """How many paced requests the running task has sent on their way (not those still waiting for a slot)."""
    return _STARTED.get()


def paced_rate(global_limit: float) -> float:
    """The rate scheduled requests are spaced at for a global limit (0: no pacing)."""
    if global_limit <= 0:
        return 0.0
    return max(global_limit - HEADROOM, global_limit / 2)


class Pacer:
    """Lets scheduled requests go one at a time, first come first served, at most `rate` per second.

    Slots are spaced, not burst from a bucket: Discord counts requests in a sliding window, and a
    burst at the edge of one second would land in the same window as the start of the next. Each
    request waits for its turn, then for its slot, and only then is the next slot set: a process that
    was held up (a busy machine, a long step on the event loop) sends late, never in a burst that
    makes up for the lost time, because a burst after a pause meets a global 429 that stops every
    request for up to a second.
    """

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next_slot = 0.0
        self._turn = asyncio.Lock()  # FIFO: requests take their slots in the order they asked
        self.waited = 0  # how many requests had to wait for their slot (for the benchmarks and logs)

    async def wait(self, held: asyncio.Event | None = None) -> None:
        """Return at this caller's slot; at once when pacing is off or the next slot is free.

        `held`, when given, is clear while Discord holds every request after a global 429 (discord.py's
        own flag): the caller whose turn it is waits for it, and the queue behind waits for that caller.
        Without this, requests given their slots during the hold would all go the moment it ends, fill
        Discord's window at once, and meet the next global 429.
        """
        if self._interval == 0.0:
            return
        loop = asyncio.get_running_loop()
        async with self._turn:
            if held is not None and not held.is_set():
                await held.wait()
            slot = self._next_slot
            if slot > loop.time():
                self.waited += 1
                await asyncio.sleep(slot - loop.time())
            sent = loop.time()
            # The next slot keeps to the even spacing while this request went about on time (a sleep wakes a
            # little late, which must not add up over a fan-out), but comes no sooner than (1 - SLACK) of an
            # interval after this request actually went: after a pause, the spacing starts again from now.
            self._next_slot = max(slot + self._interval, sent + (1.0 - SLACK) * self._interval)

    def wrap(
        self, request: Callable[P, Awaitable[R]], held: Callable[[], asyncio.Event | None] = lambda: None
    ) -> Callable[P, Awaitable[R]]:
        """Wrap an HTTP request function so scheduled work waits for its slot; anything else goes at once."""

        @functools.wraps(request)
        async def paced(*args: P.args, **kwargs: P.kwargs) -> R:
            if _SCHEDULED.get():
                await self.wait(held())
                _STARTED.set(_STARTED.get() + 1)
            return await request(*args, **kwargs)

        return paced


def pace_http(http: Any, pacer: Pacer) -> None:
    """Make a discord.py HTTPClient wait for the pacer on every request of scheduled work."""
    # discord.py offers no hook in front of its requests; every REST call goes through
    # HTTPClient.request, which its own methods call as self.request, so the instance attribute wins.
    # Interaction responses and followups use the webhook adapter and are never paced.
    if getattr(http.request, "__wrapped__", None) is None:
        http.request = pacer.wrap(http.request, lambda: _global_hold(http))


def _global_hold(http: Any) -> asyncio.Event | None:
    """discord.py's flag that is clear while a global 429 holds every request (made at login)."""
    flag = getattr(http, "_global_over", None)
    return flag if isinstance(flag, asyncio.Event) else None
