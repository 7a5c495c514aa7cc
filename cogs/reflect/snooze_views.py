"""A prompt DM's persistent "Later (1 h)" and "Skip this one" buttons, beside "Write a reflection"."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.db.models import to_unix
from bot.flows import FlowBinding
from bot.i18n import _
from bot.snooze import replace_buttons
from bot.ui import button, client_of, guarded, persistent_view
from cogs.reflect.views import WriteReflection

if TYPE_CHECKING:
    from bot.client import SupervisionBot


class SnoozeFlows(Protocol):
    """What a prompt DM's Later and Skip start (cogs.reflect.prompt_snooze)."""

    async def later(
        self, bot: SupervisionBot, interaction: discord.Interaction, guild_id: int, due: int, prompt_id: str
    ) -> str: ...

    async def skip(self, bot: SupervisionBot, interaction: discord.Interaction, guild_id: int, due: int) -> str: ...


SNOOZE: FlowBinding[SnoozeFlows] = FlowBinding("prompt snooze")


class PromptLater(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sv:reflect:later:(?P<guild>\d+):(?P<due>\d+):(?P<prompt>[a-z0-9_-]+)",
):
    """Put a prompt DM off for an hour; the same prompt comes back once."""

    def __init__(self, guild_id: int, due: int, prompt_id: str) -> None:
        super().__init__(button(f"sv:reflect:later:{guild_id}:{due}:{prompt_id}", _("Later (1 h)")))
        self.guild_id, self.due, self.prompt_id = guild_id, due, prompt_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PromptLater:
        return cls(int(match["guild"]), int(match["due"]), match["prompt"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, "prompt later", self._later(interaction))

    async def _later(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        note = await SNOOZE.flows.later(bot, interaction, self.guild_id, self.due, self.prompt_id)
        await replace_buttons(interaction, note, persistent_view(WriteReflection(self.guild_id, self.prompt_id)))


class PromptSkip(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:reflect:skip:(?P<guild>\d+):(?P<due>\d+)"):
    """Let a prompt DM go; nothing comes back about it (the next prompt comes as usual)."""

    def __init__(self, guild_id: int, due: int) -> None:
        super().__init__(button(f"sv:reflect:skip:{guild_id}:{due}", _("Skip this one")))
        self.guild_id, self.due = guild_id, due

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PromptSkip:
        return cls(int(match["guild"]), int(match["due"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, "prompt skip", self._skip(interaction))

    async def _skip(self, interaction: discord.Interaction) -> None:
        note = await SNOOZE.flows.skip(client_of(interaction), interaction, self.guild_id, self.due)
        await replace_buttons(interaction, note, None)


def prompt_dm_view(guild_id: int, prompt_id: str, due: datetime) -> discord.ui.View:
    """A prompt DM's controls: write now, put it off an hour, or skip it."""
    at = to_unix(due) or 0
    return persistent_view(
        WriteReflection(guild_id, prompt_id), PromptLater(guild_id, at, prompt_id), PromptSkip(guild_id, at)
    )


DYNAMIC_ITEMS = (PromptLater, PromptSkip)
