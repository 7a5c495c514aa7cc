"""Per-member limits beside anonymous data (check-ins per week, feedback per meeting), in process memory only.

A count per member has to be keyed to the member somehow. Kept on disk, that key could be recomputed by
whoever holds the files, and its rows would sit beside the anonymous rows in time. Kept here, under a key that
is never written anywhere, it vanishes with the process: a restart resets everyone's count for the period,
which the privacy statement says. Two processes on one database each keep their own count.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from collections import Counter


class PeriodLimit:
    """How many times each member has acted per server and period, by a keyed hash of their id.

    A period is any label that sorts in time: an ISO week ("2026-W10") for check-ins, a meeting for feedback.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._key = secrets.token_bytes(32)
        self._used: dict[tuple[int, str], Counter[str]] = {}
        self._lock = asyncio.Lock()

    def _member(self, user_id: int) -> str:
        return hmac.new(self._key, str(user_id).encode("ascii"), hashlib.sha256).hexdigest()

    def used(self, guild_id: int, period: str, user_id: int) -> int:
        """Return how many check-ins the member has made in the server's period."""
        return self._used.get((guild_id, period), Counter())[self._member(user_id)]

    async def take(self, guild_id: int, period: str, user_id: int) -> bool:
        """Count one more if the member is under the limit; False if they are not."""
        async with self._lock:
            counts = self._used.setdefault((guild_id, period), Counter())
            member = self._member(user_id)
            if counts[member] >= self.limit:
                return False
            counts[member] += 1
            return True

    async def give_back(self, guild_id: int, period: str, user_id: int) -> None:
        """Undo a take() whose write could not be made."""
        async with self._lock:
            counts = self._used.get((guild_id, period))
            if counts is not None and counts[self._member(user_id)] > 0:
                counts[self._member(user_id)] -= 1

    def forget(self, guild_id: int, period: str) -> None:
        """Drop one period's counts: it has closed and can never matter again."""
        self._used.pop((guild_id, period), None)

    def forget_before(self, guild_id: int, period: str) -> None:
        """Drop the counts of a server's weeks before `period`: they can never matter again."""
        for key in [k for k in self._used if k[0] == guild_id and k[1] < period]:
            del self._used[key]
