"""The baseline's fan-out: the same channel posts and DMs as our bot, built by the same render functions."""

from __future__ import annotations

import asyncio
import random

import discord

from bench.host_baseline import static_view
from bot.content.banks import prompt_bank
from cogs.quiz.render import announcement_embed
from cogs.reflect.render import prompt_embed


async def _post_quiz(bot: discord.Client, channel_id: int) -> None:
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    view = static_view(("sv:quiz:take:1", "Take this week's quiz"))
    await channel.send(embed=announcement_embed(None, 5, None), view=view)


async def _dm(bot: discord.Client, guild_id: int, user_id: int, rng: random.Random) -> None:
    prompt = rng.choice(prompt_bank())
    channel = await bot.create_dm(discord.Object(user_id))
    embed = prompt_embed(prompt, title="Your reflective prompt")
    guild = bot.get_guild(guild_id)
    embed.add_field(name="From", value=guild.name if guild else "your supervision group", inline=False)
    view = static_view((f"sv:reflect:write:{guild_id}:{prompt.id}", "Write a reflection"))
    await channel.send(embed=embed, view=view)


async def send_all(bot: discord.Client, guilds: list[list[int]], subs: list[list[int]]) -> int:
    """Send every quiz post and DM prompt concurrently; return how many were sent (failures are counted out)."""
    rng = random.Random(7)
    posts = [_post_quiz(bot, channel_id) for _, channel_id in guilds]
    dms = [_dm(bot, guild_id, user_id, rng) for guild_id, user_id in subs]
    outcomes = await asyncio.gather(*posts, *dms, return_exceptions=True)
    return sum(not isinstance(outcome, BaseException) for outcome in outcomes)
