"""Scheduled work as recorded steps: each step is written down once done, so a retry never repeats it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import discord

from bot.db.models import Fire
from bot.db.repositories.fires import FireRepository

# Discord keeps a message nonce for a few minutes; within that window, sending again with the same
# nonce returns the message already made instead of making a second one. That covers the gap between
# a post landing and its step being recorded (a crash, or a 5xx answer to a post that did go through).
NONCE_MAX = 25


class StepFailed(Exception):
    """A step of scheduled work failed after earlier steps were done and recorded."""

    def __init__(self, done: str, failed: str, error: discord.HTTPException) -> None:
        super().__init__(f"{done}; {failed}")
        self.done = done
        self.failed = failed
        self.error = error

    @property
    def detail(self) -> str:
        """What /status says: what was done, and what could not be, with Discord's status code."""
        return f"{self.done}; {self.failed} ({discord_error(self.error)})"


def discord_error(error: discord.HTTPException) -> str:
    """Name a Discord failure in words a supervisor can act on."""
    if error.status == 429:
        return "Discord error 429: rate limited"
    if error.status >= 500:
        return f"Discord error {error.status}: Discord is having trouble"
    if error.status == 403:
        return "Discord error 403: I lack a permission there"
    if error.status == 404:
        return "Discord error 404: the channel or message is gone"
    return f"Discord error {error.status}"


@dataclass
class Steps:
    """The steps of one fire done so far, and a way to record the next."""

    fire: Fire
    done: dict[str, str]
    _fires: FireRepository

    @classmethod
    async def load(cls, fires: FireRepository, fire: Fire) -> Steps:
        """Read which steps of this fire earlier attempts completed."""
        return cls(fire, await fires.steps_done(fire.id), fires)

    def value(self, step: str) -> str | None:
        """What a done step made (a message id, or ''), or None if it is not done."""
        return self.done.get(step)

    def count(self, prefix: str) -> int:
        """How many numbered steps with this prefix are done (digest batches)."""
        return sum(1 for step in self.done if step.startswith(prefix))

    async def mark(self, step: str, value: object = "") -> None:
        """Record a step as done, at once, before anything else is attempted."""
        text = "" if value is None else str(value)
        await self._fires.record_step(self.fire.id, step, text)
        self.done[step] = text

    def nonce(self, step: str) -> str:
        """A nonce unique to this fire and step, for Discord to drop a duplicate of the same post."""
        return f"sv{self.fire.id}.{step}"[:NONCE_MAX]


def dm_nonce(tag: str, about: int, user_id: int, guild_id: int | None = None) -> str:
    """A nonce for one DM to one person, unique among all the bot's messages, within Discord's 25 characters.

    Discord dedupes a nonce per author, not per channel: a nonce shared by DMs to several people would make
    Discord return the first person's message to everyone after them, and they would get nothing. Pass the
    server when `about` does not name it (a due time rather than a row's id): a member of two groups may be due
    a DM from each at the same moment.
    """
    key = f"{tag}:{about}:{user_id}" if guild_id is None else f"{tag}:{about}:{user_id}:{guild_id}"
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"sv{tag}{digest}"[:NONCE_MAX]
