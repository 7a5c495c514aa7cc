"""Server-side checks for supervisor-only actions, independent of Discord's permission settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

import discord
from discord import app_commands

from bot.errors import NotSupervisor

if TYPE_CHECKING:
    from bot.client import SupervisionBot

T = TypeVar("T")


async def is_supervisor(bot: SupervisionBot, interaction: discord.Interaction) -> bool:
    """Tell whether the member holds the group's supervisor role or Manage Server."""
    member = interaction.user
    if interaction.guild is None or not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild or interaction.permissions.manage_guild:
        return True
    settings = await bot.repos.settings.get(interaction.guild.id)
    return settings.supervisor_role_id is not None and any(
        role.id == settings.supervisor_role_id for role in member.roles
    )


async def require_supervisor(bot: SupervisionBot, interaction: discord.Interaction) -> None:
    """Raise NotSupervisor unless the member is a supervisor of this server."""
    if not await is_supervisor(bot, interaction):
        raise NotSupervisor()


def supervisor_only() -> Callable[[T], T]:
    """Guard an app command: guild-only and supervisors only, checked on our side."""

    async def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild is None:
            raise app_commands.NoPrivateMessage()
        await require_supervisor(cast("SupervisionBot", interaction.client), interaction)
        return True

    return app_commands.check(predicate)


def member_is_supervisor(member: discord.Member, supervisor_role_id: int | None) -> bool:
    """Whether a server member (fetched, not from an interaction) holds the supervisor role or Manage Server."""
    if member.guild_permissions.manage_guild:
        return True
    return supervisor_role_id is not None and any(role.id == supervisor_role_id for role in member.roles)
