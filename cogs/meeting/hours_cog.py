"""/hours: a member's supervised hours, and their record as CSV and PDF."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot.offload import write_document
from cogs.meeting.hours_export import RecordHeading, hours_csv, hours_pdf, hours_rows, log_of
from cogs.meeting.logic import format_hours

if TYPE_CHECKING:
    from bot.client import SupervisionBot

NO_PINGS = discord.AllowedMentions.none()
# The list under the totals shows the most recent sessions; the export holds them all.
RECENT = 10


class HoursCog(commands.GroupCog, group_name="hours", group_description="Your supervised hours"):
    """Members' own supervised hours."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="show", description="Your supervised hours: group and individual, per month, total")
    @app_commands.guild_only()
    async def show(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        record = await self.bot.repos.meetings.member_record(interaction.guild_id, interaction.user.id)
        if not record:
            await interaction.response.send_message(
                "No supervision is recorded for you here yet. At a meeting, press **Mark me present** in the group "
                "channel; a supervisor then confirms it. Individual sessions are logged by your supervisor.",
                ephemeral=True,
            )
            return
        log = log_of(record)
        total = log.total
        lines = [
            f"**Confirmed:** {format_hours(total.confirmed)} ({format_hours(total.group)} group, "
            f"{format_hours(total.individual)} individual)",
        ]
        if total.awaiting:
            lines.append(f"**Awaiting a supervisor's confirmation:** {format_hours(total.awaiting)}")
        lines += ["", "**By month** (group + individual confirmed; awaiting)"]
        for month, hours in log.months.items():
            waiting = f"; {format_hours(hours.awaiting)} awaiting" if hours.awaiting else ""
            lines.append(f"- {month}: {format_hours(hours.group)} + {format_hours(hours.individual)}{waiting}")
        lines += ["", "**Latest sessions** (all of them: `/hours export`)"]
        for entry in record[-RECENT:][::-1]:
            m, a = entry.meeting, entry.attendance
            who = (
                f"confirmed by {discord.utils.escape_markdown(a.confirmed_by_name or 'a supervisor')}, "
                f"{format_dt(a.confirmed_at, 'd')}"
                if a.confirmed_at
                else "awaiting confirmation"
            )
            lines.append(f"- {format_dt(m.starts_at, 'd')} {m.format}, {format_hours(m.hours)}: {who}")
        embed = discord.Embed(title="Your supervised hours", description="\n".join(lines)[:4000])
        embed.set_footer(text="Group meetings count once a supervisor confirms them. Keep your own copy: /hours export")
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)

    @app_commands.command(name="export", description="Your supervised-hours record as CSV and as a PDF to print")
    @app_commands.guild_only()
    async def export(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None and interaction.guild is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        record = await self.bot.repos.meetings.member_record(interaction.guild_id, interaction.user.id)
        settings = await self.bot.repos.settings.get(interaction.guild_id)
        rows = hours_rows(record)
        user = interaction.user
        heading = RecordHeading(
            member=user.display_name,
            server=interaction.guild.name,
            timezone=settings.timezone,
            made_at=self.bot.scheduler.clock().astimezone(record[0].meeting.local_start.tzinfo)
            if record
            else self.bot.scheduler.clock(),
        )
        # The PDF takes a moment to lay out; keep it off the event loop.
        csv_bytes, pdf_bytes = await asyncio.gather(
            write_document(hours_csv, rows), write_document(hours_pdf, heading, rows, log_of(record))
        )
        await interaction.followup.send(
            f"Your supervised-hours record: {len(rows)} session(s), as CSV and as a PDF with a space for a "
            "supervisor's signature.",
            files=[
                discord.File(io.BytesIO(csv_bytes), filename="supervised-hours.csv"),
                discord.File(io.BytesIO(pdf_bytes), filename="supervised-hours.pdf"),
            ],
            ephemeral=True,
        )
