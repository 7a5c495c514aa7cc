"""`python -m bench.profile_ceiling --servers N`: look inside one capped quiz fan-out of bench section 7.

Records the timed window of one fan-out at N servers under the global 50/s: cProfile of both processes (our
bot's main thread, and the harness process that runs the sandbox), a py-spy of every bot thread when py-spy
is installed, and the timeline of every request the sandbox saw; then prints their summaries. Evidence for
bench/analysis.md; not part of `python -m bench`. With --no-cprofile the run is timed as the bench times it.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from bench import fanout
from bench.profiling import summarize_cprofile, summarize_pyspy
from bench.scale import FULL

GAP = 0.1  # seconds without an accepted request that the timeline lists


async def record(servers: int, out: Path, cprofile: bool, spy: bool) -> fanout.FanoutRun:
    sized = replace(FULL, fanout_guilds=servers, fanout_members=0)
    profiles = fanout.WindowProfiles(
        bot=out / f"bot-{servers}.prof" if cprofile else None,
        harness=out / f"harness-{servers}.prof" if cprofile else None,
        timeline=out / f"timeline-{servers}.txt",
        stalls=out / f"stalls-{servers}.txt",
    )
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        return await fanout.run_once(
            "ours", sized, Path(tmp), limited=True, ready_timeout=900, profiles=profiles,
            spy=out / f"bot-{servers}.pyspy" if spy else None,
        )  # fmt: skip


def summarize_timeline(path: Path, rate: float) -> str:
    """When the first post went, the most requests Discord saw in one second, the 429s and the longest gaps."""
    rows = [line.split() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    times = [(float(t), int(status)) for t, _, _, status in rows]
    accepted = [t for t, status in times if status != 429]
    limited = [t for t, status in times if status == 429]
    if not accepted:
        return "(no request in the window)"
    most, start = 0, 0
    for end, moment in enumerate(accepted):
        while moment - accepted[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    gaps = sorted(((b - a, a) for a, b in itertools.pairwise(accepted)), reverse=True)
    lost = sum(gap - 1 / rate for gap, _ in gaps if gap > GAP)
    lines = [
        f"first request {accepted[0]:.2f} s after the clock move, last {accepted[-1]:.2f} s; "
        f"{len(accepted)} accepted, {len(limited)} answered 429; most accepted in one second: {most}",
        f"gaps over {GAP:g} s between accepted requests: {sum(g > GAP for g, _ in gaps)}, {lost:.1f} s in all "
        f"beyond the pace; the longest: " + ", ".join(f"{g:.2f} s at {t:.1f} s" for g, t in gaps[:8]),
    ]
    if limited:
        more = " ..." if len(limited) > 40 else ""
        lines.append("429s at (s): " + ", ".join(f"{t:.1f}" for t in limited[:40]) + more)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_ceiling", description=__doc__)
    parser.add_argument("--servers", type=int, default=10000)
    parser.add_argument("--out", type=Path, default=Path("bench-profiles"))
    parser.add_argument("--no-cprofile", action="store_true", help="time the run as the bench does (no cProfile)")
    parser.add_argument("--no-pyspy", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    run = asyncio.run(record(args.servers, args.out, not args.no_cprofile, not args.no_pyspy))
    floor = run.floor(FULL.global_rate)
    print(f"{args.servers} servers: {run.delivered}/{run.expected} delivered in {run.seconds:.1f} s "
          f"({run.seconds / floor:.2f}x the floor of {floor:.1f} s); bot CPU {run.cpu_seconds:.1f} s; "
          f"{run.rate_limited} answered 429")  # fmt: skip
    print("\n=== requests the sandbox saw ===")
    print(summarize_timeline(args.out / f"timeline-{args.servers}.txt", FULL.global_rate))
    print((args.out / f"stalls-{args.servers}.txt").read_text(encoding="utf-8"), end="")
    if not args.no_cprofile:
        for name in ("bot", "harness"):
            print(f"\n=== cProfile of the {name} process during the fan-out ===")
            print(summarize_cprofile(args.out / f"{name}-{args.servers}.prof", top=25))
    if not args.no_pyspy:
        print("\n=== py-spy of every bot thread ===")
        print(summarize_pyspy(args.out / f"bot-{args.servers}.pyspy", top=25))
    return 0


if __name__ == "__main__":
    sys.exit(main())
