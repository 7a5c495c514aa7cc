"""Reaching Discord: retry at start with backoff, give up after a bounded time, and say so in one line each."""

from __future__ import annotations

import asyncio
import logging
import time

import aiohttp
import discord

log = logging.getLogger("bot.connect")

# What a network that is down, or a Discord that is having trouble, raises. A 4xx is not here: a
# rejected token or a refused request will not get better by waiting.
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    aiohttp.ClientError,
    asyncio.TimeoutError,
    discord.DiscordServerError,
    discord.GatewayNotFound,
)
FIRST_WAIT_SECONDS = 1.0
LONGEST_WAIT_SECONDS = 60.0


class DiscordUnreachable(Exception):
    """Discord could not be reached at start within the configured time."""


def describe(error: BaseException) -> str:
    """One line naming a network failure, without its traceback."""
    if isinstance(error, discord.DiscordServerError):
        return f"Discord answered {error.status}"
    if isinstance(error, discord.ConnectionClosed):
        return f"the gateway closed the connection (code {error.code})"
    if isinstance(error, asyncio.TimeoutError):
        return "timed out"
    if isinstance(error, aiohttp.ClientConnectorError):
        reason = error.os_error.strerror or type(error.os_error).__name__
        return f"cannot connect to {error.host}:{error.port}: {reason}"
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


async def login_with_retry(client: discord.Client, token: str, give_up_after: float) -> None:
    """Log in, retrying network failures with backoff; raise DiscordUnreachable once time is up.

    One WARNING line per failed attempt says what failed and when the next try is.
    """
    deadline = time.monotonic() + give_up_after
    wait = FIRST_WAIT_SECONDS
    while True:
        try:
            await client.login(token)
            return
        except NETWORK_ERRORS as error:
            # A fresh HTTP session and connector for the next try: closing the session closed its
            # connector, which discord.py would otherwise reuse.
            await client.http.close()
            client.http.connector = discord.utils.MISSING
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DiscordUnreachable(
                    f"could not reach Discord for {give_up_after:g} s ({describe(error)}); giving up"
                ) from None
            pause = min(wait, remaining, LONGEST_WAIT_SECONDS)
            log.warning("Discord unreachable (%s); next try in %.0f s", describe(error), max(pause, 1))
            await asyncio.sleep(pause)
            wait *= 2


# What discord.py logs, with a traceback, before each reconnect: the plain client's line and a shard's.
CLIENT_RECONNECT = "Attempting a reconnect in %.2fs"
SHARD_RECONNECT = "Attempting a reconnect for shard ID %s in %.2fs"


class ReconnectNotice(logging.Filter):
    """On discord.py's client and shard loggers: each reconnect as one WARNING line, the login line only once.

    A dropped connection is an expected network condition; discord.py logs it with log.exception,
    which prints some sixty lines per attempt.
    """

    def __init__(self) -> None:
        super().__init__()
        self._logged_in_once = False

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == "logging in using static token":
            # Said once; a start that retries would repeat it before every attempt's warning.
            seen, self._logged_in_once = self._logged_in_once, True
            return not seen
        args = record.args if isinstance(record.args, tuple) else ()
        if record.msg in (CLIENT_RECONNECT, SHARD_RECONNECT) and record.exc_info:
            error = record.exc_info[1]
            retry = args[-1] if args else 0
            shard = f" (shard {args[0]})" if record.msg == SHARD_RECONNECT and len(args) == 2 else ""
            record.msg = "Discord connection lost%s (%s); reconnecting in %.0f s"
            record.args = (shard, describe(error) if error else "unknown", retry)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


_NOTICE = ReconnectNotice()


def quiet_reconnects() -> None:
    """Install the reconnect notice on discord.py's client and shard loggers, once."""
    for name in ("discord.client", "discord.shard"):
        logger = logging.getLogger(name)
        if _NOTICE not in logger.filters:
            logger.addFilter(_NOTICE)
