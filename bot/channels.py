"""A server's channel from the gateway cache, found in that server alone."""

from __future__ import annotations

import discord

ServerChannel = discord.abc.GuildChannel | discord.Thread


def server_channel(client: discord.Client, guild_id: int | None, channel_id: int | None) -> ServerChannel | None:
    """The channel or thread `channel_id` of server `guild_id`, or None when either is unknown or not cached.

    discord.py's `Client.get_channel` looks through every server in turn until one has the id: a weekly
    fan-out that looked up each post's channel that way did work in proportion to servers × posts
    (bench section 7). Scheduled work and commands know their server, so they ask it directly.
    """
    if guild_id is None or not channel_id:
        return None
    guild = client.get_guild(guild_id)
    return guild.get_channel_or_thread(channel_id) if guild is not None else None
