"""heap.settle: a large bot's long-lived objects leave the collector's full passes, and a replaced cache still goes."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot import heap


class CachedServer:
    """Stands in for discord.py's cached objects, which refer to each other (a server and its channels)."""

    def __init__(self) -> None:
        self.channel = {"guild": self}


@pytest.fixture(autouse=True)
def thawed() -> Iterator[None]:
    yield
    gc.unfreeze()


def test_a_cache_replaced_after_a_settle_is_freed_by_the_next_one() -> None:
    server = CachedServer()
    gone = weakref.ref(server)
    heap.settle(heap.SETTLE_FROM_SERVERS)
    assert gc.get_freeze_count() > 0
    del server  # a shard's new session replaced it: now garbage, but in a cycle only the collector can free
    gc.collect()
    assert gone() is not None  # frozen: full passes no longer walk it (that was the point)
    heap.settle(heap.SETTLE_FROM_SERVERS)
    assert gone() is None


def test_a_small_bot_is_left_to_the_collector() -> None:
    heap.settle(heap.SETTLE_FROM_SERVERS - 1)
    assert gc.get_freeze_count() == 0
