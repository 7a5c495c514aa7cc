"""Benchmark 1 as a section: steady-rate interaction latency, ours against the baseline."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

from bench import latency
from bench.driving import DEADLINE
from bench.rounds import explain, interleaved
from bench.scale import Scale
from bench.sections import Row, Section
from bench.stats import fmt_ratio, ms, percentile, ratio, spread


async def run(scale: Scale, workdir: Path, profile: bool) -> Section:
    results = await interleaved(scale.rounds, lambda kind: latency.run_once(kind, scale, workdir))
    total = int(scale.latency_rate * scale.latency_seconds)
    section = Section(
        "latency",
        f"1. Interaction latency ({scale.latency_rate:g}/s for {scale.latency_seconds:g} s, {total} per run)",
    )

    def pooled(kind: str, label: str) -> list[float]:
        return [v for run_result in results[kind] for v in run_result[label].values]

    for label in ("all", *latency.LABELS):
        ours, base = pooled("ours", label), pooled("baseline", label)
        name = "all interactions" if label == "all" else label
        for q, limit in ((50, 1.5), (99, 2.0)):
            o, b = percentile(ours, q), percentile(base, q)
            r = ratio(o, b)
            met = (r <= limit) if label == "all" else None
            target = f"≤ {limit:g}× baseline" if label == "all" else "—"
            section.rows.append(Row(f"p{q}, {name}", ms(o), ms(b), fmt_ratio(r), target, met))
    late = {k: sum(r["all"].late + r["all"].missing + r["all"].violations for r in results[k]) for k in results}
    worst = {k: max(pooled(k, "all"), default=float("nan")) for k in results}
    section.rows.append(
        Row(
            "slowest response; late (> 3 s), refused or unanswered",
            f"{ms(worst['ours'])}; {late['ours']}",
            f"{ms(worst['baseline'])}; {late['baseline']}",
            fmt_ratio(ratio(worst["ours"], worst["baseline"])),
            f"none later than {DEADLINE:g} s",
            late["ours"] == 0 and worst["ours"] <= DEADLINE,
        )
    )
    per_round = [
        ratio(percentile(o["all"].values, 50), percentile(b["all"].values, 50))
        for o, b in zip(results["ours"], results["baseline"], strict=True)
    ]
    section.notes += [
        f"{scale.rounds} interleaved rounds, pooled; per-round p50 ratio range {spread(per_round)}.",
        "Half the stream is quiz-answer clicks (each member answers question 1 once, on the ephemeral question "
        "their own Take click opened during setup), half is `/reflect prompt`.",
        "Latency = the sandbox's INTERACTION_CREATE send time (Interaction.sent_at) to the time it logged the "
        "accepted callback request.",
    ]
    if profile and section.missed:
        short = replace(scale, latency_seconds=min(scale.latency_seconds, 10))
        await explain(section, workdir, functools.partial(latency.run_once, "ours", short, workdir))
    return section
