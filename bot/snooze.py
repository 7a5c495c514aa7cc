""" "Later (1 h)" and "Skip this one" on a DM: what both features' snooze buttons share."""

from __future__ import annotations

from datetime import datetime, timedelta

import discord
from discord.utils import format_dt

from bot.db.repositories.meeting_dms import SnoozeOutcome
from bot.i18n import _
from bot.user_error import UserFacingError

LATER = timedelta(hours=1)


def refuse(outcome: SnoozeOutcome) -> None:
    """Say why a press of Later or Skip changed nothing; return quietly if it did change something."""
    if outcome is SnoozeOutcome.ALREADY:
        raise UserFacingError(_("You've already put this off or skipped it. Nothing changed."))
    if outcome is SnoozeOutcome.GONE:
        raise UserFacingError(_("This message is no longer on record, so there is nothing to put off."))


def put_off_note(until: datetime) -> str:
    """The line added to a DM put off for an hour."""
    # Translators: {when} is a Discord relative time that the reader's app shows in their language ("in an hour").
    return _("⏰ Put off: I'll send this again {when}, once (later still if it falls in your quiet hours).").format(
        when=format_dt(until, "R")
    )


async def replace_buttons(interaction: discord.Interaction, note: str, view: discord.ui.View | None) -> None:
    """Edit the DM: its text with the note added, its embeds as they were, and only the buttons still meaningful."""
    content = interaction.message.content if interaction.message else ""
    text = f"{content}\n\n{note}" if content else note
    await interaction.response.edit_message(content=text[:2000], view=view)
