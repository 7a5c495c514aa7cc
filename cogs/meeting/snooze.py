""" "Later (1 h)" and "Skip this one" on a feedback DM: put it off once, or let it go."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord.utils import format_dt

from bot.db.repositories.meeting_dms import SnoozeOutcome
from bot.i18n import _
from bot.user_error import UserFacingError

if TYPE_CHECKING:
    from bot.client import SupervisionBot

LATER = timedelta(hours=1)


async def later(bot: SupervisionBot, interaction: discord.Interaction, guild_id: int, meeting_id: int) -> str:
    """Snooze the DM for an hour; return the note that replaces its buttons."""
    now = bot.scheduler.clock()
    meeting = await bot.repos.meetings.get(meeting_id)
    if meeting is None or meeting.feedback_until is None or meeting.feedback_until <= now:
        raise UserFacingError(_("The questions about that meeting have closed, so there is nothing to put off."))
    if meeting.feedback_until <= now + LATER:
        raise UserFacingError(
            _("The questions close {when}, before an hour is up: answer now or skip this one.").format(
                when=format_dt(meeting.feedback_until, "R")
            )
        )
    until = now + LATER
    outcome = await bot.repos.meeting_dms.snooze(guild_id, interaction.user.id, "feedback", meeting_id, until)
    _refuse(outcome)
    # The resend is to this member alone, so an answer just after it is easier to attribute (docs/privacy.md).
    return _(
        "⏰ Put off: I'll send this again {when}, once. It comes to you alone then, so an answer right after it is "
        "easier to tell apart; answering from the channel's button any time avoids that."
    ).format(when=format_dt(until, "R"))


async def skip(bot: SupervisionBot, interaction: discord.Interaction, guild_id: int, meeting_id: int) -> str:
    """Let the DM go; return the note that replaces its buttons."""
    _refuse(await bot.repos.meeting_dms.skip(guild_id, interaction.user.id, "feedback", meeting_id))
    return _("⏭️ Skipped: nothing more about this meeting will come. You can still answer from the channel's button.")


def _refuse(outcome: SnoozeOutcome) -> None:
    if outcome is SnoozeOutcome.ALREADY:
        raise UserFacingError(_("You've already put this off or skipped it. Nothing changed."))
    if outcome is SnoozeOutcome.GONE:
        raise UserFacingError(_("This message is no longer on record, so there is nothing to put off."))
