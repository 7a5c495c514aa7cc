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
from bot.command_translator import shown_commands
from bot.i18n import N_, _, number, speaking
from bot.languages import group_locale
from bot.text_hygiene import clean_text, neutralise_mentions
from bot.ui import GuardedModal, button, client_of, guarded, persistent_view
from bot.user_error import UserFacingError
from cogs.reflect import outcomes

if TYPE_CHECKING:
    from bot.client import SupervisionBot

log = logging.getLogger(__name__)
REPLY_LIMIT = 1000
NO_PINGS = discord.AllowedMentions.none()


class ShareWithSupervisor(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:reflect:private:(?P<entry>\d+)"):
    """Share one of your own entries privately with the supervisors; the label says it is not anonymous."""

    def __init__(self, entry_id: int) -> None:
        label = _("Share #{id} with my supervisor (with my name)").format(id=entry_id)
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
        super().__init__(button(f"sv:reflect:unshare:{entry_id}", _("Unshare #{id}").format(id=entry_id)))
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
        super().__init__(button(f"sv:reflect:sreply:{entry_id}", _("Reply (once)"), discord.ButtonStyle.primary))
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
    """Send the member's own entry to the supervisors, under the member's name; only then say so.

    The copy in the supervisors' channel speaks the group's language, each DM its supervisor's; the member's
    confirmation speaks the member's.
    """
    guild = interaction.guild
    if guild is None:
        raise UserFacingError(_("Share from inside your group's server."))
    entry = await bot.repos.journal.get(guild.id, interaction.user.id, entry_id)
    if entry is None:
        raise UserFacingError(_("That entry doesn't exist or isn't yours."))
    settings = await bot.repos.settings.get(guild.id)
    channel = guild.get_channel(settings.supervisor_channel_id) if settings.supervisor_channel_id else None
    recipients = await bot.repos.journal_shares.recipients(guild.id)
    if not isinstance(channel, discord.TextChannel) and not recipients:
        raise UserFacingError(
            shown_commands(
                _(
                    "Your supervisors haven't chosen where shared entries go yet (`/setup supervisor_channel:` or "
                    "`/setup journal_dm:`). Nothing was shared; ask them to set it."
                )
            )
        )
    if not await bot.repos.journal_shares.share(guild.id, interaction.user.id, entry_id, bot.scheduler.clock()):
        raise UserFacingError(
            shown_commands(
                _("You've already shared that entry with your supervisor. Unshare it from `/reflect journal show`.")
            )
        )
    await interaction.response.defer(ephemeral=True, thinking=True)
    group = await group_locale(bot.repos, guild.id, guild)
    # One read for every recipient's language; a supervisor never seen in a command reads the group's.
    seen = await bot.repos.member_locales.get_many(guild.id, recipients)
    targets: list[tuple[discord.abc.Messageable, str]] = (
        [(channel, group)] if isinstance(channel, discord.TextChannel) else []
    )
    for user_id in recipients:
        with contextlib.suppress(discord.HTTPException):
            targets.append((await bot.fetch_user(user_id), seen.get(user_id, group)))
    sent = 0
    for target, locale in targets:
        with speaking(locale):
            embed = _shared_entry_embed(interaction.user.display_name, entry.prompt_text, entry.body, entry_id)
            view = persistent_view(ReplyToShare(entry_id))
        try:
            message = await target.send(embed=embed, view=view, allowed_mentions=NO_PINGS)
        except discord.HTTPException as error:
            log.warning("a supervisor's copy of a shared entry was refused (%s)", error.status)
            continue
        await bot.repos.journal_shares.add_copy(entry_id, message.channel.id, message.id)
        sent += 1
    if not sent:
        await bot.repos.journal_shares.unshare(guild.id, interaction.user.id, entry_id)
        raise UserFacingError(_("I couldn't deliver it to any supervisor, so nothing was shared. Try again later."))
    text = (
        _(
            "Shared entry #{id} with the supervisors' private channel, under your name. A supervisor can reply "
            "once; you'll see it beside the entry in `/reflect journal show`. Unsharing it there deletes their copy."
        )
        if channel
        else _(
            "Shared entry #{id} with your supervisors by DM, under your name. A supervisor can reply once; you'll "
            "see it beside the entry in `/reflect journal show`. Unsharing it there deletes their copy."
        )
    )
    await interaction.followup.send(shown_commands(text).format(id=entry_id), ephemeral=True)


def _shared_entry_embed(member_name: str, prompt_text: str | None, body: str, entry_id: int) -> discord.Embed:
    """A supervisor's copy of a shared entry, in the current language; the member's words as written."""
    embed = discord.Embed(
        title=_("📓 {member} shared a journal entry with you").format(member=member_name),
        description=(f"> {neutralise_mentions(prompt_text)}\n\n" if prompt_text else "")
        + neutralise_mentions(body)[:3500],
        colour=discord.Colour.gold(),
    )
    embed.set_footer(
        text=_(
            "Entry #{id} · shared privately with the group's supervisors, not anonymous. Reply once; "
            "the member reads it in their journal. If they unshare it, this copy is deleted."
        ).format(id=entry_id)
    )
    return embed


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
        raise UserFacingError(_("Unshare from inside your group's server."))
    share = await bot.repos.journal_shares.get(entry_id)
    if share is None or share.user_id != interaction.user.id or share.guild_id != interaction.guild_id:
        raise UserFacingError(_("That entry isn't shared with your supervisor (or isn't yours)."))
    await delete_copies(bot, entry_id)
    await bot.repos.journal_shares.unshare(interaction.guild_id, interaction.user.id, entry_id)
    await interaction.response.send_message(
        _(
            "Unshared entry #{id}: the supervisors' copy is deleted, and with it any reply. It stays in your journal."
        ).format(id=entry_id),
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
    return outcomes.copies_removed(len(expired))


class ShareReplyForm(GuardedModal):
    """A supervisor's one reply; the member sees it beside the entry, with the supervisor's name."""

    card_name = "share-reply"
    expired_hint = N_(
        "This reply form expired before you sent it (the bot restarted while it was open). "
        "Press **Reply (once)** on the shared entry again."
    )

    def __init__(self, entry_id: int, text: str = "") -> None:
        super().__init__(title=_("Reply to a shared journal entry"))
        self.entry_id = entry_id
        # Made per form, in the supervisor's language.
        self.body: discord.ui.TextInput[ShareReplyForm] = discord.ui.TextInput(
            label=_("Your reply (shown with your name)"),
            custom_id="body",
            style=discord.TextStyle.paragraph,
            default=text or None,
            max_length=4000,
        )
        self.add_item(self.body)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await save_reply(client_of(interaction), interaction, self.entry_id, self.body.value or "")


async def _require_share_supervisor(bot: SupervisionBot, interaction: discord.Interaction, entry_id: int) -> int:
    """Check the presser is a supervisor of the share's server (by role there, or as a DM recipient)."""
    share = await bot.repos.journal_shares.get(entry_id)
    if share is None:
        raise UserFacingError(_("The member has unshared this entry, so it can't be replied to."))
    if interaction.guild_id is not None:
        if interaction.guild_id != share.guild_id:
            raise UserFacingError(_("This entry belongs to another server."))
        await require_supervisor(bot, interaction)
    elif interaction.user.id not in await bot.repos.journal_shares.recipients(share.guild_id):
        raise UserFacingError(_("Only the group's supervisors can reply to a shared entry."))
    if share.reply is not None:
        raise UserFacingError(_("A supervisor has already replied to this entry; an entry takes one reply."))
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
        raise UserFacingError(_("The reply was empty, so nothing was saved."))
    if len(text) > REPLY_LIMIT:
        raise UserFacingError(
            _(
                "Your reply is {length} characters; the limit is {limit}. Nothing was saved. "
                "Copy your text, press **Reply (once)** again and shorten it."
            ).format(length=number(len(text)), limit=number(REPLY_LIMIT))
        )
    saved = await bot.repos.journal_shares.set_reply(
        entry_id, text, interaction.user.display_name, bot.scheduler.clock()
    )
    if not saved:
        raise UserFacingError(
            _("A supervisor has already replied to this entry, or it was unshared. Nothing was saved.")
        )
    await interaction.response.send_message(
        _("Reply saved. The member sees it beside the entry in their journal; the bot doesn't notify them."),
        ephemeral=True,
    )
