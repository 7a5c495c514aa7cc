"""Benchmark 1 as a section: steady-rate interaction latency, ours against the baseline."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

from bench import latency
from bench.driving import DEADLINE, Outcome
from bench.rounds import explain, interleaved, what_ifs
from bench.scale import Scale
from bench.sections import Row, Section
from bench.stats import fmt_ratio, ms, percentile, ratio, spread

# What each interaction kind is measured against: the bare baseline for reads, the fair floor for writes.
WRITES = {"quiz answer"}
FLOOR = "floor"
# Run when a target is missed: one run of ours per variant (bench/whatif.py), to size a suspected cause.
VARIANTS = ("no-cross-process-look",)


async def run(scale: Scale, workdir: Path, profile: bool) -> Section:
    kinds = ("ours", "baseline", FLOOR)
    results = await interleaved(scale.rounds, lambda kind: latency.run_once(kind, scale, workdir), kinds)
    total = int(scale.latency_rate * scale.latency_seconds)
    section = Section(
        "latency",
        f"1. Interaction latency ({scale.latency_rate:g}/s for {scale.latency_seconds:g} s, {total} per run)",
    )

    def pooled(kind: str, label: str) -> list[float]:
        return [v for run_result in results[kind] for v in run_result[label].values]

    for label in latency.LABELS:
        ours, base, floor = pooled("ours", label), pooled("baseline", label), pooled(FLOOR, label)
        for q in (50, 99):
            o, b, f = percentile(ours, q), percentile(base, q), percentile(floor, q)
            if label in WRITES:
                limit = 1.2 if q == 50 else 1.5
                section.rows.append(
                    Row(
                        f"p{q}, {label} (vs fair floor)",
                        ms(o),
                        f"{ms(f)} (floor)",
                        fmt_ratio(ratio(o, f)),
                        f"≤ {limit:g}× floor",
                        ratio(o, f) <= limit,
                    )
                )
                section.rows.append(
                    Row(f"p{q}, {label} (vs bare baseline)", ms(o), ms(b), fmt_ratio(ratio(o, b)), "—", None)
                )
            else:
                section.rows.append(
                    Row(
                        f"p{q}, {label} (read-only)",
                        ms(o),
                        ms(b),
                        fmt_ratio(ratio(o, b)),
                        "≤ 1.5× baseline",
                        ratio(o, b) <= 1.5,
                    )
                )
    for q in (50, 99):
        o, b = percentile(pooled("ours", "all"), q), percentile(pooled("baseline", "all"), q)
        section.rows.append(Row(f"p{q}, all interactions", ms(o), ms(b), fmt_ratio(ratio(o, b)), "—", None))
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
        ratio(percentile(o["quiz answer"].values, 50), percentile(f["quiz answer"].values, 50))
        for o, f in zip(results["ours"], results[FLOOR], strict=True)
    ]
    section.notes += [
        f"{scale.rounds} interleaved rounds of three bots (ours, the bare baseline, the fair floor), pooled; "
        f"per-round quiz-answer p50 ratio to the floor {spread(per_round)}.",
        "Half the stream is quiz-answer clicks (each member answers question 1 once, on the ephemeral question "
        "their own Take click opened during setup), half is `/reflect prompt`. Each member has run "
        "`/reflect prompt` once during setup, unmeasured, as members of a running group have: a member's first "
        "command in a server also stores their Discord language for DMs (one durable write, once), and a "
        "measured `/reflect prompt` is meant to be the read-only command it is from then on.",
        "Fair floor: the bare baseline doing the same Discord work plus, for each quiz answer, one durable "
        "`INSERT` committed on its own (aiosqlite, WAL, `synchronous=FULL` as ours) before it answers. A quiz "
        "answer writes, so it is held to the floor; `/reflect prompt` only reads, so it is held to the bare "
        "baseline.",
        "Latency = the sandbox's INTERACTION_CREATE send time (Interaction.sent_at) to the time it logged the "
        "accepted callback request.",
    ]
    if profile and section.missed:
        short = replace(scale, latency_seconds=min(scale.latency_seconds, 10))
        await explain(section, workdir, functools.partial(latency.run_once, "ours", short, workdir))

        async def variant(name: str) -> str:
            # The full length and both kinds, so the figures compare with the table's; one run of ours each.
            return p50s(await latency.run_once("ours", scale, workdir, what_if=name))

        measured = p50s({label: Outcome(pooled("ours", label), 0, 0) for label in latency.LABELS})
        await what_ifs(section, VARIANTS, variant, measured)
    return section


def p50s(result: dict[str, Outcome]) -> str:
    """Each interaction kind's p50, as the what-if lines show it."""
    return ", ".join(f"{label} p50 {ms(percentile(result[label].values, 50))}" for label in latency.LABELS)
