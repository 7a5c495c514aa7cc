"""Benchmark 6 as a section: discord.py's `speed` extra (orjson, aiodns, Brotli, zstandard) against none of it.

Both sides are our bot from the same install; the side without the extra hides its packages from the
child process (bench/host.py --without-speed), so discord.py and aiohttp fall back exactly as when it is
not installed. Rounds interleave the two, as every benchmark here does.
"""

from __future__ import annotations

from dataclasses import replace
from importlib import util
from pathlib import Path

from bench import fanout, latency, memory
from bench.host import SPEED_MODULES
from bench.rounds import interleaved
from bench.scale import Scale
from bench.sections import Row, Section
from bench.stats import fmt_ratio, median, mib, ms, percentile, ratio, secs, spread
from discord_sandbox import Sandbox

WITH, WITHOUT = "with", "without"


def _row(metric: str, ours: float, bare: float, shown: str, per_round: list[float]) -> Row:
    return Row(metric, shown.format(ours), shown.format(bare), f"{fmt_ratio(ratio(ours, bare))} "
               f"(rounds {spread(per_round)})", "< 1× to adopt", None)  # fmt: skip


async def run(scale: Scale, workdir: Path, profile: bool) -> Section:
    section = Section("speed", "6. discord.py's speed extra (ours with it / ours without it)")
    missing = [name for name in ("orjson", "aiodns", "brotli", "zstandard") if util.find_spec(name) is None]
    if missing:
        section.notes.append(f"Not measured: install discord.py[speed] first (missing {', '.join(missing)}).")
        return section
    kinds = (WITH, WITHOUT)
    g = scale.memory_guilds
    async with Sandbox(validate_schema=False) as sb:
        world = memory.build_world(sb, g, scale.memory_members)
        template = workdir / "speed-template.sqlite3"
        await memory.prepare_database(template, world)
        starts = await interleaved(
            scale.rounds, lambda k: memory.run_once("ours", sb, g, template, workdir, speed=k == WITH), kinds
        )
    short = replace(scale, latency_seconds=min(scale.latency_seconds, 10))
    clicks = await interleaved(scale.rounds, lambda k: latency.run_once("ours", short, workdir, speed=k == WITH), kinds)
    sends = await interleaved(
        scale.rounds, lambda k: fanout.run_once("ours", scale, workdir, limited=False, speed=k == WITH), kinds
    )

    def paired(values: dict[str, list[float]]) -> tuple[float, float, list[float]]:
        rounds = [ratio(a, b) for a, b in zip(values[WITH], values[WITHOUT], strict=True)]
        return median(values[WITH]), median(values[WITHOUT]), rounds

    start = paired({k: [r.seconds for r in starts[k]] for k in kinds})
    rss = paired({k: [float(r.rss_kb) for r in starts[k]] for k in kinds})
    section.rows.append(_row(f"start → ready, {g} servers", start[0], start[1], "{:.2f} s", start[2]))
    section.rows[-1].ours, section.rows[-1].baseline = secs(start[0]), secs(start[1])
    section.rows.append(_row(f"memory when ready, {g} servers", rss[0], rss[1], "", rss[2]))
    section.rows[-1].ours, section.rows[-1].baseline = mib(rss[0]), mib(rss[1])
    for q in (50, 99):
        pooled = {k: percentile([v for r in clicks[k] for v in r["all"].values], q) for k in kinds}
        rounds = [ratio(percentile(a["all"].values, q), percentile(b["all"].values, q))
                  for a, b in zip(clicks[WITH], clicks[WITHOUT], strict=True)]  # fmt: skip
        section.rows.append(_row(f"interaction p{q} at {short.latency_rate:g}/s", pooled[WITH], pooled[WITHOUT], "",
                                 rounds))  # fmt: skip
        section.rows[-1].ours, section.rows[-1].baseline = ms(pooled[WITH]), ms(pooled[WITHOUT])
    lost = sum(r.expected - r.delivered for k in kinds for r in sends[k])
    send = paired({k: [r.seconds for r in sends[k]] for k in kinds})
    section.rows.append(_row("fan-out, no rate limit: time to last message", send[0], send[1], "", send[2]))
    section.rows[-1].ours, section.rows[-1].baseline = secs(send[0]), secs(send[1])
    section.notes += [
        f"Our bot both times, {scale.rounds} interleaved rounds per figure; the Baseline column is the same bot "
        f"without the extra (its packages, {', '.join(SPEED_MODULES)}, hidden from the child process so discord.py "
        "falls back to json, zlib-stream gateway compression and aiohttp's threaded resolver).",
        f"Start and memory as in section 4 ({g} servers); interactions as in section 1 for {short.latency_seconds:g} s "
        f"per run; fan-out as in section 2 without the cap ({scale.fanout_guilds} posts + {scale.fanout_members} DMs; "
        f"messages lost in all runs: {lost}).",
        "The sandbox and the harness run in one process with the extra installed, the same for both sides.",
    ]
    return section
