"""/status: how the bot is doing for this server; supervisors only."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot import __version__
from bot.checks import supervisor_only
from bot.command_translator import shown_commands
from bot.fire_times import next_fire
from bot.i18n import _, number
from bot.languages import group_locale
from bot.uptime import format_uptime
from cogs.admin.channel_checks import problems_for
from cogs.admin.logic import kind_label
from cogs.admin.render import fire_line, group_language

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
        embed = discord.Embed(title=_("Status"), colour=discord.Colour.teal())
        embed.add_field(name=_("Version"), value=__version__)
        embed.add_field(name=_("Uptime"), value=format_uptime(self.bot.uptime))
        # Translators: {size} is a number of kibibytes, e.g. "1,204".
        embed.add_field(name=_("Database"), value=_("{size} KiB").format(size=number(size_kib)))
        settings = await repos.settings.get(guild_id)
        resolved = await group_locale(repos, guild_id, interaction.guild)
        embed.add_field(name=_("Group language (posts to the group)"), value=group_language(settings, resolved))

        upcoming = []
        for schedule in await repos.schedules.for_guild(guild_id):
            moment = next_fire(schedule, now)
            when = format_dt(moment, "f") if moment else _("paused")
            # Translators: a kind of schedule and when it next runs (or "paused").
            upcoming.append((moment, _("{kind}: {when}").format(kind=kind_label(schedule.kind), when=when)))
        # In the order they will happen, paused ones last: the week reads top to bottom.
        upcoming.sort(key=lambda pair: (pair[0] is None, pair[0] or now))
        embed.add_field(
            name=_("Next runs"),
            value="\n".join(line for _moment, line in upcoming)
            or shown_commands(_("No schedules. See `/schedule set`.")),
            inline=False,
        )

        if self.bot.get_cog("QuizReminderCog") is not None:  # the quiz feature is loaded (no import across features)
            embed.add_field(name=_("Quiz reminders (DM)"), value=await self._reminder_line(guild_id, now), inline=False)

        recent = await repos.fires.recent_for_guild(guild_id, limit=8)
        embed.add_field(
            name=_("Last runs"),
            value="\n".join(fire_line(f) for f in recent)[:1024] or _("Nothing has run yet."),
            inline=False,
        )
        failures = await repos.deliveries.count_since(guild_id, now - timedelta(days=7))
        embed.add_field(
            name=_("DM delivery failures (7 days)"),
            value=_("{count} (usually members with DMs from server members turned off)").format(count=number(failures))
            if failures
            else _("None"),
            inline=False,
        )
        problems = problems_for(interaction.guild, settings)
        embed.add_field(name=_("Channel permissions"), value="\n".join(problems)[:1024] or _("All fine."), inline=False)
        purge = await repos.purges.latest()
        if purge is not None:
            embed.add_field(
                name=_("Last retention purge"),
                value=f"{format_dt(purge.ran_at, 'f')}: {purge.summary}"[:1024],
                inline=False,
            )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    async def _reminder_line(self, guild_id: int, now: datetime) -> str:
        """When the next quiz reminders are due, in words; no count of who asked, only the schedule."""
        closes = await self.bot.repos.schedules.get_kind(guild_id, "quiz_closes")
        close = next_fire(closes, now) if closes is not None else None
        if close is None:
            return _("None due: the quiz has no closing time scheduled (or it is paused).")
        return shown_commands(
            # Translators: {closes} is a date and time; {later} the label of a button, "Later (1 h)".
            _(
                "Before the quiz closes {closes}, at the hours each member chose (6 by default), to members who "
                "asked (`/quiz remind`) and haven't finished; out of their quiet hours. A reminder or prompt DM "
                "put off with **{later}** comes back once, within 5 minutes of its hour."
            ).format(closes=format_dt(close, "f"), later=_("Later (1 h)"))
        )
