"""/setup: the group's timezone, supervisor role, channels, meeting and language, in one go or piece by piece."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import supervisor_only
from bot.command_translator import shown_commands
from bot.i18n import LANGUAGES, _
from bot.languages import group_locale
from bot.safety import SUPPORT_LINE_LIMIT, clean_support_line
from bot.time_input import WEEKDAYS, parse_time
from bot.timezones import check_timezone, zone_autocomplete
from bot.user_error import UserFacingError
from cogs.admin.channel_checks import opt_in_howto, problems_for, share_targets
from cogs.admin.checklist import checklist_text, next_steps
from cogs.admin.render import group_language, language_name, settings_embed

if TYPE_CHECKING:
    from bot.client import SupervisionBot

WEEKDAY_CHOICES = [app_commands.Choice(name=day, value=i) for i, day in enumerate(WEEKDAYS)]
# The value of the `language` choice that goes back to following the server's preferred locale.
SERVER_LANGUAGE = "server"
# Each language named in itself, whatever the reader's (the catalogue leaves these names as they are).
LANGUAGE_CHOICES = [
    *(app_commands.Choice(name=name, value=code) for code, name in LANGUAGES.items()),
    app_commands.Choice(name="The server's language", value=SERVER_LANGUAGE),
]


class SetupCog(commands.Cog):
    """Group settings."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="setup", description="Set the group's timezone, supervisor role, channels, meeting and language"
    )
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
        language="The language of the group's posts; replies follow each member's own Discord language",
    )
    @app_commands.choices(meeting_day=WEEKDAY_CHOICES)
    @app_commands.choices(language=LANGUAGE_CHOICES)
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
        language: app_commands.Choice[str] | None = None,
    ) -> None:
        assert interaction.guild is not None
        guild = interaction.guild
        current = await self.bot.repos.settings.get(guild.id)
        changes: dict[str, object] = {}
        # Validate everything before writing anything, so a bad value changes nothing.
        if timezone is not None:
            changes["timezone"] = check_timezone(timezone.strip())
        if supervisor_role is not None:
            if supervisor_role.is_default():
                raise UserFacingError(_("@everyone can't be the supervisor role. Pick a role only supervisors have."))
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
                raise UserFacingError(
                    shown_commands(_("Give the meeting day too (`meeting_day:`), so I know when the group meets."))
                )
        if support_line is not None:
            try:
                changes["support_line"] = clean_support_line(support_line)
            except ValueError:
                raise UserFacingError(
                    # Translators: {limit} and {length} are numbers of characters.
                    _(
                        "The support line can be at most {limit} characters; yours has {length}. Give a name and "
                        "a number or address, e.g. `Samaritans: 116 123`. Nothing was changed."
                    ).format(limit=SUPPORT_LINE_LIMIT, length=len(" ".join(support_line.split())))
                ) from None
        if supervisor_channel is not None:
            if supervisor_channel.permissions_for(guild.default_role).view_channel:
                raise UserFacingError(
                    _(
                        "Everyone in the server can see {channel}, and members' shared journal entries would arrive "
                        "there. Make it private first (deny View Channel to @everyone, allow it for the supervisor "
                        "role), then set it again. Nothing was changed."
                    ).format(channel=supervisor_channel.mention)
                )
            changes["supervisor_channel_id"] = supervisor_channel.id
        if digest_opt_in is not None:
            changes["digest_opt_in"] = digest_opt_in
        if meeting_day is not None:
            changes["meeting_weekday"] = meeting_day.value
            if meeting_time is None and current.meeting_time is None:
                raise UserFacingError(shown_commands(_("Give the meeting time too (`meeting_time:`), e.g. 14:00.")))
        if language is not None:
            if language.value != SERVER_LANGUAGE and language.value not in LANGUAGES:
                raise UserFacingError(_("Pick one of the languages offered. Nothing was changed."))
            changes["locale"] = None if language.value == SERVER_LANGUAGE else language.value

        settings = await self.bot.repos.settings.update(guild.id, **changes) if changes else current
        if journal_dm is not None:
            await self.bot.repos.journal_shares.set_recipient(guild.id, interaction.user.id, journal_dm)
        if "timezone" in changes and changes["timezone"] != current.timezone:
            # Schedules are in the group's local time, so they move with the group's zone.
            for schedule in await self.bot.repos.schedules.for_guild(guild.id):
                await self.bot.repos.schedules.set_timezone(schedule.id, settings.timezone)
                await self.bot.scheduler.schedule_changed(schedule.id)

        # The reply is in the supervisor's own language; the group's language is named in itself.
        resolved = await group_locale(self.bot.repos, guild.id, guild)
        embed = settings_embed(settings, problems_for(guild, settings), resolved)
        changed = bool(changes) or journal_dm is not None
        footer = [_("Saved.") if changed else _("Nothing changed. Pass options to change a setting.")]
        if "locale" in changes and settings.locale != current.locale:
            footer.append(
                # Translators: {language} is the group's language named in itself, e.g. "Deutsch".
                _("Posts to the group will be in {language} from now on.").format(
                    language=group_language(settings, resolved)
                )
            )
        embed.set_footer(text=" ".join(footer))
        recipients = await self.bot.repos.journal_shares.recipients(guild.id)
        embed.add_field(name=_("Shared journal entries go to"), value=share_targets(settings, recipients), inline=False)
        scheduled = {schedule.kind for schedule in await self.bot.repos.schedules.for_guild(guild.id)}
        steps = discord.Embed(
            title=_("Next steps"),
            description=checklist_text(next_steps(settings, scheduled, language_name(resolved)))[:4096],
        )
        embeds = [embed, steps]
        if digest_opt_in:
            embeds.append(discord.Embed(title=_("An opt-in digest channel"), description=opt_in_howto()))
        await interaction.response.send_message(embeds=embeds, ephemeral=True)
