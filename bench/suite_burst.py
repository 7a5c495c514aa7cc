"""Benchmark 3 as a section: an answer burst, rows recorded and deadlines kept."""

from __future__ import annotations

import functools
from pathlib import Path

from bench import burst
from bench.rounds import explain, interleaved
from bench.scale import Scale
from bench.sections import Row, Section
from bench.stats import fmt_ratio, ms, percentile, ratio


async def run(scale: Scale, workdir: Path, profile: bool) -> Section:
    n = scale.burst_clicks
    results = await interleaved(scale.rounds, lambda kind: burst.run_once(kind, scale, workdir))
    section = Section("burst", f"3. Answer burst ({n} quiz-answer clicks from {n} members within one second)")
    ours_rows = [r.rows or 0 for r in results["ours"]]
    lost = sum(n - rows for rows in ours_rows)
    missed = {k: sum(r.result.late + r.result.missing + r.result.violations for r in results[k]) for k in results}
    section.rows += [
        Row("answer rows recorded (per run)", " / ".join(map(str, ours_rows)), "— (no storage)", "—", f"{n}", None),
        Row("answers lost (all runs)", str(lost), "—", "—", "0", lost == 0),
        Row("deadlines missed (late > 3 s, refused or unanswered)", str(missed["ours"]), str(missed["baseline"]),
            "—", "0", missed["ours"] == 0),
    ]  # fmt: skip
    section.rows[0].met = all(rows == n for rows in ours_rows)
    for q in (50, 99):
        o = percentile([v for r in results["ours"] for v in r.result.values], q)
        b = percentile([v for r in results["baseline"] for v in r.result.values], q)
        section.rows.append(Row(f"p{q} latency", ms(o), ms(b), fmt_ratio(ratio(o, b)), "—", None))
    section.notes.append(f"{scale.rounds} interleaved rounds, latencies pooled. Clicks are paced evenly over 1 s.")
    if profile and section.missed:
        await explain(section, workdir, functools.partial(burst.run_once, "ours", scale, workdir))
    return section
