"""/feedback: members answer about the latest meeting, and choose whether the questions come by DM."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.i18n import _
from bot.user_error import UserFacingError
from cogs.meeting.views import open_feedback_card

if TYPE_CHECKING:
    from bot.client import SupervisionBot


class FeedbackCog(commands.GroupCog, group_name="feedback", group_description="Anonymous feedback on meetings"):
    """Members' side of meeting feedback."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(
        name="give", description="Answer three anonymous questions about the latest meeting", extras={"anonymous": True}
    )
    @app_commands.guild_only()
    async def give(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        now = self.bot.scheduler.clock()
        meeting = await self.bot.repos.meetings.latest_group_before(interaction.guild_id, now)
        if meeting is None or meeting.feedback_until is None or meeting.feedback_until <= now:
            raise UserFacingError(_("No meeting's questions are open right now. They open after each meeting."))
        await open_feedback_card(interaction, interaction.guild_id, meeting.id)

    @app_commands.command(name="dm", description="Get the questions after each meeting by DM, or stop")
    @app_commands.guild_only()
    @app_commands.describe(on="True: send them to me by DM; False: stop")
    async def dm(self, interaction: discord.Interaction, on: bool) -> None:
        assert interaction.guild_id is not None
        await self.bot.repos.meeting_dms.set_opt_in(interaction.guild_id, interaction.user.id, "feedback", on)
        if on:
            # Translators: "Later (1 h)" and "Skip this one" are the DM's buttons; use their translations.
            text = _(
                "After each meeting you were recorded at, I'll DM you the three questions, with **Later (1 h)** and "
                "**Skip this one**. Allow DMs from this server's members (Server menu → Privacy settings), or none "
                "arrive. Your answers stay anonymous: the DM only carries the button."
            )
        else:
            text = _("No more feedback DMs. The questions stay open in the group channel after each meeting.")
        await interaction.response.send_message(text, ephemeral=True)
