"""Benchmark 2: fan-out of quiz posts to many servers plus DM prompts to many members in one minute."""

from __future__ import annotations

import contextlib
import cProfile
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import stalls
from bench.proc import BotProcess, spawn
from bench.profiling import maybe_pyspy
from bench.scale import Scale
from discord_sandbox import Sandbox

MAX_LATER_TICKS = 6
TICK_SECONDS = 300


@dataclass
class FanoutRun:
    """How long until the last message landed, and the HTTP traffic it took."""

    seconds: float
    expected: int
    delivered: int
    accepted: int
    rate_limited: int
    dm_channels: int
    later_ticks: int = 0  # ours: DM ticks (5 minutes apart in production) it took to deliver what was held back
    cpu_seconds: float = 0.0  # the bot process's CPU time (user + system) from the clock move to settled
    rss_kb: int = 0  # the bot's resident memory once settled
    # With probe_lag: how late the bot's loop woke from 5 ms sleeps during the window (p50, p99, max), in seconds.
    lag: dict[str, float] = field(default_factory=dict)

    def floor(self, rate: float) -> float:
        """Seconds the accepted requests need at a global limit of `rate` per second (requests / rate)."""
        return self.accepted / rate


def _world(sb: Sandbox, guilds: int, members: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    posts, subs = [], []
    created = []
    for number in range(guilds):
        guild = sb.create_guild(f"Supervision group {number}")
        channel = sb.create_text_channel(guild, "quiz")
        created.append(guild)
        posts.append((guild.id, channel.id))
    for number in range(members):
        guild = created[number % guilds]
        subs.append((guild.id, sb.create_member(guild, f"Trainee {number}").id))
    return posts, subs


def _is_message_post(method: str, path: str) -> bool:
    return method == "POST" and path.startswith("/channels/") and path.endswith("/messages")


@dataclass(frozen=True)
class WindowProfiles:
    """What to record of the timed window, each where given.

    bot, harness: cProfile stats of the bot's main thread, and of this (the sandbox's) process.
    timeline: each request of the window, as seconds from the clock move, method, path and status.
    stalls: this process's loop lag and garbage-collection passes in the window (bench.stalls), as text.
    """

    bot: Path | None = None
    harness: Path | None = None
    timeline: Path | None = None
    stalls: Path | None = None


async def _act_and_settle(proc: BotProcess, sb: Sandbox, kind: str, expected: int, before: int, wait: float) -> int:
    """Move the clock, wait until the bot has settled every fire; return the later DM ticks it took."""
    ticks = 0
    await proc.call(cmd="advance", minutes=65, timeout=900)
    # Once the bot says all its work is done, nothing more is coming: don't wait out a timeout.
    await proc.call(cmd="settle", wait=wait, timeout=wait + 60)
    # What Discord rate-limited past discord.py's retries stays due for a later tick: count the ticks.
    while kind == "ours" and len(sb.world.messages) - before < expected and ticks < MAX_LATER_TICKS:
        ticks += 1
        await proc.call(cmd="advance", minutes=5, timeout=900)
        await proc.call(cmd="settle", wait=wait, timeout=wait + 60)
    with contextlib.suppress(TimeoutError):
        await sb.wait_for(lambda: len(sb.world.messages) - before >= expected, timeout=10, what="every message")
    return ticks


async def run_once(
    kind: str,
    scale: Scale,
    workdir: Path,
    *,
    limited: bool,
    spy: Path | None = None,
    profiles: WindowProfiles | None = None,
    probe_lag: bool = False,
    **bot: object,
) -> FanoutRun:
    """One bot: set up schedules/subscriptions, then time from the clock move to the last message."""
    record = profiles or WindowProfiles()
    async with Sandbox(validate_schema=False) as sb:
        posts, subs = _world(sb, scale.fanout_guilds, scale.fanout_members)
        # Each bot is told the limit it works under: ours paces scheduled work just under it, the baseline spaces
        # its sends likewise; without a limit neither paces.
        rate = scale.global_rate if limited else 0.0
        proc = await spawn(kind, sb, workdir, guilds=len(posts), global_rate=rate, **bot)  # type: ignore[arg-type]
        try:
            await proc.call(cmd="setup_fanout", guilds=posts, subs=subs, timeout=900)
            expected = len(posts) + len(subs)
            before, mark = len(sb.world.messages), len(sb.log)
            wait = (3 * 2 * expected / scale.global_rate if limited else 0) + 300
            if limited:
                sb.faults.limit_global_rate(scale.global_rate)
            cpu_before = (await proc.call(cmd="cpu"))["cpu_seconds"]
            harness = cProfile.Profile() if record.harness is not None else None
            if record.bot is not None:
                await proc.call(cmd="profile_start")
            if probe_lag:  # how long a click arriving during the fan-out would wait for the loop
                await proc.call(cmd="lag_start")
            watched = stalls.watch() if record.stalls is not None else contextlib.nullcontext(stalls.Stalls())
            with stalls.frozen_heap():
                async with maybe_pyspy(proc.proc.pid, spy), watched as paused:
                    if harness is not None:
                        harness.enable()
                    started = time.monotonic()
                    ticks = await _act_and_settle(proc, sb, kind, expected, before, wait)
                    if harness is not None:
                        harness.disable()
            if harness is not None and record.harness is not None:
                harness.dump_stats(record.harness)
            if record.stalls is not None:
                record.stalls.write_text(paused.summary() + "\n", encoding="utf-8")
            if record.bot is not None:
                await proc.call(cmd="profile_stop", path=str(record.bot))
            lag = (await proc.call(cmd="lag_stop", figures=True))["lag_figures"] if probe_lag else {}
            sb.faults.limit_global_rate(None)
            after = await proc.call(cmd="cpu")
        finally:
            await proc.quit()
        window = [e for e in sb.log[mark:] if e.kind == "http"]
        if record.timeline is not None:
            rows = [f"{e.time - started:.4f} {e.method} {e.path} {e.status}" for e in window]
            record.timeline.write_text("\n".join(rows) + "\n", encoding="utf-8")
        landed = [e.time for e in window if _is_message_post(e.method, e.path) and e.status == 200]
        return FanoutRun(
            # A later tick comes five minutes after the one before in production; the ManualClock skips that wait.
            seconds=(max(landed) - started + ticks * TICK_SECONDS) if landed else math.nan,
            expected=expected,
            delivered=len(landed),
            accepted=sum(e.status != 429 for e in window),
            rate_limited=sum(e.status == 429 for e in window),
            dm_channels=sum(e.method == "POST" and e.path == "/users/@me/channels" and e.status == 200 for e in window),
            later_ticks=ticks,
            cpu_seconds=after["cpu_seconds"] - cpu_before,
            rss_kb=after["rss_kb"],
            lag=lag,
        )
