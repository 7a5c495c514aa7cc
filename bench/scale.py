"""How big each benchmark is, for the full run and the quick smoke test."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """Sizes and round counts; every round runs our bot and the baseline once each, interleaved."""

    name: str
    rounds: int
    limited_rounds: int
    latency_rate: float
    latency_seconds: float
    fanout_guilds: int
    fanout_members: int
    burst_clicks: int
    memory_guilds: int
    memory_members: int = 12
    render_members: int = 50
    render_weeks: int = 12
    render_journal: int = 30
    ceiling_servers: tuple[int, ...] = (2500, 10000, 25000)
    global_rate: float = 50.0


FULL = Scale(
    "full",
    rounds=3,
    limited_rounds=2,
    latency_rate=50,
    latency_seconds=30,
    fanout_guilds=500,
    fanout_members=1000,
    burst_clicks=1000,
    memory_guilds=2500,
)
QUICK = Scale(
    "quick",
    rounds=2,
    limited_rounds=1,
    latency_rate=50,
    latency_seconds=10,
    fanout_guilds=50,
    fanout_members=100,
    burst_clicks=200,
    memory_guilds=250,
    render_members=15,
    render_weeks=6,
    render_journal=10,
    ceiling_servers=(500, 2600),
)
