"""Snowflake ids and ISO timestamps like Discord's."""

from __future__ import annotations

import datetime
import itertools

DISCORD_EPOCH_MS = 1420070400000


class SnowflakeFactory:
    """Strictly increasing snowflakes whose timestamp part is the real creation time."""

    def __init__(self) -> None:
        self._counter = itertools.count()
        self._last = 0

    def next(self) -> int:
        now_ms = int(datetime.datetime.now(datetime.UTC).timestamp() * 1000)
        value = ((now_ms - DISCORD_EPOCH_MS) << 22) | (1 << 17) | (next(self._counter) & 0xFFF)
        # Keep ids unique and ordered even when the 12-bit increment wraps inside one millisecond.
        value = max(value, self._last + 1)
        self._last = value
        return value


def iso(dt: datetime.datetime | None = None) -> str:
    """Discord's timestamp format (ISO 8601 with offset)."""
    return (dt or datetime.datetime.now(datetime.UTC)).isoformat()
