"""Benchmark 2 as a section: fan-out without a rate limit and under Discord's global 50 requests/s."""

from __future__ import annotations

import functools
import math
from pathlib import Path

from bench import fanout
from bench.profiling import summarize_pyspy
from bench.rounds import explain, interleaved, what_ifs
from bench.scale import Scale
from bench.sections import Row, Section
from bench.stats import fmt_ratio, median, ratio, secs, spread

VARIANTS = ("one-hop-reads", "cached-banks", "one-hop-reads+cached-banks")


def _time(runs: list[fanout.FanoutRun]) -> float:
    """Median time to the last message; NaN if any run lost messages."""
    return math.nan if _lost(runs) else median([r.seconds for r in runs])


def _lost(runs: list[fanout.FanoutRun]) -> int:
    return sum(r.expected - r.delivered for r in runs)


def _shown(runs: list[fanout.FanoutRun]) -> str:
    """The median time, or the time the bot gave up plus how many messages never arrived."""
    lost = _lost(runs)
    return secs(median([r.seconds for r in runs])) + (f" ({lost} never arrived)" if lost else "")


async def run(scale: Scale, workdir: Path, profile: bool) -> Section:
    g, m, rate = scale.fanout_guilds, scale.fanout_members, scale.global_rate
    free = await interleaved(scale.rounds, lambda k: fanout.run_once(k, scale, workdir, limited=False))
    capped = await interleaved(scale.limited_rounds, lambda k: fanout.run_once(k, scale, workdir, limited=True))
    section = Section("fanout", f"2. Fan-out ({g} servers' quizzes open in one minute + {m} DM prompts)")
    o, b = _time(free["ours"]), _time(free["baseline"])
    section.rows.append(Row("time to last message, no rate limit", _shown(free["ours"]), _shown(free["baseline"]),
                            fmt_ratio(ratio(o, b)),
                            "≤ 1.3× baseline", ratio(o, b) <= 1.3))  # fmt: skip
    oc, bc = _time(capped["ours"]), _time(capped["baseline"])
    section.rows.append(Row(f"time to last message, global {rate:g} req/s", _shown(capped["ours"]),
                            _shown(capped["baseline"]),
                            fmt_ratio(ratio(oc, bc)), "—", None))  # fmt: skip
    floors = {k: median([r.floor(rate) for r in capped[k]]) for k in capped}
    vs = {k: ratio(_time(capped[k]), floors[k]) for k in capped}
    section.rows.append(Row(f"time ÷ floor (requests needed ÷ {rate:g}/s)",
                            f"{fmt_ratio(vs['ours'])} of {secs(floors['ours'])}",
                            f"{fmt_ratio(vs['baseline'])} of {secs(floors['baseline'])}", "—",
                            "≤ 1.05× floor (ours)", vs["ours"] <= 1.05))  # fmt: skip
    for label, runs in (("no limit", free), (f"{rate:g}/s", capped)):
        delivered = {k: "/".join(f"{r.delivered}" for r in runs[k]) for k in runs}
        every = all(r.delivered == g + m for k in runs for r in runs[k])
        section.rows.append(Row(f"messages delivered per run ({label})", delivered["ours"], delivered["baseline"],
                                "—", f"{g + m} each, both bots", every))  # fmt: skip
    ticks = "/".join(str(r.later_ticks) for r in capped["ours"])
    section.rows.append(Row(f"later DM ticks needed ({rate:g}/s)", ticks, "—", "—", "0", None))
    counts = {k: capped[k][-1] for k in capped}
    section.notes += [
        f"Requests counted honestly: {g} channel posts + {m} DM-channel creations (`POST /users/@me/channels`) + "
        f"{m} DMs = {g + 2 * m} expected. Accepted requests in the last capped run: ours "
        f"{counts['ours'].accepted} ({counts['ours'].rate_limited} answered 429), baseline "
        f"{counts['baseline'].accepted} ({counts['baseline'].rate_limited} answered 429).",
        "Time runs from the moment the harness tells the bot to act (ours: advance the ManualClock 65 minutes; "
        "baseline: send everything with asyncio.gather) to the last message the sandbox accepted.",
        f"Under the {rate:g}/s cap both bots are told the limit: ours paces scheduled requests just under it "
        "(`[discord] global_rate_limit`), the baseline spaces its sends the same way and sends again whatever "
        "still met a 429, so both deliver everything. Without the cap neither paces. A DM ours had to hold "
        "back goes on a later tick (five minutes later in production); each such tick adds 300 s to its time.",
        "Setup (servers, settings and quiz_opens schedules via bot.repos, subscriptions via "
        "bot.repos.subscriptions.subscribe) happens before and is not timed.",
        f"Medians of {scale.rounds} (no limit) and {scale.limited_rounds} (capped) interleaved rounds; no-limit "
        f"per-round ratio range {spread([ratio(a.seconds, c.seconds) for a, c in zip(*free.values(), strict=True)])}.",
        "A run that lost messages shows n/a for its time: it never finished.",
    ]
    if profile and section.missed:
        run_ours = functools.partial(fanout.run_once, "ours", scale, workdir, limited=False)
        await explain(section, workdir, run_ours)
        if any(r.delivered < r.expected for r in capped["ours"]):
            raw = workdir / "fanout-capped.pyspy.txt"
            await fanout.run_once("ours", scale, workdir, limited=True, spy=raw)
            section.profiles.append(("py-spy of our bot under the global cap (extra run)", summarize_pyspy(raw)))

        async def variant(name: str) -> str:
            return secs((await run_ours(what_if=name)).seconds)

        await what_ifs(section, VARIANTS, variant, secs(o))
    return section
