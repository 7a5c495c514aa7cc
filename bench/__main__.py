"""`python -m bench [--quick] [--only NAME]`: run the benchmarks and write bench/RESULTS.md."""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import logging
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

from bench import suite_burst, suite_ceiling, suite_fanout, suite_latency, suite_memory, suite_render, suite_speed
from bench.report import render, save_run
from bench.scale import FULL, QUICK, Scale
from bench.sections import Section

Suite = Callable[[Scale, Path, bool], Awaitable[Section]]
SUITES: dict[str, Suite] = {
    "latency": suite_latency.run,
    "fanout": suite_fanout.run,
    "burst": suite_burst.run,
    "memory": suite_memory.run,
    "render": suite_render.run,
    "speed": suite_speed.run,
    "ceiling": suite_ceiling.run,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="scaled-down smoke run (about two minutes)")
    parser.add_argument("--only", choices=sorted(SUITES), action="append", help="run only this benchmark (repeatable)")
    parser.add_argument(
        "--profile",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="profile our bot where a target is missed (default: on, off with --quick)",
    )
    parser.add_argument(
        "--servers",
        type=int,
        action="append",
        help="ceiling only: measure this server count instead of the scale's list (repeatable; for iterating)",
    )
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    parser.add_argument("--render-only", action="store_true", help="re-write the Markdown from the saved .json run")
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the saved run's other benchmarks and replace only those run now (each says when it ran)",
    )
    return parser.parse_args(argv)


async def run_all(args: argparse.Namespace) -> list[Section]:
    scale = QUICK if args.quick else FULL
    if args.servers:
        scale = replace(scale, ceiling_servers=tuple(args.servers))
    sections = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for name in args.only or list(SUITES):
            began = time.monotonic()
            print(f"bench: {name} ({scale.name}) ...", file=sys.stderr, flush=True)
            profile = not args.quick if args.profile is None else args.profile
            section = await SUITES[name](scale, Path(tmp), profile)
            section.notes.append(f"Wall time of this benchmark, profiles included: {time.monotonic() - began:.0f} s.")
            print(section.markdown(), flush=True)
            sections.append(section)
    return sections


def compile_project() -> None:
    """Write the project's bytecode before any bot starts, as `pip install` does for an installed package.

    discord.py comes compiled from its wheel; our packages, run from a checkout with PYTHONDONTWRITEBYTECODE
    set, would otherwise be compiled from source at every start (0.1 s and a few MiB that no installed bot pays).
    """
    root = Path(__file__).resolve().parent.parent
    for package in ("bot", "cogs", "discord_sandbox", "bench"):
        compileall.compile_dir(root / package, quiet=1)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # the harness's sandbox logs its violations; the table counts them
    if args.render_only:
        render(args.output, json.loads(args.output.with_suffix(".json").read_text(encoding="utf-8")))
        return 0
    compile_project()
    began = time.monotonic()
    sections = asyncio.run(run_all(args))
    run = save_run(
        args.output, sections, quick=args.quick, argv=sys.argv[1:], seconds=time.monotonic() - began, merge=args.merge
    )
    render(args.output, run)
    print(f"bench: wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
