"""Startup, unknown routes, authentication and clean shutdown."""

from __future__ import annotations

import gc
import logging
import warnings
from collections.abc import Callable
from typing import Any

import aiohttp
import discord
import pytest

from discord_sandbox import Sandbox
from tests.support.sandbox import run_bot


async def test_bot_shuts_down_without_unclosed_resources(
    sandbox: Sandbox, world: dict[str, Any], make_bot: Callable[[], Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="asyncio")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with run_bot(make_bot(), sandbox):
            ix = await sandbox.invoke(world["guild"], world["members"][0], "ping")
            assert (await ix.response()).content == "pong"
        gc.collect()
    unclosed = [str(w.message) for w in caught if "nclosed" in str(w.message)]
    unclosed += [r.getMessage() for r in caplog.records if "nclosed" in r.getMessage()]
    assert unclosed == []
    assert not sandbox.connected


async def test_unknown_route_is_a_discord_404(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    with pytest.raises(discord.NotFound) as info:
        await bot.http.request(discord.http.Route("GET", "/guilds/{guild_id}/emojis", guild_id=world["guild"].id))
    assert info.value.code == 0 and info.value.text == "404: Not Found"
    assert sandbox.unknown_routes == [f"GET /guilds/{world['guild'].id}/emojis"]


async def test_wrong_token_is_401(sandbox: Sandbox) -> None:
    async with aiohttp.ClientSession() as session:
        headers = {"Authorization": "Bot wrong"}
        async with session.get(f"{sandbox.api_base}/users/@me", headers=headers) as resp:
            assert resp.status == 401
            assert await resp.json() == {"message": "401: Unauthorized", "code": 0}


async def test_rest_reads_match_the_world(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    guild, member = world["guild"], world["members"][2]
    fetched = await bot.fetch_guild(guild.id)
    assert fetched.name == "Group"
    got = await fetched.fetch_member(member.id)
    assert got.display_name == "Trainee C"
    assert {r.name for r in await fetched.fetch_roles()} >= {"@everyone", "Supervisor"}
    assert {c.name for c in await fetched.fetch_channels()} == {"general", "quiz"}
    user = await bot.fetch_user(member.id)
    assert user.id == member.id


async def test_privileged_intents_bot_chunks_members_and_reads_messages(
    sandbox: Sandbox, world: dict[str, Any], make_bot: Callable[..., Any]
) -> None:
    intents = discord.Intents.default() | discord.Intents(members=True, message_content=True)
    async with run_bot(make_bot(intents), sandbox) as bot:
        await bot.wait_until_ready()  # ready waits for the GUILD_MEMBERS_CHUNK answer to op 8
        guild = bot.get_guild(world["guild"].id)
        assert guild.chunked and guild.get_member(world["members"][0].id) is not None
        sandbox.post_message(world["quiz"], world["members"][1], "hello bot")
        reply = await sandbox.wait_for_message(world["quiz"], lambda m: m.author.id == sandbox.bot_user.id)
        assert reply.content == "hello Trainee B"
        newcomer = sandbox.create_member(world["guild"], "Newcomer")
        await sandbox.sync_gateway()
        assert guild.get_member(newcomer.id).display_name == "Newcomer"


async def test_user_context_menu(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    ix = await sandbox.invoke_context_menu(world["guild"], world["members"][0], "Profile", world["members"][2])
    assert (await ix.response()).content == "profile of Trainee C"
