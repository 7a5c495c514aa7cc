"""/quiz remind: members ask for a DM some hours before the week's quiz closes, or stop it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot.db.repositories.reminders import QuizReminderChoice
from bot.i18n import N_, _
from bot.quiet_hours import reminder_time
from bot.time_input import parse_time
from bot.timezones import check_timezone, zone_autocomplete
from bot.user_error import UserFacingError
from cogs.quiz.reminders import quiz_close

if TYPE_CHECKING:
    from bot.client import SupervisionBot

DEFAULT_HOURS = 6
ALLOW_DMS = N_(
    "Allow DMs from this server first (right-click the server icon, or tap its name: **Privacy Settings** → "
    "**Direct Messages**), or no reminder can reach you."
)


# The mixin's commands are bound to the cog it is mixed into; the type checker must see it as one.
if TYPE_CHECKING:
    _CogMixin = commands.Cog
else:
    _CogMixin = object


class QuizRemindCommands(_CogMixin):
    """The /quiz remind subcommands, mixed into the quiz cog."""

    bot: SupervisionBot
    remind = app_commands.Group(
        name="remind", description="A DM before the week's quiz closes, if you haven't finished"
    )

    @remind.command(name="on", description="DM me some hours before the quiz closes, if I haven't finished it")
    @app_commands.guild_only()
    @app_commands.describe(
        hours="How many hours before it closes (1-48; default 6)",
        timezone="Your IANA timezone, for the quiet hours (default: the group's)",
        quiet_from="Start of quiet hours, e.g. 22:00 (optional)",
        quiet_until="End of quiet hours, e.g. 07:00 (optional)",
    )
    @app_commands.autocomplete(timezone=zone_autocomplete)
    async def remind_on(
        self,
        interaction: discord.Interaction,
        hours: app_commands.Range[int, 1, 48] = DEFAULT_HOURS,
        timezone: str | None = None,
        quiet_from: str | None = None,
        quiet_until: str | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        repos, now = self.bot.repos, self.bot.scheduler.clock()
        if not 1 <= hours <= 48:  # Discord enforces the range; a client that doesn't is told plainly
            raise UserFacingError(_("Choose between 1 and 48 hours before the quiz closes."))
        if (quiet_from is None) != (quiet_until is None):
            # Translators: quiet_from and quiet_until are the command's options: use their names in your language.
            raise UserFacingError(_("Give both ends of the quiet hours (quiet_from and quiet_until), or neither."))
        settings = await repos.settings.get(interaction.guild_id)
        zone = check_timezone(timezone.strip()) if timezone else settings.timezone
        quiet = (parse_time(quiet_from), parse_time(quiet_until)) if quiet_from and quiet_until else (None, None)
        choice = QuizReminderChoice(interaction.guild_id, interaction.user.id, hours, zone, *quiet)
        await repos.reminders.set_quiz_reminder(choice, now)
        await interaction.response.send_message(await _confirmation(self.bot, choice, now), ephemeral=True)

    @remind.command(name="off", description="Stop reminders before the quiz closes")
    @app_commands.guild_only()
    async def remind_off(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        stopped = await self.bot.repos.reminders.stop_quiz_reminder(interaction.guild_id, interaction.user.id)
        text = _("No more quiz reminders.") if stopped else _("You had no quiz reminder. Nothing changed.")
        await interaction.response.send_message(text, ephemeral=True)


async def _confirmation(bot: SupervisionBot, choice: QuizReminderChoice, now: datetime) -> str:
    """What was saved, and when the next reminder would come."""
    quiet = (
        " "
        # Translators: {start} and {end} are times such as 22:00; {zone} an IANA zone such as Europe/Berlin.
        + _(
            "Quiet hours {start}-{end} ({zone}): no reminder comes then; it comes when they end if there is still "
            "time before the close, and otherwise before they begin."
        ).format(start=choice.quiet_start, end=choice.quiet_end, zone=choice.timezone)
        if choice.quiet_start and choice.quiet_start != choice.quiet_end
        else ""
    )
    close = await quiz_close(bot, choice.guild_id, now)
    if close is None:
        when = _("The quiz has no closing time scheduled right now (or it is paused), so no reminder is due.")
    else:
        due = reminder_time(
            close, timedelta(hours=choice.hours_before), choice.timezone, choice.quiet_start, choice.quiet_end
        )
        if due <= now:
            when = _(
                "The quiz next closes {close}; if you haven't finished it, your reminder comes within 5 minutes."
            ).format(close=format_dt(close, "F"))
        else:
            # Translators: {soon} is shown by Discord as "in 3 hours" in the reader's language.
            when = _("The quiz next closes {close}; if you haven't finished it, your reminder comes {soon}.").format(
                close=format_dt(close, "F"), soon=format_dt(due, "R")
            )
    # Translators: **Later (1 h)** and **Skip this one** are the reminder's buttons: use their translations.
    saved = _(
        "⏰ I'll DM you **{hours} h** before the week's quiz closes, only if you haven't finished it, "
        "with **Later (1 h)** and **Skip this one**."
    ).format(hours=choice.hours_before)
    stop = _("`/quiz remind off` stops them.")
    return f"{saved}{quiet}\n{when}\n{_(ALLOW_DMS)} {stop}"[:2000]
