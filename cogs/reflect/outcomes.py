"""What the reflection feature's scheduled work records: each fire's outcome for /status and the log.

Recorded once and kept as written, in English, like log lines and the scheduler's own details (bot/scheduling.py):
a fire's detail is stored when it runs, before anyone who will read it is known. Nothing here is a message to a
member; why a DM failed is in delivery_reasons.py, because a member is told it.
"""

from __future__ import annotations

import discord

from bot.steps import discord_error

NO_PROMPTS_CHANNEL = "the prompts channel is not set or not visible to me"
RECORD_GONE = "the posted prompt's record is gone"
ALL_SWITCHED_OFF = "every prompt is switched off; re-enable some with /reflect bank"
POSTED = "posted"
NO_THREAD = "the reply thread could not be created"


def not_posted(error: discord.HTTPException) -> str:
    """A group prompt Discord refused."""
    return f"not posted ({discord_error(error)})"


def prompt_posted(prompt_id: str, element: str, *, thread: bool, lean: str | None) -> str:
    """The week's prompt went out, with or without its thread, and whether it leaned toward the weakest element."""
    where = "with a thread" if thread else "without a thread (no permission to create one)"
    return f"posted {prompt_id} ({element}) {where}" + (f"; leaning toward {lean}" if lean else "")


def dm_prompts_sent(sent: int, failed: int, deferred: int, *, resumed: int = 0, given_up: int = 0) -> str:
    """A round of personal prompts by DM, and what became of those a stopped process left unsent.

    Those sent again (`resumed`) are also counted as sent, failed or to retry; those given up only here.
    """
    line = f"{sent} DM prompt(s) sent, {failed} failed, {deferred} to retry"
    if resumed or given_up:
        line += f"; taken over from a stopped process: {resumed} sent again, {given_up} given up"
    return line


def resends(sent: int, dropped: int, failed: int, deferred: int) -> str:
    """A round of prompt DMs put off with Later, sent again."""
    return f"{sent} put-off prompt(s) sent again, {dropped} no longer wanted, {failed} failed, {deferred} to retry"


def copies_removed(count: int) -> str:
    """Supervisors' copies of shared entries past the retention period."""
    return f"removed {count} supervisor cop{'y' if count == 1 else 'ies'} of shared entries"
