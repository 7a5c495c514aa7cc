"""Sharing a journal entry privately with the group's supervisors, under the member's name.

Copies go to the private supervisor channel set with `/setup supervisor_channel:` and by DM to supervisors who
chose `/setup journal_dm:True`. A supervisor replies once; the member reads it beside the entry. Unsharing,
deleting the entry, `/privacy delete` and the retention job delete every copy.
"""

from __future__ import annotations

import contextlib
import logging
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.checks import require_supervisor
from bot.text_hygiene import clean_text, neutralise_mentions
from bot.ui import GuardedModal, button, client_of, guarded, persistent_view
from bot.user_error import UserFacingError

if TYPE_CHECKING:
    from bot.client import SupervisionBot

log = logging.getLogger(__name__)
REPLY_LIMIT = 1000
NO_PINGS = discord.AllowedMentions.none()


class ShareWithSupervisor(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:reflect:private:(?P<entry>\d+)"):
    """Share one of your own entries privately with the supervisors; the label says it is not anonymous."""

    def __init__(self, entry_id: int) -> None:
        label = f"Share #{entry_id} with my supervisor (with my name)"
        super().__init__(button(f"sv:reflect:private:{entry_id}", label))
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ShareWithSupervisor:
        return cls(int(match["entry"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        work = share_privately(client_of(interaction), interaction, self.entry_id)
        await guarded(interaction, "reflect share privately", work)


class Unshare(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:reflect:unshare:(?P<entry>\d+)"):
    """Take a shared entry back: the supervisors' copies are deleted."""

    def __init__(self, entry_id: int) -> None:
        super().__init__(button(f"sv:reflect:unshare:{entry_id}", f"Unshare #{entry_id}"))
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Unshare:
        return cls(int(match["entry"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, "reflect unshare", unshare(client_of(interaction), interaction, self.entry_id))


class ReplyToShare(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:reflect:sreply:(?P<entry>\d+)"):
    """Supervisors: reply once to a shared entry."""

    def __init__(self, entry_id: int) -> None:
        super().__init__(button(f"sv:reflect:sreply:{entry_id}", "Reply (once)", discord.ButtonStyle.primary))
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReplyToShare:
        return cls(int(match["entry"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        work = open_reply(client_of(interaction), interaction, self.entry_id)
        await guarded(interaction, "reflect reply to share", work)


DYNAMIC_ITEMS = (ShareWithSupervisor, Unshare, ReplyToShare)


async def share_privately(bot: SupervisionBot, interaction: discord.Interaction, entry_id: int) -> None:
    """Send the member's own entry to the supervisors, under the member's name; only then say so."""
    guild = interaction.guild
    if guild is None:
        raise UserFacingError("Share from inside your group's server.")
    entry = await bot.repos.journal.get(guild.id, interaction.user.id, entry_id)
    if entry is None:
        raise UserFacingError("That entry doesn't exist or isn't yours.")
    settings = await bot.repos.settings.get(guild.id)
    channel = guild.get_channel(settings.supervisor_channel_id) if settings.supervisor_channel_id else None
    recipients = await bot.repos.journal_shares.recipients(guild.id)
    if not isinstance(channel, discord.TextChannel) and not recipients:
        raise UserFacingError(
            "Your supervisors haven't chosen where shared entries go yet (`/setup supervisor_channel:` or "
            "`/setup journal_dm:`). Nothing was shared; ask them to set it."
        )
    if not await bot.repos.journal_shares.share(guild.id, interaction.user.id, entry_id, bot.scheduler.clock()):
        raise UserFacingError(
            "You've already shared that entry with your supervisor. Unshare it from `/reflect journal show`."
        )
    await interaction.response.defer(ephemeral=True, thinking=True)
    embed = discord.Embed(
        title=f"📓 {interaction.user.display_name} shared a journal entry with you",
        description=(f"> {neutralise_mentions(entry.prompt_text)}\n\n" if entry.prompt_text else "")
        + neutralise_mentions(entry.body)[:3500],
        colour=discord.Colour.gold(),
    )
    embed.set_footer(
        text=f"Entry #{entry_id} · shared privately with the group's supervisors, not anonymous. Reply once; "
        "the member reads it in their journal. If they unshare it, this copy is deleted."
    )
    view = persistent_view(ReplyToShare(entry_id))
    targets: list[discord.abc.Messageable] = [channel] if isinstance(channel, discord.TextChannel) else []
    for user_id in recipients:
        with contextlib.suppress(discord.HTTPException):
            targets.append(await bot.fetch_user(user_id))
    sent = 0
    for target in targets:
        try:
            message = await target.send(embed=embed, view=view, allowed_mentions=NO_PINGS)
        except discord.HTTPException as error:
            log.warning("a supervisor's copy of a shared entry was refused (%s)", error.status)
            continue
        await bot.repos.journal_shares.add_copy(entry_id, message.channel.id, message.id)
        sent += 1
    if not sent:
        await bot.repos.journal_shares.unshare(guild.id, interaction.user.id, entry_id)
        raise UserFacingError("I couldn't deliver it to any supervisor, so nothing was shared. Try again later.")
    where = "the supervisors' private channel" if channel else "your supervisors by DM"
    await interaction.followup.send(
        f"Shared entry #{entry_id} with {where}, under your name. A supervisor can reply once; you'll see it beside "
        "the entry in `/reflect journal show`. Unsharing it there deletes their copy.",
        ephemeral=True,
    )


async def delete_copies(bot: SupervisionBot, entry_id: int) -> None:
    """Delete every supervisor's copy of a shared entry on Discord (ones already gone are fine)."""
    for copy in await bot.repos.journal_shares.copies(entry_id):
        try:
            await bot.get_partial_messageable(copy.channel_id).get_partial_message(copy.message_id).delete()
        except discord.NotFound:
            continue


async def unshare(bot: SupervisionBot, interaction: discord.Interaction, entry_id: int) -> None:
    """Take a shared entry back and delete the supervisors' copies."""
    if interaction.guild_id is None:
        raise UserFacingError("Unshare from inside your group's server.")
    share = await bot.repos.journal_shares.get(entry_id)
    if share is None or share.user_id != interaction.user.id or share.guild_id != interaction.guild_id:
        raise UserFacingError("That entry isn't shared with your supervisor (or isn't yours).")
    await delete_copies(bot, entry_id)
    await bot.repos.journal_shares.unshare(interaction.guild_id, interaction.user.id, entry_id)
    await interaction.response.send_message(
        f"Unshared entry #{entry_id}: the supervisors' copy is deleted, and with it any reply. "
        "It stays in your journal.",
        ephemeral=True,
    )


async def erase_member_copies(bot: SupervisionBot, guild_id: int, user_id: int) -> None:
    """Before a member's data is erased, delete the supervisors' copies of their shared entries."""
    for entry_id in await bot.repos.journal_shares.for_member(guild_id, user_id):
        await delete_copies(bot, entry_id)


async def expire_shares(bot: SupervisionBot) -> str:
    """Delete supervisors' copies of entries shared longer ago than the retention period."""
    days = bot.config.retention.shared_entry_days
    expired = await bot.repos.journal_shares.shared_before(bot.scheduler.clock() - timedelta(days=days))
    for share in expired:
        await delete_copies(bot, share.entry_id)
        await bot.repos.journal_shares.expire(share.entry_id)
    return f"removed {len(expired)} supervisor cop{'y' if len(expired) == 1 else 'ies'} of shared entries"


class ShareReplyForm(GuardedModal, title="Reply to a shared journal entry"):
    """A supervisor's one reply; the member sees it beside the entry, with the supervisor's name."""

    card_name = "share-reply"
    expired_hint = (
        "This reply form expired before you sent it (the bot restarted while it was open). "
        "Press **Reply (once)** on the shared entry again."
    )

    body: discord.ui.TextInput[ShareReplyForm] = discord.ui.TextInput(
        label="Your reply (shown with your name)",
        style=discord.TextStyle.paragraph,
        max_length=4000,
    )

    def __init__(self, entry_id: int, text: str = "") -> None:
        super().__init__()
        self.entry_id = entry_id
        self.body.default = text or None

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await save_reply(client_of(interaction), interaction, self.entry_id, self.body.value or "")


async def _require_share_supervisor(bot: SupervisionBot, interaction: discord.Interaction, entry_id: int) -> int:
    """Check the presser is a supervisor of the share's server (by role there, or as a DM recipient)."""
    share = await bot.repos.journal_shares.get(entry_id)
    if share is None:
        raise UserFacingError("The member has unshared this entry, so it can't be replied to.")
    if interaction.guild_id is not None:
        if interaction.guild_id != share.guild_id:
            raise UserFacingError("This entry belongs to another server.")
        await require_supervisor(bot, interaction)
    elif interaction.user.id not in await bot.repos.journal_shares.recipients(share.guild_id):
        raise UserFacingError("Only the group's supervisors can reply to a shared entry.")
    if share.reply is not None:
        raise UserFacingError("A supervisor has already replied to this entry; an entry takes one reply.")
    return share.guild_id


async def open_reply(bot: SupervisionBot, interaction: discord.Interaction, entry_id: int) -> None:
    """Open the reply form for a supervisor."""
    await _require_share_supervisor(bot, interaction, entry_id)
    await interaction.response.send_modal(ShareReplyForm(entry_id))


async def save_reply(bot: SupervisionBot, interaction: discord.Interaction, entry_id: int, raw: str) -> None:
    """Store the supervisor's one reply; only then say so."""
    await _require_share_supervisor(bot, interaction, entry_id)
    text = clean_text(raw)
    if not text:
        raise UserFacingError("The reply was empty, so nothing was saved.")
    if len(text) > REPLY_LIMIT:
        raise UserFacingError(
            f"Your reply is {len(text):,} characters; the limit is {REPLY_LIMIT:,}. Nothing was saved. "
            "Copy your text, press **Reply (once)** again and shorten it."
        )
    saved = await bot.repos.journal_shares.set_reply(
        entry_id, text, interaction.user.display_name, bot.scheduler.clock()
    )
    if not saved:
        raise UserFacingError("A supervisor has already replied to this entry, or it was unshared. Nothing was saved.")
    await interaction.response.send_message(
        "Reply saved. The member sees it beside the entry in their journal; the bot doesn't notify them.",
        ephemeral=True,
    )
