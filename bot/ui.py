"""Base UI pieces that send every error to the one error reply, as slash commands do."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, ClassVar, cast

import discord
from discord import app_commands

from bot import cards
from bot.content.elements import ELEMENTS, QUIZ_TOPICS
from bot.errors import reply_with_error
from bot.expired import HINTS

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


def _card_id(card: str) -> str:
    return f"sv:v:{card}:{secrets.token_hex(8)}"


def _register_hint(card: str, hint: str) -> None:
    if card and hint:
        HINTS[card] = hint


class GuardedModal(discord.ui.Modal):
    """A modal whose errors reach the member as a clear ephemeral message.

    Subclasses set `card_name` and what to tell someone who submits it after a restart, when it
    can no longer be saved (the typed text is given back to them).
    """

    card_name: ClassVar[str] = "form"
    expired_hint: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _register_hint(cls.card_name, cls.expired_hint)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("custom_id", _card_id(self.card_name))
        super().__init__(**kwargs)
        cards.track(self)

    def stop(self) -> None:
        cards.note_stopped(self)
        super().stop()

    def _dispatch_submit(
        self, interaction: discord.Interaction, components: list[Any], resolved: Any
    ) -> asyncio.Task[None]:
        cards.note_taken(interaction)
        return super()._dispatch_submit(interaction, components, resolved)

    # discord.py's own Modal.on_error drops BaseView's `item` parameter; this matches Modal, its direct parent.
    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:  # type: ignore[override]
        await reply_with_error(interaction, error, f"modal {self.title}")


class GuardedView(discord.ui.View):
    """A view whose errors reach the member as a clear ephemeral message.

    Its controls' custom ids carry `card_name`, so a click after it timed out or the bot restarted is
    answered with `expired_hint` rather than Discord's "This interaction failed".
    """

    card_name: ClassVar[str] = "card"
    expired_hint: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _register_hint(cls.card_name, cls.expired_hint)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for item in self.children:
            self._name(item)
        cards.track(self)

    def stop(self) -> None:
        cards.note_stopped(self)
        super().stop()

    def _dispatch_item(self, item: discord.ui.Item[Any], interaction: discord.Interaction) -> asyncio.Task[None] | None:
        task = super()._dispatch_item(item, interaction)
        if task is not None:
            cards.note_taken(interaction)
        return task

    def add_item(self, item: discord.ui.Item[Any]) -> GuardedView:
        self._name(item)
        super().add_item(item)
        return self

    def _name(self, item: discord.ui.Item[Any]) -> None:
        if isinstance(item, discord.ui.DynamicItem) or not hasattr(item, "custom_id"):
            return
        if item.custom_id is not None and not item.custom_id.startswith("sv:"):  # link buttons have none
            item.custom_id = _card_id(self.card_name)

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
