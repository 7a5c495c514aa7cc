"""The quiz reminder DM's controls: a link to the quiz post, and persistent "Later (1 h)" and "Skip this one"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.db.models import QuizWeek
from bot.flows import FlowBinding
from bot.i18n import _
from bot.snooze import replace_buttons
from bot.ui import button, client_of, guarded, persistent_view

if TYPE_CHECKING:
    from bot.client import SupervisionBot


class ReminderFlows(Protocol):
    """What the reminder's buttons start (cogs.quiz.reminder_flow)."""

    async def later(
        self, bot: SupervisionBot, interaction: discord.Interaction, guild_id: int, quiz_id: int
    ) -> tuple[str, QuizWeek | None]: ...

    async def skip(
        self, bot: SupervisionBot, interaction: discord.Interaction, guild_id: int, quiz_id: int
    ) -> tuple[str, QuizWeek | None]: ...


FLOWS: FlowBinding[ReminderFlows] = FlowBinding("quiz reminder")


def quiz_link(quiz: QuizWeek) -> discord.ui.Button:
    """A link to the quiz post in its channel (a DM can't open the quiz itself: it belongs to the server)."""
    where = f"{quiz.channel_id}/{quiz.message_id}" if quiz.message_id else f"{quiz.channel_id}"
    url = f"https://discord.com/channels/{quiz.guild_id}/{where}"
    return discord.ui.Button(label=_("Open the quiz post"), style=discord.ButtonStyle.link, url=url)


class RemindLater(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:quiz:later:(?P<guild>\d+):(?P<quiz>\d+)"):
    """Put a quiz reminder off for an hour; it comes back once."""

    def __init__(self, guild_id: int, quiz_id: int) -> None:
        super().__init__(button(f"sv:quiz:later:{guild_id}:{quiz_id}", _("Later (1 h)")))
        self.guild_id, self.quiz_id = guild_id, quiz_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RemindLater:
        return cls(int(match["guild"]), int(match["quiz"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, "quiz reminder later", self._later(interaction))

    async def _later(self, interaction: discord.Interaction) -> None:
        note, quiz = await FLOWS.flows.later(client_of(interaction), interaction, self.guild_id, self.quiz_id)
        await replace_buttons(interaction, note, resent_view(quiz) if quiz else None)


class SkipReminder(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:quiz:skip:(?P<guild>\d+):(?P<quiz>\d+)"):
    """Let a quiz reminder go: nothing more about this week's quiz comes."""

    def __init__(self, guild_id: int, quiz_id: int) -> None:
        super().__init__(button(f"sv:quiz:skip:{guild_id}:{quiz_id}", _("Skip this one")))
        self.guild_id, self.quiz_id = guild_id, quiz_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SkipReminder:
        return cls(int(match["guild"]), int(match["quiz"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, "quiz reminder skip", self._skip(interaction))

    async def _skip(self, interaction: discord.Interaction) -> None:
        note, quiz = await FLOWS.flows.skip(client_of(interaction), interaction, self.guild_id, self.quiz_id)
        await replace_buttons(interaction, note, resent_view(quiz) if quiz else None)


def reminder_view(guild_id: int, quiz: QuizWeek) -> discord.ui.View:
    """The reminder's controls: open the quiz post, put the reminder off an hour, or skip it."""
    return persistent_view(quiz_link(quiz), RemindLater(guild_id, quiz.id), SkipReminder(guild_id, quiz.id))


def resent_view(quiz: QuizWeek) -> discord.ui.View:
    """After Later or Skip, and on the one re-send: only the link, since nothing more can be put off."""
    return persistent_view(quiz_link(quiz))


DYNAMIC_ITEMS = (RemindLater, SkipReminder)
