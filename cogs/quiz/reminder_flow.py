"""Put a quiz reminder off for an hour, or skip it (the flows behind reminder_views' buttons)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord.utils import format_dt

from bot.db.models import QuizWeek
from bot.i18n import _
from bot.snooze import LATER, put_off_note, refuse
from bot.user_error import UserFacingError
from cogs.quiz.reminders import quiz_close

if TYPE_CHECKING:
    from bot.client import SupervisionBot


async def later(
    bot: SupervisionBot, interaction: discord.Interaction, guild_id: int, quiz_id: int
) -> tuple[str, QuizWeek | None]:
    """Put the reminder off an hour; return the note that replaces its buttons, and the quiz to link to."""
    now = bot.scheduler.clock()
    quiz = await bot.repos.quiz.get(quiz_id)
    if quiz is None or quiz.guild_id != guild_id or not quiz.is_open:
        raise UserFacingError(_("This week's quiz has closed, so there is nothing to put off."))
    close = await quiz_close(bot, guild_id, now)
    if close is not None and close <= now + LATER:
        raise UserFacingError(
            # Translators: {soon} is shown by Discord as "in 20 minutes" in the reader's language.
            _("The quiz closes {soon}, before an hour is up: open it now or skip this one.").format(
                soon=format_dt(close, "R")
            )
        )
    until = now + LATER
    refuse(await bot.repos.reminders.snooze((guild_id, interaction.user.id, "quiz", quiz_id), until, now))
    return put_off_note(until), quiz


async def skip(
    bot: SupervisionBot, interaction: discord.Interaction, guild_id: int, quiz_id: int
) -> tuple[str, QuizWeek | None]:
    """Let the reminder go; return the note that replaces its buttons, and the quiz to link to."""
    now = bot.scheduler.clock()
    refuse(await bot.repos.reminders.skip((guild_id, interaction.user.id, "quiz", quiz_id), now))
    quiz = await bot.repos.quiz.get(quiz_id)
    return _("⏭️ Skipped: no more reminders about this week's quiz. `/quiz remind` changes or stops them."), quiz
