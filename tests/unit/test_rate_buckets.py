"""discord.py's idle rate-limit buckets: looked for once a minute, not once per new bucket, and still forgotten."""

from __future__ import annotations

import asyncio

import pytest
from discord.http import HTTPClient, Ratelimit

from bot.rate_buckets import sweep_buckets_lazily

CHANNELS = 2_000  # a fan-out's worth of channels, each its own bucket
IDLE = 301.0  # discord.py forgets a bucket idle for 300 s


@pytest.fixture
def looks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many buckets discord.py looked at (Ratelimit.is_inactive calls), counted as they happen."""
    seen = [0]
    original = Ratelimit.is_inactive

    def counted(self: Ratelimit) -> bool:
        seen[0] += 1
        return original(self)

    monkeypatch.setattr(Ratelimit, "is_inactive", counted)
    return seen


def channel_route(channel: int) -> str:
    return f"POST /channels/{channel}/messages"


async def test_discord_py_alone_looks_through_every_bucket_for_each_new_one(looks: list[int]) -> None:
    # The cost the change removes, measured on discord.py itself: without it the count grows with the square.
    http = HTTPClient(asyncio.get_running_loop())
    for channel in range(CHANNELS):
        http.get_ratelimit(channel_route(channel))
    assert looks[0] > CHANNELS * (CHANNELS - 256) // 2


async def test_a_fan_out_to_thousands_of_channels_looks_through_the_buckets_once(looks: list[int]) -> None:
    http = HTTPClient(asyncio.get_running_loop())
    sweep_buckets_lazily(http)
    for channel in range(CHANNELS):
        http.get_ratelimit(channel_route(channel))
    assert len(http._buckets) == CHANNELS
    assert looks[0] <= CHANNELS  # one look through them at most, within the minute


async def test_idle_buckets_are_still_forgotten_once_the_interval_has_passed(looks: list[int]) -> None:
    loop = asyncio.get_running_loop()
    http = HTTPClient(loop)
    for channel in range(300):  # buckets of channels posted to more than five minutes ago
        idle = http._buckets[channel_route(channel)] = Ratelimit(None)
        idle._last_request = loop.time() - IDLE
    sweep_buckets_lazily(http, every=0.0)  # every look allowed, so the test need not wait a minute
    fresh = http.get_ratelimit(channel_route(10_000))
    assert list(http._buckets.values()) == [fresh]


async def test_wrapping_twice_changes_nothing(looks: list[int]) -> None:
    http = HTTPClient(asyncio.get_running_loop())
    sweep_buckets_lazily(http)
    once = http._try_clear_expired_ratelimits
    sweep_buckets_lazily(http)
    assert http._try_clear_expired_ratelimits is once
