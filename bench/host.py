"""Child process running one bot (ours or the baseline) against a sandbox; obeys JSON lines on stdin."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import math
import os
import sys
import time
import tracemalloc
from typing import Any

from bench.lag import LagProbe
from bench.stats import percentile

TOKEN_ENV = "BENCH_SANDBOX_TOKEN"
# discord.py's `speed` extra and what aiohttp picks up from it; hidden from a bot run --without-speed.
SPEED_MODULES = ("orjson", "aiodns", "pycares", "brotli", "brotlicffi", "zstandard")
COMMAND_LIMIT = 64 * 1024 * 1024


def memory_kb() -> dict[str, int]:
    """This process's resident (VmRSS) and peak resident (VmHWM) memory, in KiB."""
    out = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0])
    return {"rss_kb": out.get("VmRSS", 0), "hwm_kb": out.get("VmHWM", 0)}


def top_allocations(limit: int = 12) -> list[tuple[str, int]]:
    """(file, KiB) of the live Python allocations, biggest first, when tracemalloc runs."""
    if not tracemalloc.is_tracing():
        return []
    stats = tracemalloc.take_snapshot().statistics("filename")[:limit]
    return [(str(s.traceback[0].filename), s.size // 1024) for s in stats]


def lag_figures(lag: list[float]) -> dict[str, float]:
    """p50, p99 and the worst of a loop-lag probe's samples, in seconds."""
    return {"p50": percentile(lag, 50), "p99": percentile(lag, 99), "max": max(lag, default=math.nan)}


def emit(message: dict[str, Any]) -> None:
    """Send one JSON line to the parent."""
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.host")
    parser.add_argument("--kind", choices=("ours", "baseline", "floor"), required=True)
    parser.add_argument("--api-base", required=True)
    parser.add_argument("--db", required=True, help="SQLite file (ours only)")
    parser.add_argument("--guilds", type=int, required=True, help="guilds to see before reporting ready")
    parser.add_argument("--clock", choices=("manual", "system"), default="manual")
    parser.add_argument("--profile", help="write cProfile stats of the main thread here at quit")
    parser.add_argument("--what-if", default="", help="ours only: a diagnostic variant (see bench.whatif)")
    parser.add_argument("--tracemalloc", action="store_true", help="report the biggest allocations when ready")
    parser.add_argument(
        "--without-speed", action="store_true", help="run as if discord.py's `speed` extra were not installed"
    )
    parser.add_argument(
        "--global-rate",
        type=float,
        default=None,
        help="Discord's global limit the bot works under (ours: [discord] global_rate_limit; baseline: its pacing);"
        " 0 for none",
    )
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    """Start the bot, report ready with memory figures, then answer commands until 'quit'."""
    if args.tracemalloc:
        tracemalloc.start()
    if args.kind == "ours":
        from bench.host_ours import OursHost as Host
    else:
        # "floor": the baseline plus one durable SQLite commit per answer (bench/host_baseline.py).
        from bench.host_baseline import BaselineHost as Host  # type: ignore[assignment]
    host = Host(args)
    await host.start(os.environ[TOKEN_ENV])
    emit({"event": "ready", "monotonic": time.monotonic(), **memory_kb(), "allocations": top_allocations()})
    probe = LagProbe()
    window: cProfile.Profile | None = None  # a cProfile of one window of work, between profile_start and _stop
    reader = asyncio.StreamReader(limit=COMMAND_LIMIT)
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        while line := await reader.readline():
            command = json.loads(line)
            if command["cmd"] == "quit":
                break
            try:
                if command["cmd"] == "lag_start":
                    probe.start()
                    reply = {}
                elif command["cmd"] == "lag_stop":
                    lag = await probe.stop()
                    # A long window has too many samples for one reply line: its figures instead.
                    reply = {"lag_figures": lag_figures(lag)} if command.get("figures") else {"lag": lag}
                elif command["cmd"] == "profile_start":
                    window = cProfile.Profile()
                    window.enable()
                    reply = {}
                elif command["cmd"] == "profile_stop":
                    if window is not None:
                        window.disable()
                        window.dump_stats(command["path"])
                    window, reply = None, {}
                elif command["cmd"] == "cpu":
                    times = os.times()
                    reply = {"cpu_seconds": times.user + times.system, **memory_kb()}
                else:
                    reply = await host.command(command)
            except Exception as error:  # report to the parent instead of dying silently
                reply = {"error": f"{type(error).__name__}: {error}"}
            emit({"event": "reply", **reply})
    finally:
        await host.stop()
    emit({"event": "stopped"})


def hide_speed_modules() -> None:
    """Make importing the `speed` extra's packages fail, so discord.py and aiohttp fall back as without them."""
    for name in SPEED_MODULES:
        sys.modules[name] = None  # type: ignore[assignment]  # None in sys.modules: ImportError on import


def main() -> None:
    args = parse_args()
    if args.without_speed:
        hide_speed_modules()  # before anything imports discord or aiohttp
    profiler = cProfile.Profile() if args.profile else None
    if profiler is not None:
        profiler.enable()
    try:
        asyncio.run(serve(args))
    finally:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile)


if __name__ == "__main__":
    main()
