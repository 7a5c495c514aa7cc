"""Interleaved rounds (ours/baseline, then baseline/ours, ...) and the profiling of a missed target."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from bench.profiling import pyspy_path, summarize_cprofile, summarize_pyspy
from bench.sections import Section

T = TypeVar("T")
KINDS = ("ours", "baseline")


async def interleaved(
    rounds: int, run: Callable[[str], Awaitable[T]], kinds: tuple[str, ...] = KINDS
) -> dict[str, list[T]]:
    """Run every bot once per round, rotating who goes first, so drift on the machine hits them all."""
    results: dict[str, list[T]] = {kind: [] for kind in kinds}
    for number in range(rounds):
        turn = number % len(kinds)
        order = kinds[turn:] + kinds[:turn]
        for kind in order if number % 2 == 0 else order[::-1]:
            results[kind].append(await run(kind))
    return results


async def explain(
    section: Section, workdir: Path, run_ours: Callable[..., Awaitable[Any]], *, sampled: bool = True
) -> None:
    """Profile our bot in extra runs (not counted above): cProfile of its main thread, py-spy of every thread."""
    prof = workdir / f"{section.name}.prof"
    await run_ours(profile=prof)
    section.profiles.append(("cProfile of our bot's main thread (extra run)", summarize_cprofile(prof)))
    if sampled and pyspy_path() is not None:
        raw = workdir / f"{section.name}.pyspy.txt"
        await run_ours(spy=raw)
        section.profiles.append(
            ("py-spy of our bot, every thread, busy samples only (extra run)", summarize_pyspy(raw))
        )


async def what_ifs(
    section: Section, variants: tuple[str, ...], run_variant: Callable[[str], Awaitable[str]], measured: str
) -> None:
    """Run our bot once per diagnostic variant (bench.whatif) and list the figure each gives, to size a fix."""
    lines = [f"as measured above: {measured}"]
    for variant in variants:
        lines.append(f"{variant}: {await run_variant(variant)}")
    text = "\n".join(lines)
    section.profiles.append(("What-if runs of our bot, patched in the benchmark's child process only", text))
