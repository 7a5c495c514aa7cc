"""The emulator's pytest helpers: a `sandbox` fixture that fails tests breaking Discord rules, and run_bot().

Test support, not shipped: it needs pytest-asyncio. Use from any conftest.py (the import registers the fixture):
from tests.support.sandbox import sandbox
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any, TypeVar

import discord
import pytest_asyncio

from discord_sandbox import Sandbox
from discord_sandbox.discord_target import reset_discord_target

ClientT = TypeVar("ClientT", bound=discord.Client)


def assert_no_violations(sb: Sandbox) -> None:
    """Fail with every recorded violation listed."""
    if sb.violations:
        listing = "\n  ".join(sb.violations)
        raise AssertionError(f"the bot broke {len(sb.violations)} Discord rule(s):\n  {listing}")


@contextlib.asynccontextmanager
async def running_sandbox(**kwargs: Any) -> AsyncIterator[Sandbox]:
    """A started sandbox, stopped afterwards, with discord.py pointed back at Discord."""
    sb = Sandbox(**kwargs)
    await sb.start()
    try:
        yield sb
    finally:
        await sb.stop()
        reset_discord_target()


@pytest_asyncio.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """A fresh sandbox per test; teardown fails the test if the bot broke a Discord rule."""
    async with running_sandbox() as sb:
        yield sb
        assert_no_violations(sb)


@contextlib.asynccontextmanager
async def run_bot(bot: ClientT, sb: Sandbox, *, timeout: float = 15) -> AsyncIterator[ClientT]:
    """Start `bot` with the sandbox token, wait for its IDENTIFY, close it cleanly on exit."""
    # The bot itself must point discord.py at the sandbox (Route.BASE before login, gateway before
    # connect); sb.configure_discord() does both for bots that don't.
    before = sb.hub.identifies
    earlier = set(sb.hub.sessions)
    task = asyncio.create_task(bot.start(sb.token), name="sandbox-bot")
    connected = asyncio.create_task(sb.wait_for_bot(identifies=before + 1, timeout=timeout))
    try:
        done, _ = await asyncio.wait({task, connected}, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            connected.cancel()
            await task  # re-raises the reason the bot stopped (bad URL, login failure...)
            raise RuntimeError("the bot stopped before connecting to the sandbox gateway")
        await connected
        yield bot
    finally:
        connected.cancel()
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        # The server notices the close asynchronously; wait for every session opened since this bot started
        # (one per shard; a bot started inside this block has closed its own by now), so the next bot never
        # races a dying session.
        for session_id in set(sb.hub.sessions) - earlier:
            session = sb.hub.sessions[session_id]
            await sb.world.notifier.wait_for(
                lambda s=session: True if s.conn is None else None, timeout, "the bot's gateway session to close"
            )
