"""Long-lived objects kept out of the garbage collector's full passes, so they cost no pause in a fan-out.

discord.py's cache holds a few objects per server and channel for as long as the bot runs. Python's full
collection walks every tracked object, and a weekly fan-out allocates enough to set one off: at 10,000
servers the worst pause of the event loop during the fan-out was 121 ms with the cache in the walk and
30 ms without it (bench section 7, what-if `gc-freeze`), and it grows with servers.
"""

from __future__ import annotations

import gc

# Below this many servers the cache is small and a full collection's pause a few milliseconds: not worth a
# collection of its own at start (which a test process, starting hundreds of bots, would pay each time).
SETTLE_FROM_SERVERS = 1000


def settle(servers: int) -> None:
    """Collect what is garbage now, then freeze everything still alive (gc.freeze), for a bot this large.

    Called when the gateway has delivered every server, and again whenever a shard starts a new session
    (its servers are rebuilt): unfreezing first lets the collection free the cache that was replaced, which
    frozen, it never would.
    """
    if servers < SETTLE_FROM_SERVERS:
        return
    gc.unfreeze()
    gc.collect()
    gc.freeze()
