"""Pauses of this (the harness's, so the sandbox's) process: event-loop lag and garbage-collection passes.

The sandbox stamps each request when its handler runs; a pause of the harness makes the requests that
arrived during it look as if they came at once, and under the global limit that can fill a one-second window
the bot never filled. Watching the pauses tells the emulator's share of a fan-out's 429s from the bot's.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

from bench.lag import LagProbe


@dataclass
class Stalls:
    """Loop lags (seconds each wake-up came late) and garbage-collection passes (generation, seconds)."""

    lags: list[float] = field(default_factory=list)
    collections: list[tuple[int, float]] = field(default_factory=list)

    def summary(self, over: float = 0.02) -> str:
        late = sorted((lag for lag in self.lags if lag > over), reverse=True)
        gen2 = [s for g, s in self.collections if g == 2]
        return (
            f"harness loop: {len(self.lags)} wake-ups, {len(late)} later than {1000 * over:.0f} ms "
            f"({sum(late):.1f} s in all; the longest {', '.join(f'{1000 * x:.0f}' for x in late[:6])} ms); "
            f"garbage collections: {len(self.collections)}, {sum(s for _, s in self.collections):.2f} s in all, "
            f"{len(gen2)} full ones taking {sum(gen2):.2f} s (the longest {1000 * max(gen2, default=0):.0f} ms)"
        )


@contextlib.asynccontextmanager
async def watch() -> AsyncIterator[Stalls]:
    """Record this process's loop lag and garbage-collection passes while the block runs."""
    stalls, probe, began = Stalls(), LagProbe(), [0.0]

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            stalls.collections.append((int(info["generation"]), time.perf_counter() - began[0]))

    gc.callbacks.append(on_gc)
    probe.start()
    try:
        yield stalls
    finally:
        stalls.lags = await probe.stop()
        gc.callbacks.remove(on_gc)


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep what exists now (the sandbox's world of thousands of servers) out of garbage collection for the block.

    A full collection walks every object the harness holds: 125 ms at 2,500 servers, during which the sandbox
    answers nothing and then stamps what arrived meanwhile as one burst. Frozen, it walks only what is new.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
