"""/hours: a member's supervised hours, and their record as CSV and PDF."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot.i18n import _, ngettext, pgettext
from bot.offload import write_document
from cogs.meeting.hours_export import RecordHeading, hours_csv, hours_pdf, hours_rows, log_of
from cogs.meeting.logic import format_hours, format_word, month_name

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
                _(
                    "No supervision is recorded for you here yet. At a meeting, press **Mark me present** in the "
                    "group channel; a supervisor then confirms it. Individual sessions are logged by your supervisor."
                ),
                ephemeral=True,
            )
            return
        log = log_of(record)
        total = log.total
        lines = [
            _("**Confirmed:** {total} ({group} group, {individual} individual)").format(
                total=format_hours(total.confirmed),
                group=format_hours(total.group),
                individual=format_hours(total.individual),
            ),
        ]
        if total.awaiting:
            lines.append(
                _("**Awaiting a supervisor's confirmation:** {hours}").format(hours=format_hours(total.awaiting))
            )
        lines += ["", _("**By month** (group + individual confirmed; awaiting)")]
        for month, hours in log.months.items():
            shown = {
                "month": month_name(month),
                "group": format_hours(hours.group),
                "individual": format_hours(hours.individual),
                "awaiting": format_hours(hours.awaiting),
            }
            if hours.awaiting:
                lines.append(_("- {month}: {group} + {individual}; {awaiting} awaiting").format(**shown))
            else:
                lines.append(_("- {month}: {group} + {individual}").format(**shown))
        lines += ["", _("**Latest sessions** (all of them: `/hours export`)")]
        for entry in record[-RECENT:][::-1]:
            m, a = entry.meeting, entry.attendance
            if a.confirmed_at:
                who = _("confirmed by {name}, {date}").format(
                    name=discord.utils.escape_markdown(a.confirmed_by_name or _("a supervisor")),
                    date=format_dt(a.confirmed_at, "d"),
                )
            else:
                who = _("awaiting confirmation")
            # Translators: one session: its date, "group" or "individual", its hours, and who confirmed it.
            lines.append(
                _("- {date} {format}, {hours}: {status}").format(
                    date=format_dt(m.starts_at, "d"),
                    format=format_word(m.format),
                    hours=format_hours(m.hours),
                    status=who,
                )
            )
        embed = discord.Embed(title=_("Your supervised hours"), description="\n".join(lines)[:4000])
        embed.set_footer(
            text=_("Group meetings count once a supervisor confirms them. Keep your own copy: /hours export")
        )
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
        # Translators: the exported files' name, without extension: lower case, hyphens, no spaces.
        name = pgettext("file name", "supervised-hours")
        await interaction.followup.send(
            ngettext(
                "Your supervised-hours record: {n} session, as CSV and as a PDF with a space for a supervisor's "
                "signature.",
                "Your supervised-hours record: {n} sessions, as CSV and as a PDF with a space for a supervisor's "
                "signature.",
                len(rows),
            ).format(n=len(rows)),
            files=[
                discord.File(io.BytesIO(csv_bytes), filename=f"{name}.csv"),
                discord.File(io.BytesIO(pdf_bytes), filename=f"{name}.pdf"),
            ],
            ephemeral=True,
        )
