"""UserFacingError and the one place that turns errors into replies."""

from __future__ import annotations

import logging
import math
import secrets
import sqlite3
from datetime import timedelta

import discord
from discord import app_commands

from bot.i18n import _, ngettext
from bot.scheduling import StillDue
from bot.user_error import UserFacingError

log = logging.getLogger(__name__)
# A post or DM that Discord rate-limited past discord.py's own retries goes again this much later.
RATE_LIMIT_RETRY_SECONDS = 60


__all__ = ["NotSupervisor", "StorageUnavailable", "UserFacingError", "message_for", "reply_with_error"]


class NotSupervisor(UserFacingError, app_commands.CheckFailure):
    """The member lacks the supervisor role and Manage Server.

    A CheckFailure too, because discord.py only routes AppCommandErrors from checks to on_error.
    """

    def __init__(self) -> None:
        # Raised while handling the member's interaction, so it is worded in their language.
        super().__init__(
            _(
                "Only supervisors can do this: it needs the group's supervisor role or the Manage Server "
                "permission. Nothing was changed."
            )
        )


class StorageUnavailable(UserFacingError):
    """The database refused a write (disk full, read-only, locked too long)."""

    def __init__(self) -> None:
        super().__init__(_("Could not save: nothing was recorded. Please try again in a few minutes."))


def retry_delay(error: discord.HTTPException) -> timedelta | None:
    """How long to wait before retrying after a Discord error, or None if retrying cannot help."""
    # 429 and 5xx pass; 4xx (missing permission, unknown channel) need a person to fix something.
    if error.status == 429:
        # Rate limited: nothing went wrong with the work, it just could not go yet. StillDue tells the
        # scheduler to keep the fire due (not failed, not counted as an attempt) and try it again soon.
        return StillDue(seconds=RATE_LIMIT_RETRY_SECONDS)
    return timedelta(minutes=5) if error.status >= 500 else None


def new_error_id() -> str:
    """Return a short id that ties a user's report to the log line."""
    return secrets.token_hex(4)


def _unwrap(error: BaseException) -> BaseException:
    while True:
        if isinstance(error, app_commands.CommandInvokeError):
            error = error.original
        elif isinstance(error, app_commands.TransformerError) and error.__cause__ is not None:
            error = error.__cause__
        else:
            return error


def message_for(error: BaseException, where: str) -> str:
    """Return what to tell the user about an error, logging it (with an id) if it is unexpected."""
    error = _unwrap(error)
    if isinstance(error, UserFacingError):
        return str(error)
    if isinstance(error, app_commands.NoPrivateMessage):
        return _("This command works only inside a server.")
    # Before CheckFailure: a cooldown is a kind of failed check, and says more.
    if isinstance(error, app_commands.CommandOnCooldown):
        seconds = max(1, math.ceil(error.retry_after))
        return ngettext("Slow down: try again in {n} second.", "Slow down: try again in {n} seconds.", seconds).format(
            n=seconds
        )
    if isinstance(error, app_commands.CheckFailure):
        return _("You can't use this command here.")
    if isinstance(error, sqlite3.OperationalError | sqlite3.DatabaseError):
        log.error("storage error in %s: %s", where, error.__class__.__name__)
        return str(StorageUnavailable())
    error_id = new_error_id()
    # Only the exception and place are logged, never the interaction's options: they may carry
    # a member's private text.
    log.error("unexpected error %s in %s", error_id, where, exc_info=error)
    # Translators: {error_id} is a short code the operator finds in the log; keep the backticks around it.
    return _(
        "Something went wrong on our side (error id `{error_id}`). Please tell whoever runs the bot, with that id."
    ).format(error_id=error_id)


async def reply_with_error(interaction: discord.Interaction, error: BaseException, where: str) -> None:
    """Answer the interaction ephemerally with the error's user-facing text."""
    text = message_for(error, where)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
    except discord.HTTPException:
        log.warning("could not deliver an error reply in %s", where)


class SupervisionCommandTree(app_commands.CommandTree):
    """The command tree with the bot's single app-command error handler."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        name = interaction.command.qualified_name if interaction.command else "an unknown command"
        await reply_with_error(interaction, error, f"/{name}")
