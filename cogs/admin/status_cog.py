"""/status: how the bot is doing for this server; supervisors only."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot import __version__
from bot.checks import supervisor_only
from bot.scheduling import next_fire
from bot.uptime import format_uptime
from cogs.admin.channel_checks import problems_for
from cogs.admin.logic import SCHEDULE_KINDS
from cogs.admin.render import fire_line

if TYPE_CHECKING:
    from bot.client import SupervisionBot


def database_size(path: str) -> int:
    """Bytes on disk for the database and its WAL."""
    return sum(os.path.getsize(p) for p in (path, f"{path}-wal") if os.path.exists(p))


class StatusCog(commands.Cog):
    """Operational status for supervisors."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot

    @app_commands.command(name="status", description="Version, uptime, next and last runs, delivery problems")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @supervisor_only()
    async def status(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None and self.bot.db is not None
        guild_id = interaction.guild.id
        repos, now = self.bot.repos, self.bot.scheduler.clock()
        size_kib = database_size(self.bot.db.path) / 1024
        embed = discord.Embed(title="Status", colour=discord.Colour.teal())
        embed.add_field(name="Version", value=__version__)
        embed.add_field(name="Uptime", value=format_uptime(self.bot.uptime))
        embed.add_field(name="Database", value=f"{size_kib:,.0f} KiB")

        upcoming = []
        for schedule in await repos.schedules.for_guild(guild_id):
            moment = next_fire(schedule, now)
            label = SCHEDULE_KINDS.get(schedule.kind, schedule.kind)
            upcoming.append(f"{label}: {format_dt(moment, 'f') if moment else 'paused'}")
        embed.add_field(
            name="Next runs", value="\n".join(upcoming) or "No schedules. See `/schedule set`.", inline=False
        )

        recent = await repos.fires.recent_for_guild(guild_id, limit=8)
        embed.add_field(
            name="Last runs",
            value="\n".join(fire_line(f) for f in recent)[:1024] or "Nothing has run yet.",
            inline=False,
        )
        failures = await repos.deliveries.count_since(guild_id, now - timedelta(days=7))
        embed.add_field(
            name="DM delivery failures (7 days)",
            value=f"{failures} (usually members with DMs from server members turned off)" if failures else "None",
            inline=False,
        )
        problems = problems_for(interaction.guild, await repos.settings.get(guild_id))
        embed.add_field(name="Channel permissions", value="\n".join(problems)[:1024] or "All fine.", inline=False)
        purge = await repos.purges.latest()
        if purge is not None:
            embed.add_field(
                name="Last retention purge",
                value=f"{format_dt(purge.ran_at, 'f')}: {purge.summary}"[:1024],
                inline=False,
            )
        await interaction.response.send_message(embed=embed, ephemeral=True)
