"""Benchmark 5: event-loop lag and deadlines while many members' charts and exports render at once."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.driving import Outcome, callback_times, followup_times, outcome, paced, wait_settled
from bench.proc import spawn
from bench.profiling import maybe_pyspy
from bench.scale import Scale
from discord_sandbox import Interaction, Sandbox

HEAVY = ("quiz stats", "privacy export")
LIGHT = "reflect prompt"
LIGHT_RATE = 20.0
TAIL_SECONDS = 4.0  # the light stream goes on this long after the burst, while the renders drain


@dataclass
class RenderRun:
    """Initial responses per command, when each heavy command's files arrived, and the loop's lag."""

    responses: dict[str, Outcome]
    delivered: dict[str, list[float]]
    undelivered: int
    lag: list[float]
    violations: int = 0
    seeded: dict[str, int] = field(default_factory=dict)


async def run_once(scale: Scale, workdir: Path, spy: Path | None = None, **bot: object) -> RenderRun:
    """Every member asks for /quiz stats and /privacy export within one second, while others use /reflect prompt."""
    async with Sandbox(validate_schema=False) as sb:
        guild = sb.create_guild("Bench group")
        channel = sb.create_text_channel(guild, "quiz")
        people = [sb.create_member(guild, f"Trainee {i}") for i in range(scale.render_members)]
        proc = await spawn("ours", sb, workdir, guilds=1, **bot)  # type: ignore[arg-type]
        try:
            seeded = await proc.call(
                cmd="seed_history", guild=guild.id, channel=channel.id, members=[p.id for p in people],
                weeks=scale.render_weeks, journal=scale.render_journal, timeout=900,
            )  # fmt: skip
            for name in ("quiz", "privacy", "reflect"):
                await sb.wait_for(lambda n=name: sb.commands.find(None, n), timeout=30, what=f"/{name} registered")
            heavy: list[Callable[[], Awaitable[Interaction]]] = []
            labels: list[str] = []
            for person in people:
                for command in HEAVY:
                    heavy.append(functools.partial(sb.invoke, guild, person, command))
                    labels.append(command)
            window = 1.0 + TAIL_SECONDS
            light = [functools.partial(sb.invoke, guild, people[i % len(people)], LIGHT)
                     for i in range(int(LIGHT_RATE * window))]  # fmt: skip
            await proc.call(cmd="lag_start")
            async with maybe_pyspy(proc.proc.pid, spy):
                burst, stream = await asyncio.gather(paced(heavy, len(heavy)), paced(light, LIGHT_RATE))
                await wait_settled(sb, [*burst, *stream], timeout=15)
                await _files_delivered(sb, burst, timeout=120)
            lag = (await proc.call(cmd="lag_stop"))["lag"]
        finally:
            await proc.quit()
        answered, arrived = callback_times(sb), followup_times(sb)
        responses = {label: outcome([ix for ix, lab in zip(burst, labels, strict=True) if lab == label], answered)
                     for label in HEAVY}  # fmt: skip
        responses[LIGHT] = outcome(stream, answered)
        delivered: dict[str, list[float]] = {label: [] for label in HEAVY}
        undelivered = 0
        for ix, label in zip(burst, labels, strict=True):
            at = arrived.get(ix.token)
            if at is None or ix.sent_at is None:
                undelivered += 1
            else:
                delivered[label].append(at - ix.sent_at)
        return RenderRun(responses, delivered, undelivered, lag, len(sb.take_violations()), seeded)


async def _files_delivered(sb: Sandbox, interactions: list[Interaction], timeout: float) -> None:
    """Wait until every deferred command sent its followup (its chart or files)."""
    with contextlib.suppress(TimeoutError):  # what never came is counted as undelivered
        await sb.wait_for(
            lambda: all(ix.followups for ix in interactions) or None, timeout=timeout, what="every followup"
        )
