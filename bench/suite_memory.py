"""Benchmark 4 as a section: resident memory and start-to-ready time, each bot in its own process."""

from __future__ import annotations

from pathlib import Path

from bench import memory
from bench.profiling import short_path, summarize_cprofile
from bench.rounds import interleaved, what_ifs
from bench.scale import Scale
from bench.sections import Row, Section
from bench.stats import fmt_ratio, median, mib, ratio, secs, spread
from discord_sandbox import Sandbox


def _allocations(run: memory.StartRun) -> str:
    lines = [f"{kib / 1024:7.1f} MiB  {short_path(file)}" for file, kib in run.allocations]
    return "\n".join(lines) or "(no tracemalloc data)"


async def run(scale: Scale, workdir: Path, profile: bool) -> Section:
    g, m = scale.memory_guilds, scale.memory_members
    section = Section("memory", f"4. Memory and start ({g} servers × {m} members, 3 schedules per server)")
    async with Sandbox(validate_schema=False) as sb:
        world = memory.build_world(sb, g, m)
        template = workdir / "memory-template.sqlite3"
        await memory.prepare_database(template, world)
        await memory.first_start(sb, g, template, workdir)
        results = await interleaved(scale.rounds, lambda kind: memory.run_once(kind, sb, g, template, workdir))
        rss = {k: median([r.rss_kb for r in results[k]]) for k in results}
        start = {k: median([r.seconds for r in results[k]]) for k in results}
        section.rows += [
            Row("resident memory when ready (VmRSS)", mib(rss["ours"]), mib(rss["baseline"]),
                fmt_ratio(ratio(rss["ours"], rss["baseline"])), "≤ 1.2× baseline",
                ratio(rss["ours"], rss["baseline"]) <= 1.2),
            Row("process start → ready (schedules rebuilt)", secs(start["ours"]), secs(start["baseline"]),
                fmt_ratio(ratio(start["ours"], start["baseline"])), "≤ 1.5× baseline",
                ratio(start["ours"], start["baseline"]) <= 1.5),
        ]  # fmt: skip
        per_round = [ratio(o.seconds, b.seconds) for o, b in zip(results["ours"], results["baseline"], strict=True)]
        section.notes += [
            f"Medians of {scale.rounds} interleaved rounds; per-round start ratio range {spread(per_round)}.",
            "The sandbox runs in the harness process; each bot runs in its own child process, which reads its own "
            "/proc/self/status when ready. Start time is measured by the harness from spawning the process.",
            "Ready = every guild cached and (ours) the scheduler started after rebuilding its timers; ours runs with "
            "the system clock so every schedule gets a timer. Both bots use guild_ready_timeout=0.05 s.",
            f"Ours starts on a fresh copy of a database prepared through bot.repos ({3 * g} schedules) and started "
            "on once before (unmeasured), as a deployment's database has been: that first start synced the slash "
            "commands, so each measured start is a restart, which finds them unchanged and syncs nothing (the bare "
            "baseline never syncs).",
        ]
        if profile and section.missed:
            prof = workdir / "memory.prof"
            await memory.run_once("ours", sb, g, template, workdir, profile=prof)
            traced = await memory.run_once("ours", sb, g, template, workdir, trace_memory=True)
            section.profiles.append(
                ("tracemalloc of our bot when ready: live Python memory by file", _allocations(traced))
            )
            section.profiles.append(("cProfile of our bot from process start to ready",
                                     summarize_cprofile(prof)))  # fmt: skip

            async def variant(name: str) -> str:
                r = await memory.run_once("ours", sb, g, template, workdir, what_if=name)
                return f"{mib(r.rss_kb)}, ready in {secs(r.seconds)}"

            await what_ifs(
                section, ("shared-triggers",), variant, f"{mib(rss['ours'])}, ready in {secs(start['ours'])}"
            )
    return section
