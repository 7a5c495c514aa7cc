"""/meeting: supervisors record meetings and sessions, confirm attendance, read the brief, reports and feedback."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import require_supervisor
from bot.db.models import Fire
from bot.db.repositories.meetings import MODES, Meeting, MeetingSettings
from bot.i18n import _, ngettext
from bot.user_error import UserFacingError
from cogs.meeting import posts
from cogs.meeting.attendance import attendance_text, display_name, meeting_label
from cogs.meeting.brief import brief_embed, gather_brief
from cogs.meeting.feedback_results import recent_figures
from cogs.meeting.logic import clean_topic, format_hours, local_moment, mode_word, parse_clock, parse_day
from cogs.meeting.report import REPORT_MONTHS, attendance_report, feedback_report
from cogs.meeting.views import AttendanceCard, RemoveMeetingCard

if TYPE_CHECKING:
    from bot.client import SupervisionBot

NO_PINGS = discord.AllowedMentions.none()
MODE_CHOICES = [app_commands.Choice(name=label, value=key) for key, label in MODES.items()]
Minutes = app_commands.Range[int, 10, 480]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class MeetingCog(commands.GroupCog, group_name="meeting", group_description="Supervisors: meetings, attendance, brief"):
    """The supervision meeting, for supervisors; and its scheduled posts."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        await require_supervisor(self.bot, interaction)
        return True

    # Scheduled fires ----------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_meeting_attendance_due(self, fire: Fire) -> None:
        await posts.post_attendance(self.bot, fire)

    @commands.Cog.listener()
    async def on_meeting_feedback_due(self, fire: Fire) -> None:
        await posts.post_feedback(self.bot, fire)

    @commands.Cog.listener()
    async def on_meeting_brief_due(self, fire: Fire) -> None:
        await posts.send_briefs(self.bot, fire)

    @commands.Cog.listener()
    async def on_meeting_dm_resend_due(self, fire: Fire) -> None:
        await posts.resend_snoozed(self.bot, fire)

    # Picking a meeting ---------------------------------------------------------------------------

    async def _choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """The server's recent meetings, newest first, filtered by what was typed."""
        if interaction.guild_id is None:
            return []
        meetings = await self.bot.repos.meetings.recent(interaction.guild_id, limit=100)
        typed = current.strip().lower()
        labels = [(meeting_label(m), str(m.id)) for m in meetings]
        return [
            app_commands.Choice(name=label[:100], value=value) for label, value in labels if typed in label.lower()
        ][:25]

    async def _pick(self, guild_id: int, value: str | None) -> Meeting:
        if value is None:
            latest = await self.bot.repos.meetings.recent(guild_id, limit=1, format="group")
            if not latest:
                raise UserFacingError(
                    _(
                        "No group meeting is on record yet. Record one with `/meeting record`, or set the attendance "
                        "schedule with `/schedule set kind:Meeting attendance`."
                    )
                )
            return latest[0]
        meeting = await self.bot.repos.meetings.get(int(value)) if value.isdigit() else None
        if meeting is None or meeting.guild_id != guild_id:
            raise UserFacingError(_("Pick a meeting from the list as you type; that one isn't on record here."))
        return meeting

    # Commands -------------------------------------------------------------------------------------

    @app_commands.command(name="record", description="Record a meeting, or correct one: date, time, length, format")
    @app_commands.describe(
        meeting="A meeting to correct (leave empty to record a new one)",
        date="YYYY-MM-DD, today or yesterday",
        time="Start, 24-hour HH:MM (default: the group's meeting time)",
        minutes="Length in minutes (default: the group's usual length)",
        mode="In person or online",
        topic="A theme such as “endings”, never client material (up to 100 characters)",
    )
    @app_commands.choices(mode=MODE_CHOICES)
    async def record(
        self,
        interaction: discord.Interaction,
        meeting: str | None = None,
        date: str | None = None,
        time: str | None = None,
        minutes: Minutes | None = None,
        mode: app_commands.Choice[str] | None = None,
        topic: str | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        repos, now = self.bot.repos, self.bot.scheduler.clock()
        settings = await repos.settings.get(interaction.guild_id)
        defaults = await repos.meetings.settings(interaction.guild_id)
        cleaned = clean_topic(topic)
        if meeting is not None:
            old = await self._pick(interaction.guild_id, meeting)
            day = parse_day(date, old.timezone, now) if date else old.local_start.date()
            clock = parse_clock(time) if time else f"{old.local_start:%H:%M}"
            starts = local_moment(day, clock, old.timezone)
            changed = await repos.meetings.correct(
                old.id,
                starts,
                minutes or old.minutes,
                mode.value if mode else old.mode,
                cleaned if topic is not None else old.topic,
            )
            if changed is None:
                raise UserFacingError(_("Another group meeting already starts then. Nothing was changed."))
            await interaction.response.send_message(
                _("✏️ Corrected: **{meeting}**.").format(meeting=meeting_label(changed)), ephemeral=True
            )
            return
        if date is None:
            raise UserFacingError(
                _("Give the meeting's `date` (YYYY-MM-DD, today or yesterday), or pick one to correct.")
            )
        usual = parse_clock(time) if time else settings.meeting_time
        if usual is None:
            raise UserFacingError(
                _("Give the start `time` (e.g. 14:00): the group's meeting time isn't set in /setup.")
            )
        starts = local_moment(parse_day(date, settings.timezone, now), usual, settings.timezone)
        made = await repos.meetings.record(
            interaction.guild_id,
            starts,
            minutes or defaults.minutes,
            "group",
            mode.value if mode else defaults.mode,
            cleaned,
            settings.timezone,
            now,
        )
        if made is None:
            raise UserFacingError(
                _("A group meeting is already on record at that time. Pick it in `meeting:` to correct it.")
            )
        await interaction.response.send_message(
            _("🗓️ Recorded: **{meeting}**. Add who was there with `/meeting attendance`.").format(
                meeting=meeting_label(made)
            ),
            ephemeral=True,
        )

    @app_commands.command(name="individual", description="Log an individual supervision session with a member")
    @app_commands.describe(
        supervisee="The member you supervised",
        date="YYYY-MM-DD, today or yesterday",
        minutes="Length in minutes",
        time="Start, 24-hour HH:MM (default 09:00)",
        mode="In person or online",
        topic="A theme, never client material (up to 100 characters)",
    )
    @app_commands.choices(mode=MODE_CHOICES)
    async def individual(
        self,
        interaction: discord.Interaction,
        supervisee: discord.Member,
        date: str,
        minutes: Minutes,
        time: str | None = None,
        mode: app_commands.Choice[str] | None = None,
        topic: str | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        if supervisee.bot:
            raise UserFacingError(_("That's a bot; pick the member you supervised."))
        repos, now = self.bot.repos, self.bot.scheduler.clock()
        settings = await repos.settings.get(interaction.guild_id)
        defaults = await repos.meetings.settings(interaction.guild_id)
        starts = local_moment(parse_day(date, settings.timezone, now), parse_clock(time or "09:00"), settings.timezone)
        made = await repos.meetings.log_individual(
            interaction.guild_id,
            supervisee.id,
            starts,
            minutes,
            mode.value if mode else defaults.mode,
            clean_topic(topic),
            settings.timezone,
            (interaction.user.id, display_name(interaction)),
            now,
        )
        await interaction.response.send_message(
            _("🗓️ Logged and confirmed: **{meeting}** with {member} ({hours}). It shows in their `/hours show`.").format(
                meeting=meeting_label(made), member=supervisee.mention, hours=format_hours(made.hours)
            ),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    @app_commands.command(name="attendance", description="Who was at a meeting: add, remove, confirm")
    @app_commands.describe(meeting="Which meeting (default: the latest group meeting)")
    async def attendance(self, interaction: discord.Interaction, meeting: str | None = None) -> None:
        assert interaction.guild_id is not None
        chosen = await self._pick(interaction.guild_id, meeting)
        rows = await self.bot.repos.meetings.attendance(chosen.id)
        await interaction.response.send_message(
            attendance_text(chosen, rows),
            view=AttendanceCard(interaction.user.id, chosen.id),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    @app_commands.command(name="remove", description="Delete a meeting recorded by mistake, with its attendance")
    @app_commands.describe(meeting="Which meeting")
    async def remove(self, interaction: discord.Interaction, meeting: str) -> None:
        assert interaction.guild_id is not None
        chosen = await self._pick(interaction.guild_id, meeting)
        people = len(await self.bot.repos.meetings.attendance(chosen.id))
        await interaction.response.send_message(
            ngettext(
                "Delete **{meeting}** and its attendance ({n} recorded), and any feedback on it? Members' hours "
                "from it go too. This cannot be undone.",
                "Delete **{meeting}** and its attendance ({n} recorded), and any feedback on it? Members' hours "
                "from it go too. This cannot be undone.",
                people,
            ).format(meeting=meeting_label(chosen), n=people),
            view=RemoveMeetingCard(interaction.user.id, chosen.id),
            ephemeral=True,
        )

    @app_commands.command(
        name="brief", description="The pre-meeting brief, now: quiz, check-in themes, prompt, feedback"
    )
    async def brief(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        settings = await self.bot.repos.settings.get(interaction.guild_id)
        gathered = await gather_brief(self.bot.repos, self.bot, self.bot.config, settings, self.bot.scheduler.clock())
        await interaction.followup.send(embed=brief_embed(gathered, self.bot.config), ephemeral=True)

    @app_commands.command(name="report", description="Attendance over a period, as a table and a chart")
    @app_commands.describe(months="How many recent months")
    @app_commands.choices(
        months=[app_commands.Choice(name="1 month" if n == 1 else f"{n} months", value=n) for n in REPORT_MONTHS]
    )
    async def report(self, interaction: discord.Interaction, months: int = 3) -> None:
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        text, chart = await attendance_report(self.bot.repos, interaction.guild_id, months, self.bot.scheduler.clock())
        title = ngettext("Attendance · last month", "Attendance · last {n} months", months).format(n=months)
        embed = discord.Embed(title=title, description=_fit(text))
        embed.set_image(url="attachment://attendance.png")
        await interaction.followup.send(embed=embed, file=chart, ephemeral=True, allowed_mentions=NO_PINGS)

    @app_commands.command(name="feedback", description="How members experienced recent meetings (anonymous, k rule)")
    async def feedback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        k = self.bot.config.meeting.min_feedback_answers
        results = await recent_figures(self.bot.repos, interaction.guild_id, self.bot.scheduler.clock(), k)
        text, chart = await feedback_report(results, k)
        embed = discord.Embed(title=_("Meeting feedback"), description=_fit(text), colour=discord.Colour.dark_teal())
        embed.set_image(url="attachment://feedback-trend.png")
        await interaction.followup.send(embed=embed, file=chart, ephemeral=True, allowed_mentions=NO_PINGS)

    @record.autocomplete("meeting")
    @attendance.autocomplete("meeting")
    @remove.autocomplete("meeting")
    async def meeting_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Offer the server's recent meetings as a supervisor types."""
        return await self._choices(interaction, current)

    @app_commands.command(
        name="settings", description="Usual length and mode, how long attendance stays open, brief by DM"
    )
    @app_commands.describe(
        minutes="The usual meeting length in minutes",
        mode="Usually in person or online",
        attendance_hours="How long “Mark me present” stays open after the start (1-48 hours)",
        brief_dm="Send me the pre-meeting brief by DM",
    )
    @app_commands.choices(mode=MODE_CHOICES)
    async def settings(
        self,
        interaction: discord.Interaction,
        minutes: Minutes | None = None,
        mode: app_commands.Choice[str] | None = None,
        attendance_hours: app_commands.Range[int, 1, 48] | None = None,
        brief_dm: bool | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        repos = self.bot.repos
        current = await repos.meetings.settings(interaction.guild_id)
        updated = MeetingSettings(
            interaction.guild_id,
            minutes or current.minutes,
            mode.value if mode else current.mode,
            attendance_hours or current.attendance_hours,
        )
        await repos.meetings.save_settings(updated)
        if brief_dm is not None:
            await repos.meeting_dms.set_opt_in(interaction.guild_id, interaction.user.id, "brief", brief_dm)
        gets = await repos.meeting_dms.is_opted_in(interaction.guild_id, interaction.user.id, "brief")
        shown = {
            "minutes": updated.minutes,
            "mode": mode_word(updated.mode),
            "hours": format_hours(updated.attendance_hours),
        }
        if gets:
            # Translators: “Mark me present” is the attendance button; use its translation.
            text = _(
                "Meetings: **{minutes} min**, **{mode}**; “Mark me present” open **{hours}** from the start; you get "
                "the brief by DM before each meeting (allow DMs from this server's members)."
            ).format(**shown)
        else:
            text = _(
                "Meetings: **{minutes} min**, **{mode}**; “Mark me present” open **{hours}** from the start; you "
                "don't get the brief by DM (`brief_dm:True` to start; `/meeting brief` shows it any time)."
            ).format(**shown)
        await interaction.response.send_message(text, ephemeral=True)


def _fit(text: str, limit: int = 4000) -> str:
    """Text for an embed description, cut at a line with a note if it is too long."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 80].rsplit("\n", 1)[0]
    return cut + "\n" + _("… (more than fits here; choose a shorter period)")
