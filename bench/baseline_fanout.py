"""The baseline's fan-out: the same channel posts and DMs as our bot, built by the same render functions."""

from __future__ import annotations

import asyncio
import functools
import random
from collections.abc import Awaitable, Callable

import discord

from bench.host_baseline import static_view
from bot.content.banks import ReflectionPrompt, prompt_bank
from bot.pacing import Pacer, mark_scheduled_work, pace_http, paced_rate
from cogs.quiz.render import announcement_embed
from cogs.reflect.render import prompt_embed


async def _post_quiz(bot: discord.Client, channel_id: int) -> None:
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    view = static_view(("sv:quiz:take:1", "Take this week's quiz"))
    await channel.send(embed=announcement_embed(None, 5, None), view=view)


async def _dm(bot: discord.Client, guild_id: int, user_id: int, prompt: ReflectionPrompt) -> None:
    channel = await bot.create_dm(discord.Object(user_id))
    embed = prompt_embed(prompt, title="Your reflective prompt")
    guild = bot.get_guild(guild_id)
    embed.add_field(name="From", value=guild.name if guild else "your supervision group", inline=False)
    view = static_view((f"sv:reflect:write:{guild_id}:{prompt.id}", "Write a reflection"))
    await channel.send(embed=embed, view=view)


async def _until_sent(send: Callable[[], Awaitable[None]]) -> None:
    """Send, and if Discord still refused with a 429 after discord.py's retries, send again."""
    while True:
        try:
            await send()
            return
        except discord.HTTPException as error:
            if error.status != 429:
                raise


async def send_all(bot: discord.Client, guilds: list[list[int]], subs: list[list[int]], rate: float = 0.0) -> int:
    """Send every quiz post and DM prompt concurrently; return how many were sent (failures are counted out).

    Under a global limit (`rate` > 0) every request is spaced just under it, by the same few lines ours
    uses (bot/pacing.py), and a message refused with a 429 is sent again: a baseline that loses messages
    is no floor.
    """
    if rate > 0:
        pace_http(bot.http, Pacer(paced_rate(rate)))
        mark_scheduled_work()
    rng = random.Random(7)
    posts = [_until_sent(functools.partial(_post_quiz, bot, channel_id)) for _, channel_id in guilds]
    dms = [
        _until_sent(functools.partial(_dm, bot, guild_id, user_id, rng.choice(prompt_bank())))
        for guild_id, user_id in subs
    ]
    outcomes = await asyncio.gather(*posts, *dms, return_exceptions=True)
    return sum(not isinstance(outcome, BaseException) for outcome in outcomes)
