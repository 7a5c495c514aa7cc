"""Benchmark 5 as a section: event-loop lag and the 3 s deadline while charts and exports render in a burst."""

from __future__ import annotations

from pathlib import Path

from bench import render
from bench.lag import INTERVAL
from bench.rounds import what_ifs
from bench.scale import Scale
from bench.sections import Row, Section
from bench.stats import ms, percentile


def _row(metric: str, values: list[float], target: str = "—", met: bool | None = None) -> Row:
    return Row(metric, ms(percentile(values, 99)) + f" (max {ms(max(values, default=float('nan')))})", "—", "—",
               target, met)  # fmt: skip


async def run(scale: Scale, workdir: Path, profile: bool) -> Section:
    n = scale.render_members
    runs = [await render.run_once(scale, workdir) for _ in range(scale.rounds)]
    section = Section(
        "render",
        f"5. Charts and exports under load ({n} members each ask for /quiz stats and /privacy export within one "
        f"second, /reflect prompt at {render.LIGHT_RATE:g}/s alongside)",
    )
    lag = [v for r in runs for v in r.lag]
    shown = " / ".join(ms(v) for v in (percentile(lag, 50), percentile(lag, 99), max(lag, default=float("nan"))))
    section.rows.append(Row("event-loop lag p50 / p99 / max", shown, "—", "—", "—", None))
    for label in (*render.HEAVY, render.LIGHT):
        values = [v for r in runs for v in r.responses[label].values]
        section.rows.append(_row(f"/{label}: first response p99", values))
    late = sum(o.late + o.missing for r in runs for o in r.responses.values()) + sum(r.violations for r in runs)
    section.rows.append(Row("first responses later than 3 s, refused or missing", str(late), "—", "—", "0",
                            late == 0))  # fmt: skip
    for label in render.HEAVY:
        values = [v for r in runs for v in r.delivered[label]]
        section.rows.append(_row(f"/{label}: files delivered, p99 from the command", values))
    undelivered = sum(r.undelivered for r in runs)
    section.rows.append(Row("charts or exports never delivered", str(undelivered), "—", "—", "0", undelivered == 0))
    seeded = runs[0].seeded
    section.notes += [
        f"{scale.rounds} runs of our bot, pooled (no baseline: a bare bot has no charts or exports to render).",
        f"Each member has {scale.render_weeks} weeks of answered quizzes ({seeded.get('answers', 0)} answers in all) "
        f"and {scale.render_journal} journal entries, written through bot.repos before the burst.",
        f"Event-loop lag: a task inside the bot process sleeps {INTERVAL * 1000:g} ms over and over and records "
        "how late each wake-up comes, from the burst's start until every file arrived. A late wake-up is the wait any "
        "interaction arriving then has before its handler starts.",
        "First response = INTERACTION_CREATE sent to the accepted initial callback (the deferral, for the two "
        "heavy commands); files delivered = to the accepted followup that carries the chart or the export.",
        "Charts render on one thread of their own and exports on another (bot/offload.py). Drawing is CPU work "
        "under CPython's one interpreter lock, so the charts queue and the last one arrives after about 0.4 s per "
        "chart; meanwhile the event loop keeps its turns, and the what-if run below shows the same burst on "
        "asyncio's default pool of several threads.",
    ]
    if profile:
        # What the render threads of bot/offload.py change: the same burst with charts and exports on asyncio's
        # default pool, as before them.
        async def variant(name: str) -> str:
            return _summary(await render.run_once(scale, workdir, what_if=name))

        await what_ifs(section, ("default-pool",), variant, _summary(*runs[-1:]))
    return section


def _summary(run: render.RenderRun) -> str:
    """One run in a line: loop lag, /reflect prompt's p99, and when the last chart and export arrived."""
    light = run.responses[render.LIGHT].values
    last = {label: max(values, default=float("nan")) for label, values in run.delivered.items()}
    return (
        f"loop lag p99 {ms(percentile(run.lag, 99))}, max {ms(max(run.lag, default=float('nan')))}; "
        f"/{render.LIGHT} p99 {ms(percentile(light, 99))}; last chart {ms(last['quiz stats'])}, "
        f"last export {ms(last['privacy export'])}"
    )
