"""/schedule: list, set, pause, resume and remove the group's weekly schedules."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot.checks import require_supervisor
from bot.command_translator import shown_commands
from bot.db.models import Schedule
from bot.i18n import N_, _
from bot.time_input import parse_date, parse_time, parse_weekdays
from bot.user_error import UserFacingError
from cogs.admin.channel_checks import CHANNEL_ROLES, missing_in
from cogs.admin.logic import SCHEDULE_KINDS, default_timing, kind_label
from cogs.admin.render import describe_schedule, schedules_embed

if TYPE_CHECKING:
    from bot.client import SupervisionBot

KIND_CHOICES = [app_commands.Choice(name=label, value=kind) for kind, label in SCHEDULE_KINDS.items()]
# Which configured channel each kind posts to by default.
KIND_CHANNEL: dict[str, str | None] = {
    "reflective_prompt": "prompts",
    "quiz_opens": "quiz",
    "quiz_closes": "quiz",
    "checkin_digest": "digest",
    # Attendance and the feedback questions go to the group's channel; the brief goes by DM, to no channel.
    "meeting_attendance": "prompts",
    "meeting_feedback": "prompts",
    "meeting_brief": None,
}
# What to do when a kind's channel is not set: pass one, or set the group's channel for that job.
NO_CHANNEL = {
    "prompts": N_("Where should it post? Pass `channel:` or set the prompts channel with `/setup prompts_channel:`."),
    "quiz": N_("Where should it post? Pass `channel:` or set the quiz channel with `/setup quiz_channel:`."),
    "digest": N_("Where should it post? Pass `channel:` or set the digest channel with `/setup digest_channel:`."),
}


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class ScheduleCog(commands.GroupCog, group_name="schedule", group_description="When prompts, quizzes and digests run"):
    """Weekly schedules; supervisors only."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        await require_supervisor(self.bot, interaction)
        return True

    async def _existing(self, guild_id: int, kind: str) -> Schedule:
        schedule = await self.bot.repos.schedules.get_kind(guild_id, kind)
        if schedule is None:
            raise UserFacingError(
                shown_commands(
                    # Translators: {kind} is a kind of schedule, e.g. "Quiz opens".
                    _("There is no “{kind}” schedule. Create one with `/schedule set`.").format(kind=kind_label(kind))
                )
            )
        return schedule

    @app_commands.command(name="list", description="Every schedule with its next run")
    async def list_(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        schedules = await self.bot.repos.schedules.for_guild(interaction.guild.id)
        await interaction.response.send_message(
            embed=schedules_embed(schedules, self.bot.scheduler.clock()), ephemeral=True
        )

    @app_commands.command(name="set", description="Create or change a schedule; timing defaults follow the meeting")
    @app_commands.describe(
        kind="What runs",
        days="Weekday(s), e.g. Mon or Mon, Thu (default: relative to the meeting)",
        time="Local time, e.g. 09:00, 9am or 21:30 (default: relative to the meeting)",
        channel="Where it posts (default: the channel chosen in /setup)",
    )
    @app_commands.choices(kind=KIND_CHOICES)
    async def set_(
        self,
        interaction: discord.Interaction,
        kind: app_commands.Choice[str],
        days: str | None = None,
        time: str | None = None,
        channel: discord.TextChannel | None = None,
    ) -> None:
        assert interaction.guild is not None
        settings = await self.bot.repos.settings.get(interaction.guild.id)
        default = default_timing(kind.value, settings.meeting_weekday, settings.meeting_time)
        weekdays = parse_weekdays(days) if days else default.weekdays
        local_time = parse_time(time) if time else default.local_time
        role = KIND_CHANNEL[kind.value]
        channel_id = channel.id if channel else getattr(settings, CHANNEL_ROLES[role]) if role else None
        if channel_id is None and role is not None:
            raise UserFacingError(shown_commands(_(NO_CHANNEL[role])))
        schedule = await self.bot.repos.schedules.upsert(
            interaction.guild.id,
            kind.value,
            weekdays,
            local_time,
            settings.timezone,
            channel_id,
            self.bot.scheduler.clock(),
        )
        await self.bot.scheduler.schedule_changed(schedule.id)
        # Translators: {kind} is a kind of schedule, {schedule} when and where it runs.
        text = _("**{kind}** saved: {schedule}").format(
            kind=kind_label(kind.value), schedule=describe_schedule(schedule, self.bot.scheduler.clock())
        )
        target = interaction.guild.get_channel(channel_id) if channel_id else None
        missing = missing_in(target, role) if target is not None and role is not None else []
        if target is not None and missing:
            # Translators: {permissions} are Discord's names of permissions, e.g. "Embed Links, Attach Files".
            warning = _("⚠️ In {channel} I still need {permissions}.").format(
                channel=target.mention, permissions=", ".join(missing)
            )
            text += "\n" + warning
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="pause", description="Pause a schedule, indefinitely or until a date")
    @app_commands.describe(
        kind="Which schedule", until="Resume on this date (YYYY-MM-DD); leave empty to pause until resumed"
    )
    @app_commands.choices(kind=KIND_CHOICES)
    async def pause(
        self, interaction: discord.Interaction, kind: app_commands.Choice[str], until: str | None = None
    ) -> None:
        assert interaction.guild is not None
        schedule = await self._existing(interaction.guild.id, kind.value)
        now = self.bot.scheduler.clock()
        settings = await self.bot.repos.settings.get(interaction.guild.id)
        resume_at = parse_date(until, settings.timezone, now) if until else None
        await self.bot.repos.schedules.pause(schedule.id, resume_at)
        await self.bot.scheduler.schedule_changed(schedule.id)
        if resume_at is not None:
            text = _("⏸️ **{kind}** paused until {date}.").format(
                kind=kind_label(kind.value), date=format_dt(resume_at, "D")
            )
        else:
            text = _("⏸️ **{kind}** paused until you resume it with `/schedule resume`.").format(
                kind=kind_label(kind.value)
            )
        await interaction.response.send_message(shown_commands(text), ephemeral=True)

    @app_commands.command(name="resume", description="Resume a paused schedule from now on")
    @app_commands.describe(kind="Which schedule")
    @app_commands.choices(kind=KIND_CHOICES)
    async def resume(self, interaction: discord.Interaction, kind: app_commands.Choice[str]) -> None:
        assert interaction.guild is not None
        schedule = await self._existing(interaction.guild.id, kind.value)
        now = self.bot.scheduler.clock()
        await self.bot.repos.schedules.resume(schedule.id, now)
        await self.bot.scheduler.schedule_changed(schedule.id)
        resumed = await self.bot.repos.schedules.get(schedule.id)
        assert resumed is not None
        await interaction.response.send_message(
            _("▶️ **{kind}** resumed: {schedule}").format(
                kind=kind_label(kind.value), schedule=describe_schedule(resumed, now)
            ),
            ephemeral=True,
        )

    @app_commands.command(name="remove", description="Delete a schedule")
    @app_commands.describe(kind="Which schedule")
    @app_commands.choices(kind=KIND_CHOICES)
    async def remove(self, interaction: discord.Interaction, kind: app_commands.Choice[str]) -> None:
        assert interaction.guild is not None
        schedule = await self._existing(interaction.guild.id, kind.value)
        await self.bot.repos.schedules.remove(schedule.id)
        await self.bot.scheduler.schedule_changed(schedule.id)
        await interaction.response.send_message(
            _("🗑️ **{kind}** schedule removed.").format(kind=kind_label(kind.value)), ephemeral=True
        )
