"""Benchmark 1: interaction latency at a steady rate, quiz answer clicks mixed with /reflect prompt."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

from bench.driving import AnswerTarget, Outcome, callback_times, outcome, paced, wait_settled
from bench.interactive import Session, quiz_session
from bench.profiling import maybe_pyspy
from bench.scale import Scale

LABELS = ("quiz answer", "/reflect prompt")


async def used_before(s: Session, parallel: int = 20) -> None:
    """Each member runs /reflect prompt once, unmeasured: their first command stores their language (a write)."""
    turns = asyncio.Semaphore(parallel)

    async def one(target: AnswerTarget) -> None:
        async with turns:
            await (await s.sb.invoke(s.guild, target.member, "reflect prompt")).response(timeout=30)

    await asyncio.gather(*(one(target) for target in s.targets))
    s.sb.take_violations()


async def run_once(
    kind: str, scale: Scale, workdir: Path, spy: Path | None = None, **bot: object
) -> dict[str, Outcome]:
    """One bot, one stream; returns outcomes for 'all' and per interaction kind."""
    total = int(scale.latency_rate * scale.latency_seconds)
    async with quiz_session(kind, (total + 1) // 2, workdir, **bot) as s:  # type: ignore[arg-type]
        await used_before(s)
        actions, labels = [], []
        for index in range(total):
            target = s.targets[index // 2]
            if index % 2 == 0:
                actions.append(functools.partial(s.sb.click, target.member, target.message, target.custom_id))
            else:
                actions.append(functools.partial(s.sb.invoke, s.guild, target.member, "reflect prompt"))
            labels.append(LABELS[index % 2])
        async with maybe_pyspy(s.bot.proc.pid, spy):
            interactions = await paced(actions, scale.latency_rate)
        await wait_settled(s.sb, interactions, timeout=15)
        times = callback_times(s.sb)
        result = {"all": outcome(interactions, times)}
        for label in LABELS:
            result[label] = outcome([ix for ix, lab in zip(interactions, labels, strict=True) if lab == label], times)
        result["all"].violations = len(s.sb.take_violations())
        return result
