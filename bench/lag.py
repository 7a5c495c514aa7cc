"""Event-loop lag inside a bot process: how late a short sleep wakes up while the bot works."""

from __future__ import annotations

import asyncio
import contextlib

INTERVAL = 0.005


class LagProbe:
    """Sleeps INTERVAL over and over and records how much later than asked each wake-up came.

    A coroutine that holds the loop (or a thread that holds the GIL) delays every wake-up behind it,
    so the lateness is what any interaction arriving then would wait before its handler even starts.
    """

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            asked = loop.time() + INTERVAL
            await asyncio.sleep(INTERVAL)
            self.samples.append(max(0.0, loop.time() - asked))

    def start(self) -> None:
        self.samples = []
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> list[float]:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        return self.samples
