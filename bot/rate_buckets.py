"""discord.py's idle rate-limit buckets forgotten once a minute, rather than looked for on every new bucket.

discord.py keeps a rate-limit bucket per route and channel, and each time it makes a new one (once it holds
256) it looks through all of them for those idle five minutes. A weekly fan-out posts to thousands of
channels, each a new bucket, so every post looked through every bucket: CPU in proportion to servers ×
posts, 131 s of a 10,000-server fan-out under cProfile (bench/analysis.md). Looking at most once a minute
forgets the same idle buckets, a minute later at worst.
"""

from __future__ import annotations

import functools
import time
from typing import Any

SWEEP_EVERY = 60.0


def sweep_buckets_lazily(http: Any, every: float = SWEEP_EVERY) -> None:
    """Make a discord.py HTTPClient look for idle rate-limit buckets at most once per `every` seconds."""
    # discord.py calls self._try_clear_expired_ratelimits() from get_ratelimit(), so the instance attribute
    # wins; a discord.py without it (a later version) keeps its own behaviour.
    sweep = getattr(http, "_try_clear_expired_ratelimits", None)
    if sweep is None or getattr(sweep, "__wrapped__", None) is not None:
        return
    last: float | None = None

    @functools.wraps(sweep)
    def sweep_at_most_once_per_interval() -> None:
        nonlocal last
        now = time.monotonic()
        if last is None or now - last >= every:
            last = now
            sweep()

    http._try_clear_expired_ratelimits = sweep_at_most_once_per_interval
