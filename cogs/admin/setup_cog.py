"""/setup: the group's timezone, supervisor role, channels and meeting, in one go or piece by piece."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import supervisor_only
from bot.safety import SUPPORT_LINE_LIMIT, clean_support_line
from bot.time_input import WEEKDAYS, parse_time
from bot.timezones import check_timezone, zone_autocomplete
from bot.user_error import UserFacingError
from cogs.admin.channel_checks import OPT_IN_HOWTO, problems_for, share_targets
from cogs.admin.checklist import checklist_text, next_steps
from cogs.admin.render import settings_embed

if TYPE_CHECKING:
    from bot.client import SupervisionBot

WEEKDAY_CHOICES = [app_commands.Choice(name=day, value=i) for i, day in enumerate(WEEKDAYS)]


class SetupCog(commands.Cog):
    """Group settings."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot

    @app_commands.command(name="setup", description="Set the group's timezone, supervisor role, channels and meeting")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @supervisor_only()
    @app_commands.describe(
        timezone="The group's IANA timezone, e.g. Europe/London",
        supervisor_role="Members with this role can use supervisor commands",
        prompts_channel="Where weekly reflective prompts are posted",
        quiz_channel="Where the weekly quiz is announced and its results posted",
        digest_channel="Where the anonymous check-in digest is posted",
        meeting_day="The day of the group's supervision meeting",
        meeting_time="The meeting's local start time, e.g. 14:00 or 2pm",
        support_line="A support contact shown beside the 'not therapy' notice, e.g. a crisis line; 'none' clears it",
        supervisor_channel="A private channel where journal entries members share with supervisors arrive",
        journal_dm="Also send me, by DM, the journal entries members share with supervisors",
        digest_opt_in="The digest channel is opt-in: I'll explain how to gate it with a role and check it",
    )
    @app_commands.choices(meeting_day=WEEKDAY_CHOICES)
    @app_commands.autocomplete(timezone=zone_autocomplete)
    async def setup(
        self,
        interaction: discord.Interaction,
        timezone: str | None = None,
        supervisor_role: discord.Role | None = None,
        prompts_channel: discord.TextChannel | None = None,
        quiz_channel: discord.TextChannel | None = None,
        digest_channel: discord.TextChannel | None = None,
        meeting_day: app_commands.Choice[int] | None = None,
        meeting_time: str | None = None,
        support_line: app_commands.Range[str, 1, SUPPORT_LINE_LIMIT] | None = None,
        supervisor_channel: discord.TextChannel | None = None,
        journal_dm: bool | None = None,
        digest_opt_in: bool | None = None,
    ) -> None:
        assert interaction.guild is not None
        current = await self.bot.repos.settings.get(interaction.guild.id)
        changes: dict[str, object] = {}
        # Validate everything before writing anything, so a bad value changes nothing.
        if timezone is not None:
            changes["timezone"] = check_timezone(timezone.strip())
        if supervisor_role is not None:
            if supervisor_role.is_default():
                raise UserFacingError("@everyone can't be the supervisor role. Pick a role only supervisors have.")
            changes["supervisor_role_id"] = supervisor_role.id
        for key, channel in (
            ("prompts_channel_id", prompts_channel),
            ("quiz_channel_id", quiz_channel),
            ("digest_channel_id", digest_channel),
        ):
            if channel is not None:
                changes[key] = channel.id
        if meeting_time is not None:
            changes["meeting_time"] = parse_time(meeting_time)
            if meeting_day is None and current.meeting_weekday is None:
                raise UserFacingError("Give the meeting day too (meeting_day), so I know when the group meets.")
        if support_line is not None:
            try:
                changes["support_line"] = clean_support_line(support_line)
            except ValueError as error:
                raise UserFacingError(
                    f"The support line can be at most {SUPPORT_LINE_LIMIT} characters; yours has {error}. "
                    "Give a name and a number or address, e.g. `Samaritans: 116 123`. Nothing was changed."
                ) from None
        if supervisor_channel is not None:
            if supervisor_channel.permissions_for(interaction.guild.default_role).view_channel:
                raise UserFacingError(
                    f"Everyone in the server can see {supervisor_channel.mention}, and members' shared journal "
                    "entries would arrive there. Make it private first (deny View Channel to @everyone, allow it "
                    "for the supervisor role), then set it again. Nothing was changed."
                )
            changes["supervisor_channel_id"] = supervisor_channel.id
        if digest_opt_in is not None:
            changes["digest_opt_in"] = digest_opt_in
        if meeting_day is not None:
            changes["meeting_weekday"] = meeting_day.value
            if meeting_time is None and current.meeting_time is None:
                raise UserFacingError("Give the meeting time too (meeting_time), e.g. 14:00.")

        settings = await self.bot.repos.settings.update(interaction.guild.id, **changes) if changes else current
        if journal_dm is not None:
            await self.bot.repos.journal_shares.set_recipient(interaction.guild.id, interaction.user.id, journal_dm)
        if "timezone" in changes and changes["timezone"] != current.timezone:
            # Schedules are in the group's local time, so they move with the group's zone.
            for schedule in await self.bot.repos.schedules.for_guild(interaction.guild.id):
                await self.bot.repos.schedules.set_timezone(schedule.id, settings.timezone)
                await self.bot.scheduler.schedule_changed(schedule.id)

        embed = settings_embed(settings, problems_for(interaction.guild, settings))
        changed = bool(changes) or journal_dm is not None
        embed.set_footer(text="Saved." if changed else "Nothing changed. Pass options to change a setting.")
        recipients = await self.bot.repos.journal_shares.recipients(interaction.guild.id)
        embed.add_field(name="Shared journal entries go to", value=share_targets(settings, recipients), inline=False)
        scheduled = {schedule.kind for schedule in await self.bot.repos.schedules.for_guild(interaction.guild.id)}
        steps = discord.Embed(title="Next steps", description=checklist_text(next_steps(settings, scheduled))[:4096])
        embeds = [embed, steps]
        if digest_opt_in:
            embeds.append(discord.Embed(title="An opt-in digest channel", description=OPT_IN_HOWTO))
        await interaction.response.send_message(embeds=embeds, ephemeral=True)
