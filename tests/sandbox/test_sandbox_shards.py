"""Sharding as Discord does it: one shard per 2,500 servers, each server's events on its own shard only."""

from __future__ import annotations

import asyncio
from collections import Counter

import discord
import pytest

from discord_sandbox import Sandbox
from discord_sandbox.gateway import GUILDS_PER_SHARD, recommended_shards, shard_of
from tests.support.sandbox import run_bot

SERVERS = GUILDS_PER_SHARD + 1  # one more than a session may hold: two shards


class ShardedToy(discord.AutoShardedClient):
    """Asks GET /gateway/bot for its shard count, as AutoShardedClient does on Discord."""

    def __init__(self, api_base: str) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(intents=intents, guild_ready_timeout=0.05)
        discord.http.Route.BASE = api_base
        self.channel_events: list[tuple[int, int]] = []

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return  # discord.py waits 5 s between IDENTIFYs for Discord's limit; the sandbox does not enforce it

    async def on_guild_channel_create(self, channel: discord.abc.GuildChannel) -> None:
        self.channel_events.append((channel.guild.id, channel.guild.shard_id))


def _many_servers(sb: Sandbox) -> list[int]:
    return [sb.create_guild(f"Group {n}").id for n in range(SERVERS)]


async def test_sharded_bot_gets_each_server_once_on_its_shard(sandbox: Sandbox) -> None:
    ids = _many_servers(sandbox)
    bot = ShardedToy(sandbox.api_base)
    async with run_bot(bot, sandbox, timeout=30):
        await asyncio.wait_for(bot.wait_until_ready(), 60)
        assert bot.shard_count == 2
        assert sorted(g.id for g in bot.guilds) == sorted(ids)
        sent = Counter(e.json["id"] for e in sandbox.log if e.kind == "gateway" and e.path == "GUILD_CREATE")
        assert len(sent) == SERVERS and set(sent.values()) == {1}, "each server is sent once, on one shard"
        per_shard = Counter(shard_of(gid, 2) for gid in ids)
        assert per_shard[0] and per_shard[1], per_shard

        # A server on shard 1 gets a channel: only shard 1's session hears of it, once.
        guild = next(g for g in sandbox.world.guilds.values() if shard_of(g.id, 2) == 1)
        sandbox.create_text_channel(guild, "quiz")
        await sandbox.sync_gateway(timeout=10)
        assert bot.channel_events == [(guild.id, 1)]


async def test_unsharded_bot_over_the_limit_is_told_to_shard(sandbox: Sandbox) -> None:
    _many_servers(sandbox)
    restore = sandbox.configure_discord()
    intents = discord.Intents.none()
    intents.guilds = True
    plain = discord.Client(intents=intents)
    try:
        with pytest.raises(discord.ConnectionClosed) as closed:
            await asyncio.wait_for(plain.start(sandbox.token), 30)
        assert closed.value.code == 4011  # Discord's "Sharding required."
    finally:
        await plain.close()
        restore()


def test_recommended_count_leaves_no_shard_over_the_limit() -> None:
    assert recommended_shards([n << 22 for n in range(GUILDS_PER_SHARD)]) == 1
    # Ids that all fall on shard 0 of 2: a third shard is needed, not the nominal one per 2,500.
    uneven = [(2 * n) << 22 for n in range(GUILDS_PER_SHARD + 1)]
    assert recommended_shards(uneven) == 3
