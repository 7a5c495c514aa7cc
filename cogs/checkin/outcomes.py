"""What the check-in feature's scheduled work records: each fire's outcome for /status and the log.

Recorded once and kept as written, in English, like log lines and the scheduler's own details (bot/scheduling.py):
a fire's detail is stored when it runs, before anyone who will read it is known. Nothing here is a message to a
member.
"""

from __future__ import annotations

import discord

from bot.steps import discord_error

ROLLED_OVER = "closed past check-in weeks"
NO_DIGEST_CHANNEL = "the digest channel is not set or not visible to me"
REST_NOT_POSTED = "the rest could not be posted"


def not_posted(error: discord.HTTPException) -> str:
    """A digest Discord refused before any of it landed."""
    return f"not posted ({discord_error(error)})"


def held_back(k: int) -> str:
    """Fewer than k waiting: the count itself is withheld too, since "2 waiting" would already say a lot."""
    return f"fewer than {k} waiting; nothing shared"


def shared(total: int) -> str:
    """The digest went out whole."""
    return f"shared {total} check-ins"


def partly_shared(done: int, total: int) -> str:
    """The digest stopped between two of its messages."""
    return f"shared {done} of {total} check-ins"
