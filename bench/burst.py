"""Benchmark 3: an answer burst, one quiz-answer click from each of many members within one second."""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bench.driving import Outcome, callback_times, outcome, paced, wait_settled
from bench.interactive import quiz_session
from bench.profiling import maybe_pyspy
from bench.scale import Scale


@dataclass
class BurstRun:
    """Latencies of the burst and, for our bot, the answer rows it stored."""

    result: Outcome
    rows: int | None


async def run_once(kind: str, scale: Scale, workdir: Path, spy: Path | None = None, **bot: object) -> BurstRun:
    """Every member presses an answer; the clicks are spread evenly over one second."""
    async with quiz_session(kind, scale.burst_clicks, workdir, **bot) as s:  # type: ignore[arg-type]
        actions = [functools.partial(s.sb.click, t.member, t.message, t.custom_id) for t in s.targets]
        async with maybe_pyspy(s.bot.proc.pid, spy):
            interactions = await paced(actions, rate=len(actions))
            await wait_settled(s.sb, interactions, timeout=20)
        result = outcome(interactions, callback_times(s.sb))
        result.violations = len(s.sb.take_violations())
        db = s.bot.db
    rows = None
    if kind == "ours":
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT COUNT(*) FROM quiz_answers").fetchone()[0]
    return BurstRun(result, rows)
