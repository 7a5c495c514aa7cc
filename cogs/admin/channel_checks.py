"""Check the bot's own permissions in the channels each feature posts to."""

from __future__ import annotations

import discord

from bot.db.models import GuildSettings

PERMISSION_LABELS = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
    "create_public_threads": "Create Public Threads",
    "send_messages_in_threads": "Send Messages in Threads",
}
# What each channel's job needs: prompts open a reply thread; quiz results and digests carry charts.
NEEDED = {
    "prompts": ("view_channel", "send_messages", "embed_links", "create_public_threads", "send_messages_in_threads"),
    "quiz": ("view_channel", "send_messages", "embed_links", "attach_files"),
    "digest": ("view_channel", "send_messages", "embed_links", "attach_files"),
}
CHANNEL_ROLES = {"prompts": "prompts_channel_id", "quiz": "quiz_channel_id", "digest": "digest_channel_id"}


def missing_in(channel: discord.abc.GuildChannel, role: str) -> list[str]:
    """Return the labels of the permissions the bot lacks in a channel for the given job."""
    perms = channel.permissions_for(channel.guild.me)
    return [PERMISSION_LABELS[p] for p in NEEDED[role] if not getattr(perms, p)]


def problems_for(guild: discord.Guild, settings: GuildSettings) -> list[str]:
    """Return one line per configured channel that is gone or lacks a permission the bot needs."""
    lines = []
    for role, attr in CHANNEL_ROLES.items():
        channel_id = getattr(settings, attr)
        if channel_id is None:
            continue
        channel = guild.get_channel(channel_id)
        if channel is None:
            lines.append(f"The {role} channel (id {channel_id}) no longer exists or is hidden from me.")
            continue
        missing = missing_in(channel, role)
        if missing:
            lines.append(f"{channel.mention} ({role}): I need {', '.join(missing)}.")
    return lines
