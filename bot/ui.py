"""Base UI pieces that send every error to the one error reply, as slash commands do."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import discord

from bot.errors import reply_with_error


async def guarded(interaction: discord.Interaction, where: str, work: Awaitable[Any]) -> None:
    """Await a component's work; turn any error into the standard ephemeral reply.

    discord.py only logs exceptions from DynamicItem callbacks, which would leave the member
    looking at "This interaction failed" with no idea why.
    """
    try:
        await work
    except Exception as error:  # every error must become a reply, never a silent failure
        await reply_with_error(interaction, error, where)


class GuardedModal(discord.ui.Modal):
    """A modal whose errors reach the member as a clear ephemeral message."""

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await reply_with_error(interaction, error, f"modal {self.title}")


class GuardedView(discord.ui.View):
    """A view whose errors reach the member as a clear ephemeral message."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await reply_with_error(interaction, error, f"view {type(self).__name__}")
