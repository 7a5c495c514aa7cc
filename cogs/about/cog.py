"""The /about command."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.safety import safety_notice

if TYPE_CHECKING:
    from bot.client import SupervisionBot


def format_uptime(uptime: timedelta) -> str:
    """Render an uptime like '2 d 3 h 4 min' (or seconds when just started)."""
    total = int(uptime.total_seconds())
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
    return " ".join(p for p in parts if p) or f"{seconds} s"


def format_latency(seconds: float) -> str:
    """Render the gateway heartbeat latency, which is unknown until the first heartbeat."""
    return "not measured yet" if math.isnan(seconds) or math.isinf(seconds) else f"{seconds * 1000:.0f} ms"


class AboutCog(commands.Cog):
    """What this bot is and how it is doing."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot

    @app_commands.command(name="about", description="What this bot is, its version, uptime and latency")
    async def about(self, interaction: discord.Interaction) -> None:
        embed = discord.Embed(
            title="supervision-bot",
            description=(
                "Reflective prompts, anonymous countertransference check-ins and weekly quizzes on the "
                "therapeutic relationship, for clinical supervision groups.\n\n"
                "What the bot stores about you, who can see it, and how to export or delete it: `/privacy info`. "
                "Every command, and how a week works: `/help`."
            ),
            colour=discord.Colour.teal(),
        )
        embed.add_field(name="Version", value=__version__)
        embed.add_field(name="Uptime", value=format_uptime(self.bot.uptime))
        embed.add_field(name="Gateway latency", value=format_latency(self.bot.latency))
        settings = await self.bot.repos.settings.get(interaction.guild_id) if interaction.guild_id else None
        embed.set_footer(text=safety_notice(settings.support_line if settings else None))
        await interaction.response.send_message(embed=embed, ephemeral=True)
