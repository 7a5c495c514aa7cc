"""What the quiz's scheduled work records: each fire's outcome for /status, and why a reminder DM failed.

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

NO_QUIZ_OPEN = "no quiz was open"
REST_NOT_POSTED = "the rest could not be posted"
# Also marked for the catalogue: a feature that tells a member about their failed DMs may show it translated.
DMS_CLOSED = N_("your DMs are closed to this server")


@dataclass
class Tally:
    """How a round of reminders went."""

    sent: int = 0
    failed: int = 0
    deferred: int = 0
    dropped: int = 0

    def words(self, what: str) -> str:
        parts = [f"{self.sent} {what} sent"]
        if self.failed:
            parts.append(f"{self.failed} could not be delivered")
        if self.deferred:
            parts.append(f"{self.deferred} to retry")
        if self.dropped:
            parts.append(f"{self.dropped} no longer needed")
        return ", ".join(parts)


def reminders_sent(tally: Tally) -> str:
    """A round of reminders before the quiz closes."""
    return tally.words("quiz reminder(s)")


def put_off_sent(tally: Tally) -> str:
    """A round of reminders put off with "Later (1 h)", sent once more."""
    return tally.words("put-off quiz reminder(s)")


def opened(questions: int) -> str:
    """The quiz opened and its post went out."""
    return f"opened with {questions} questions"


def not_posted(error: discord.HTTPException) -> str:
    """The announcement Discord refused."""
    return f"not posted ({discord_error(error)})"


def closed_not_posted(error: discord.HTTPException) -> str:
    """The quiz closed, but Discord refused its results."""
    return f"closed, but results not posted ({discord_error(error)})"


def closed_refused(reason: str) -> str:
    """The quiz closed, but its results could not be posted for a reason a person must fix."""
    return f"closed, but results not posted: {reason}"


def took_part(participants: int, k: int) -> str:
    """How many took part, without an exact count below k."""
    if participants == 0:
        return "nobody took part"
    if participants < k:
        return f"fewer than {k} members took part"
    return f"{participants} members took part"


def results_posted(participants: int, k: int, closed_at: datetime) -> str:
    """The quiz closed and its results went out."""
    return f"results posted ({took_part(participants, k)}), closed {format_dt(closed_at, 'f')}"


def partly_posted(posted: int, total: int) -> str:
    """Some of the results' messages went out before Discord refused one."""
    return f"closed; {posted} of {total} results messages posted"


def refused(error: discord.HTTPException) -> str:
    """Why a DM failed, when it was not closed DMs."""
    return f"Discord refused the message ({error.status})"
