"""Permission computation: Discord's algorithm (same as discord.py's permissions_for)."""

from __future__ import annotations

import discord

from .models import Channel, Guild, Member

ALL = discord.Permissions.all().value
ADMINISTRATOR = discord.Permissions(administrator=True).value
VIEW_CHANNEL = discord.Permissions(view_channel=True).value
SEND_MESSAGES = discord.Permissions(send_messages=True).value
SEND_IN_THREADS = discord.Permissions(send_messages_in_threads=True).value
EMBED_LINKS = discord.Permissions(embed_links=True).value
ATTACH_FILES = discord.Permissions(attach_files=True).value
MANAGE_MESSAGES = discord.Permissions(manage_messages=True).value
CREATE_PUBLIC_THREADS = discord.Permissions(create_public_threads=True).value
CREATE_PRIVATE_THREADS = discord.Permissions(create_private_threads=True).value
READ_HISTORY = discord.Permissions(read_message_history=True).value
ADD_REACTIONS = discord.Permissions(add_reactions=True).value
# Implicitly lost without SEND_MESSAGES (as discord.py's _apply_implicit_permissions does).
_NEEDS_SEND = discord.Permissions(
    send_tts_messages=True, mention_everyone=True, embed_links=True, attach_files=True
).value
_ALL_CHANNEL = discord.Permissions.all_channel().value
# What @everyone gets in a new guild, close to Discord's defaults.
DEFAULT_EVERYONE = discord.Permissions.general().value | discord.Permissions.text().value
DEFAULT_EVERYONE &= ~(
    discord.Permissions(
        manage_channels=True,
        manage_roles=True,
        manage_guild=True,
        manage_webhooks=True,
        manage_expressions=True,
        view_audit_log=True,
        view_guild_insights=True,
        manage_messages=True,
        manage_threads=True,
        mention_everyone=True,
        kick_members=True,
        ban_members=True,
        moderate_members=True,
        manage_nicknames=True,
    ).value
)


def guild_permissions(guild: Guild, member: Member) -> int:
    """Guild-level permissions: @everyone | member roles; owner and administrators get everything."""
    if guild.owner_id == member.id:
        return ALL
    perms = guild.roles[guild.id].permissions
    for role_id in member.role_ids:
        role = guild.roles.get(role_id)
        if role is not None:
            perms |= role.permissions
    return ALL if perms & ADMINISTRATOR else perms


def channel_permissions(guild: Guild, channel: Channel, member: Member) -> int:
    """Permissions in a channel, applying overwrites in Discord's order; threads use their parent's."""
    if channel.is_thread and channel.parent_id in guild.channels:
        channel = guild.channels[channel.parent_id]
    perms = guild_permissions(guild, member)
    if perms == ALL:
        return ALL
    overwrites = channel.overwrites
    for ow in overwrites:
        if ow.type == 0 and ow.id == guild.id:
            perms = (perms & ~ow.deny) | ow.allow
    allow = deny = 0
    for ow in overwrites:
        if ow.type == 0 and ow.id in member.role_ids:
            allow |= ow.allow
            deny |= ow.deny
    perms = (perms & ~deny) | allow
    for ow in overwrites:
        if ow.type == 1 and ow.id == member.id:
            perms = (perms & ~ow.deny) | ow.allow
    if not perms & SEND_MESSAGES:
        perms &= ~_NEEDS_SEND
    if not perms & VIEW_CHANNEL:
        perms &= ~_ALL_CHANNEL
    return perms


def has(perms: int, needed: int) -> bool:
    """True when every bit of `needed` is granted."""
    return perms & needed == needed
