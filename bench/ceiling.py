"""Benchmark 7: one process at growing server counts: memory, start to ready, and the weekly fan-out at 50/s."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from bench import fanout, memory
from bench.scale import Scale
from discord_sandbox import Sandbox
from discord_sandbox.gateway import recommended_shards

IDENTIFY_SPACING = 5.0  # seconds discord.py waits between shards' IDENTIFYs (Discord: max_concurrency 1)


@dataclass
class SizeRun:
    """Our bot in `servers` servers: start and memory with every schedule timed, then the quiz fan-out capped."""

    servers: int
    shards: int
    start_seconds: float
    rss_kb: int
    send: fanout.FanoutRun

    @property
    def identify_wait(self) -> float:
        """The part of start spent in discord.py's spacing of IDENTIFYs, which Discord requires."""
        return IDENTIFY_SPACING * (self.shards - 1)


async def run_size(servers: int, scale: Scale, workdir: Path) -> SizeRun:
    """Measure one server count: a fresh world for start and memory, another for the fan-out."""
    async with Sandbox(validate_schema=False) as sb:
        world = memory.build_world(sb, servers, scale.memory_members)
        template = workdir / f"ceiling-{servers}.sqlite3"
        await memory.prepare_database(template, world)
        start = await memory.run_once("ours", sb, servers, template, workdir, ready_timeout=900)
        shards = recommended_shards(sb.world.guilds.keys())
        template.unlink()
    sized = replace(scale, fanout_guilds=servers, fanout_members=0)
    send = await fanout.run_once("ours", sized, workdir, limited=True, ready_timeout=900, probe_lag=True)
    return SizeRun(servers, shards, start.seconds, start.rss_kb, send)
