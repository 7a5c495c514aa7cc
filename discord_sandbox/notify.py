"""Wake-ups for test code waiting on sandbox state, without polling or sleeps."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class Notifier:
    """Any state change calls changed(); waiters re-check their condition on each change."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None

    def changed(self) -> None:
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait_for(self, probe: Callable[[], T | None], timeout: float, what: str = "condition") -> T:
        """Return probe()'s first non-None value; TimeoutError naming `what` after `timeout` seconds."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    value = probe()
                    if value is not None:
                        return value
                    if self._event is None:
                        self._event = asyncio.Event()
                    await self._event.wait()
        except TimeoutError:
            raise TimeoutError(f"sandbox: timed out after {timeout}s waiting for {what}") from None
