"""Base UI pieces that send every error to the one error reply, as slash commands do."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands

from bot.content.elements import ELEMENTS, QUIZ_TOPICS
from bot.errors import reply_with_error

if TYPE_CHECKING:
    from bot.client import SupervisionBot


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

    # discord.py's own Modal.on_error drops BaseView's `item` parameter; this matches Modal, its direct parent.
    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:  # type: ignore[override]
        await reply_with_error(interaction, error, f"modal {self.title}")


class GuardedView(discord.ui.View):
    """A view whose errors reach the member as a clear ephemeral message."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await reply_with_error(interaction, error, f"view {type(self).__name__}")


def client_of(interaction: discord.Interaction) -> SupervisionBot:
    """The bot that received an interaction, typed as ours."""
    # discord.py types it as any Client; this process runs one client, ours.
    return cast("SupervisionBot", interaction.client)


def button(custom_id: str, label: str, style: discord.ButtonStyle = discord.ButtonStyle.secondary) -> discord.ui.Button:
    """A plain button to wrap in a DynamicItem."""
    return discord.ui.Button(label=label, style=style, custom_id=custom_id)


def persistent_view(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """A view of persistent items with no timeout, so its buttons outlive the process."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view


# Keep each message well inside Discord's 6,000 embed characters and 10 embeds.
EMBED_BUDGET = 5500
EMBEDS_PER_MESSAGE = 10

ELEMENT_CHOICES = [app_commands.Choice(name=name, value=key) for key, name in ELEMENTS.items()]
QUIZ_TOPIC_CHOICES = [app_commands.Choice(name=name, value=key) for key, name in QUIZ_TOPICS.items()]


def embed_batches(embeds: list[discord.Embed]) -> list[list[discord.Embed]]:
    """Split embeds into messages that each fit Discord's limits, keeping their order."""
    batches: list[list[discord.Embed]] = [[]]
    size = 0
    for embed in embeds:
        length = len(embed)
        if batches[-1] and (size + length > EMBED_BUDGET or len(batches[-1]) >= EMBEDS_PER_MESSAGE):
            batches.append([])
            size = 0
        batches[-1].append(embed)
        size += length
    return batches
