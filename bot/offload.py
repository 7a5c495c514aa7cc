"""Slow CPU work off the event loop: charts on one worker thread, exports and PDFs on another.

CPython threads share one interpreter lock: more render threads do not draw faster, but each takes turns
with the event loop, so every interaction waits behind each of them. One thread per lane bounds what the
loop competes with; two lanes keep a quick export from queueing behind a burst of charts; and both keep
asyncio's default pool (the anonymous store's file rebuilds, DNS lookups for Discord's API) free.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@functools.cache
def _lane(name: str) -> ThreadPoolExecutor:
    # Made on first use: nothing starts at import time.
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)


async def _run(lane: str, func: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    call = functools.partial(contextvars.copy_context().run, func, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_lane(lane), call)


async def draw(func: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a chart function on the chart thread (as asyncio.to_thread would, on a thread of its own)."""
    return await _run("chart", func, *args, **kwargs)


async def write_document(func: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run an export, Markdown or PDF builder on the document thread."""
    return await _run("document", func, *args, **kwargs)
