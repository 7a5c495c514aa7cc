"""Benchmark 2: fan-out of quiz posts to many servers plus DM prompts to many members in one minute."""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass
from pathlib import Path

from bench.proc import spawn
from bench.profiling import maybe_pyspy
from bench.scale import Scale
from discord_sandbox import Sandbox


@dataclass
class FanoutRun:
    """How long until the last message landed, and the HTTP traffic it took."""

    seconds: float
    expected: int
    delivered: int
    accepted: int
    rate_limited: int
    dm_channels: int

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


async def run_once(
    kind: str, scale: Scale, workdir: Path, *, limited: bool, spy: Path | None = None, **bot: object
) -> FanoutRun:
    """One bot: set up schedules/subscriptions, then time from the clock move to the last message."""
    async with Sandbox(validate_schema=False) as sb:
        posts, subs = _world(sb, scale.fanout_guilds, scale.fanout_members)
        proc = await spawn(kind, sb, workdir, guilds=len(posts), **bot)  # type: ignore[arg-type]
        try:
            await proc.call(cmd="setup_fanout", guilds=posts, subs=subs, timeout=900)
            expected = len(posts) + len(subs)
            before, mark = len(sb.world.messages), len(sb.log)
            floor = 2 * expected / scale.global_rate
            if limited:
                sb.faults.limit_global_rate(scale.global_rate)
            async with maybe_pyspy(proc.proc.pid, spy):
                started = time.monotonic()
                await proc.call(cmd="advance", minutes=65, timeout=900)
                # Once the bot says all its work is done, nothing more is coming: don't wait out a timeout.
                await proc.call(cmd="settle", timeout=(3 * floor if limited else 0) + 300)
                with contextlib.suppress(TimeoutError):
                    await sb.wait_for(
                        lambda: len(sb.world.messages) - before >= expected, timeout=10, what="every message"
                    )
            sb.faults.limit_global_rate(None)
        finally:
            await proc.quit()
        window = [e for e in sb.log[mark:] if e.kind == "http"]
        landed = [e.time for e in window if _is_message_post(e.method, e.path) and e.status == 200]
        return FanoutRun(
            seconds=(max(landed) - started) if landed else math.nan,
            expected=expected,
            delivered=len(landed),
            accepted=sum(e.status != 429 for e in window),
            rate_limited=sum(e.status == 429 for e in window),
            dm_channels=sum(e.method == "POST" and e.path == "/users/@me/channels" and e.status == 200 for e in window),
        )
