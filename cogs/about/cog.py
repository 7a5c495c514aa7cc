"""The /about command."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.command_translator import shown_commands
from bot.i18n import _
from bot.safety import safety_notice
from bot.uptime import format_latency, format_uptime
from cogs.about.guide import BOT_NAME

if TYPE_CHECKING:
    from bot.client import SupervisionBot


class AboutCog(commands.Cog):
    """What this bot is and how it is doing."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot

    @app_commands.command(name="about", description="What this bot is, its version, uptime and latency")
    async def about(self, interaction: discord.Interaction) -> None:
        embed = discord.Embed(
            title=BOT_NAME,
            description=shown_commands(
                _(
                    "Reflective prompts, anonymous countertransference check-ins and weekly quizzes on the "
                    "therapeutic relationship, for clinical supervision groups.\n\n"
                    "What the bot stores about you, who can see it, and how to export or delete it: "
                    "`/privacy info`. Every command, and how a week works: `/help`."
                )
            ),
            colour=discord.Colour.teal(),
        )
        embed.add_field(name=_("Version"), value=__version__)
        embed.add_field(name=_("Uptime"), value=format_uptime(self.bot.uptime))
        embed.add_field(name=_("Gateway latency"), value=format_latency(self.bot.latency))
        settings = await self.bot.repos.settings.get(interaction.guild_id) if interaction.guild_id else None
        embed.set_footer(text=safety_notice(settings.support_line if settings else None))
        await interaction.response.send_message(embed=embed, ephemeral=True)
