"""What the meeting's scheduled work records: each fire's outcome for /status, and why a DM was not delivered.

Recorded once and kept as written, in English, like log lines and the scheduler's own details (bot/scheduling.py):
a fire's detail is stored when it runs, before anyone who will read it is known, and a member's export keeps its
stored values English. Nothing here is a message to a member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import discord
from discord.utils import format_dt

from bot.i18n import N_
from bot.steps import discord_error

NO_CHANNEL = "the group channel is not set or not visible to me"
NO_MEETING = "no meeting in the last day: set the meeting in /setup or the attendance schedule"
NO_BRIEF_RECIPIENT = "no supervisor asked for it by DM (/meeting settings brief_dm:True)"
# Also marked for the catalogue: a feature that tells a member about their failed DMs may show it translated.
DMS_CLOSED = N_("your DMs are closed to this server")


@dataclass
class Fanout:
    """How a round of DMs went."""

    sent: int = 0
    failed: int = 0
    deferred: int = 0
    error: discord.HTTPException | None = None

    def words(self, what: str) -> str:
        parts = [f"{self.sent} {what} sent"]
        if self.failed:
            parts.append(f"{self.failed} could not be delivered")
        if self.deferred:
            parts.append(f"{self.deferred} to retry")
        return ", ".join(parts)


def not_posted(error: discord.HTTPException) -> str:
    """A group post Discord refused."""
    return f"not posted ({discord_error(error)})"


def refused(error: discord.HTTPException) -> str:
    """Why a DM failed, when it was not closed DMs."""
    return f"Discord refused the message ({error.status})"


def attendance_open(until: datetime) -> str:
    """The attendance post went out."""
    return f"attendance open until {format_dt(until, 't')}"


def questions_open(until: datetime, fanout: Fanout) -> str:
    """The questions went out in the channel, and by DM to those who asked."""
    outcome = f"questions open until {format_dt(until, 'f')}; {fanout.words('DM(s)')}"
    if fanout.error is not None:
        return f"posted; {outcome} ({discord_error(fanout.error)})"
    return outcome


def briefs_sent(fanout: Fanout, dropped: int) -> str:
    """The brief went to the supervisors who asked; some may no longer be supervisors."""
    outcome = fanout.words("brief(s)") + (f", {dropped} no longer a supervisor" if dropped else "")
    return f"{outcome} ({discord_error(fanout.error)})" if fanout.error is not None else outcome


def resends_sent(fanout: Fanout, closed: int) -> str:
    """Snoozed DMs sent again; some had closed in the meantime."""
    return fanout.words("snoozed DM(s)") + (f", {closed} closed" if closed else "")
