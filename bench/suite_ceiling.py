"""Benchmark 7 as a section: how memory, start and the capped fan-out grow with servers, and where one machine ends."""

from __future__ import annotations

import math
from pathlib import Path

from bench import ceiling
from bench.machine import memory_gib
from bench.scale import Scale
from bench.sections import Row, Section
from bench.stats import mib, ms, secs

CORE_SHARE_LIMIT = 0.5  # the event loop's share of one core we call "keeping up": room left for bursts of clicks


def _slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of ys over xs (per unit of x)."""
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else math.nan


async def run(scale: Scale, workdir: Path, profile: bool) -> Section:
    section = Section("ceiling", "7. Where one machine ends (one process, growing server counts)")
    sizes = []
    for servers in scale.ceiling_servers:
        try:
            sizes.append(await ceiling.run_size(servers, scale, workdir))
        except (RuntimeError, TimeoutError) as error:  # keep what the smaller sizes measured
            section.rows.append(Row(f"{servers} servers: run failed", str(error).splitlines()[0][:200], "—", "—",
                                    "—", False))  # fmt: skip
    for r in sizes:
        s = r.send
        share = s.cpu_seconds / s.seconds if s.seconds else math.nan
        kept = s.delivered == s.expected and s.seconds <= 1.05 * s.floor(scale.global_rate)
        section.rows += [
            Row(f"{r.servers} servers ({r.shards} shard{'s' if r.shards > 1 else ''}): memory when ready",
                mib(r.rss_kb), "—", "—", "—", None),
            Row(f"{r.servers} servers: start → ready (IDENTIFY spacing in it)",
                f"{secs(r.start_seconds)} ({secs(r.identify_wait)})", "—", "—", "—", None),
            Row(f"{r.servers} servers: quiz fan-out at {scale.global_rate:g}/s, delivered; time ÷ floor",
                f"{s.delivered}/{s.expected}; {secs(s.seconds)}, {s.seconds / s.floor(scale.global_rate):.2f}×",
                "—", "—", "all, ≤ 1.05× floor", kept),
            Row(f"{r.servers} servers: bot CPU during the fan-out; per post; share of one core",
                f"{s.cpu_seconds:.1f} s; {1000 * s.cpu_seconds / max(s.delivered, 1):.2f} ms; {100 * share:.0f}%",
                "—", "—", "—", None),
            Row(f"{r.servers} servers: bot's event-loop lag during the fan-out: p99; worst",
                f"{ms(s.lag.get('p99', math.nan))}; {ms(s.lag.get('max', math.nan))}", "—", "—", "—", None),
            Row(f"{r.servers} servers: memory after the fan-out", mib(s.rss_kb), "—", "—", "—", None),
        ]  # fmt: skip
    if len(sizes) < 2:  # one size (--servers): nothing to draw a line through
        return section
    xs = [float(r.servers) for r in sizes]
    per_server_kib = _slope(xs, [float(r.rss_kb) for r in sizes])
    base_kib = sizes[0].rss_kb - per_server_kib * sizes[0].servers
    ram_kib = memory_gib() * 1024 * 1024
    by_memory = (0.8 * ram_kib - base_kib) / per_server_kib if per_server_kib > 0 else math.inf
    cpu_per_post = [r.send.cpu_seconds / max(r.send.delivered, 1) for r in sizes]
    cpu_slope = _slope(xs, cpu_per_post)
    # The loop keeps up with Discord's 50/s while 50 × CPU per post stays under CORE_SHARE_LIMIT of a core.
    budget = CORE_SHARE_LIMIT / scale.global_rate
    by_cpu = sizes[-1].servers + (budget - cpu_per_post[-1]) / cpu_slope if cpu_slope > 0 else math.inf
    start_slope = _slope(xs, [r.start_seconds - r.identify_wait for r in sizes])
    section.rows += [
        Row("growth: memory per 1,000 servers (least squares)", mib(per_server_kib * 1000), "—", "—", "—", None),
        Row("growth: start per 1,000 servers, besides IDENTIFY spacing", secs(start_slope * 1000), "—", "—", "—", None),
        Row("growth: fan-out CPU per post per 1,000 servers", f"{1e6 * cpu_slope:.3f} ms", "—", "—", "—", None),
        Row(f"servers at which memory reaches 80% of {memory_gib():.1f} GiB (linear)", _count(by_memory),
            "—", "—", "—", None),
        Row(f"servers at which the fan-out needs {100 * CORE_SHARE_LIMIT:.0f}% of a core at {scale.global_rate:g}/s "
            "(linear)", _count(by_cpu), "—", "—", "—", None),
    ]  # fmt: skip
    section.notes += [
        f"Our bot only, one run per size ({', '.join(str(n) for n in scale.ceiling_servers)} servers), each in its "
        "own process as an AutoShardedBot with the shard count GET /gateway/bot gives (one per 2,500 servers).",
        f"Start and memory: {scale.memory_members} members and 3 weekly schedules per server, system clock, as in "
        "section 4. discord.py waits 5 s between shards' IDENTIFYs (Discord allows one per 5 s unless a bot's "
        "max_concurrency is raised), shown apart because no code of ours can shorten it.",
        f"Fan-out: every server's quiz opens in the same minute, under the sandbox's global {scale.global_rate:g} "
        "requests/s; the floor is the requests it needs ÷ the limit. CPU is the bot process's user + system time "
        "from the clock move until every post is settled, over the wall time for the share of one core.",
        "Extrapolations are straight lines through the measured points; they say where to look, not a promise.",
    ]
    return section


def _count(value: float) -> str:
    return "not within reach (no growth measured)" if math.isinf(value) or math.isnan(value) else f"{value:,.0f}"
