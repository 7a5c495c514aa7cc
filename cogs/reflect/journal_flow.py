"""The private journal: save, page through, delete, share and export a member's own entries."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord

from bot.channels import ServerChannel, server_channel
from bot.command_translator import shown_commands
from bot.i18n import _, ngettext, speaking
from bot.languages import group_locale
from bot.offload import write_document
from bot.ui import persistent_view
from bot.user_error import UserFacingError
from cogs.reflect.catalogue import find_prompt
from cogs.reflect.logic import journal_markdown, page_bounds, page_count
from cogs.reflect.private_share import ShareWithSupervisor, Unshare, delete_copies
from cogs.reflect.render import journal_embed
from cogs.reflect.views import DeleteEntry, JournalPage, ShareEntry

if TYPE_CHECKING:
    from bot.client import SupervisionBot

PER_PAGE = 3


async def save_entry(
    bot: SupervisionBot, interaction: discord.Interaction, guild_id: int, prompt_id: str | None, body: str
) -> None:
    """Save a reflection exactly as written; only then say so."""
    if not body.strip():
        raise UserFacingError(_("The reflection was empty, so nothing was saved."))
    prompt = await find_prompt(bot.repos, guild_id, bot.get_guild(guild_id), prompt_id) if prompt_id else None
    entry_id = await bot.repos.journal.add(
        guild_id,
        interaction.user.id,
        body,
        bot.scheduler.clock(),
        prompt_id=prompt.id if prompt else None,
        prompt_text=prompt.text if prompt else None,
        element=prompt.element if prompt else None,
    )
    await interaction.response.send_message(
        shown_commands(
            _("Saved to your private journal as entry #{id}. Only you can see it: `/reflect journal show`.")
        ).format(id=entry_id),
        view=persistent_view(ShareEntry(entry_id), ShareWithSupervisor(entry_id)),
        ephemeral=True,
    )


async def show_page(bot: SupervisionBot, interaction: discord.Interaction, page: int, *, edit: bool) -> None:
    """Show one page of the member's own journal, newest first."""
    if interaction.guild_id is None:
        raise UserFacingError(_("Open your journal inside your group's server."))
    total = await bot.repos.journal.count(interaction.guild_id, interaction.user.id)
    page, start, end = page_bounds(total, page, PER_PAGE)
    entries = await bot.repos.journal.page(interaction.guild_id, interaction.user.id, start, end - start)
    pages = page_count(total, PER_PAGE)
    buttons: list[discord.ui.Item] = []
    if page > 0:
        buttons.append(JournalPage(page - 1, "prev"))
    if page + 1 < pages:
        buttons.append(JournalPage(page + 1, "next"))
    shares = await bot.repos.journal_shares.for_member(interaction.guild_id, interaction.user.id)
    buttons += [DeleteEntry(e.id, "ask") for e in entries]
    buttons += [Unshare(e.id) if e.id in shares else ShareWithSupervisor(e.id) for e in entries]
    embed = journal_embed(entries, page, pages, total, shares)
    if edit:
        await interaction.response.edit_message(
            content=None, embed=embed, view=persistent_view(*buttons) if buttons else None
        )
    else:
        await interaction.response.send_message(embed=embed, view=persistent_view(*buttons), ephemeral=True)


async def delete_step(bot: SupervisionBot, interaction: discord.Interaction, entry_id: int, step: str) -> None:
    """Ask, then delete (or keep) one of the member's own entries."""
    guild_id = interaction.guild_id
    entry = await bot.repos.journal.get(guild_id or 0, interaction.user.id, entry_id)
    if entry is None:
        raise UserFacingError(_("That entry doesn't exist or isn't yours."))
    if step == "ask":
        await interaction.response.edit_message(
            content=_("Delete entry #{id} for good?").format(id=entry_id),
            embed=None,
            view=persistent_view(DeleteEntry(entry_id, "yes"), DeleteEntry(entry_id, "no")),
        )
    elif step == "yes":
        await delete_copies(bot, entry_id)  # a shared entry's copies go with it
        await bot.repos.journal.delete(entry.guild_id, interaction.user.id, entry_id)
        await interaction.response.edit_message(
            content=_("🗑️ Entry #{id} deleted.").format(id=entry_id), embed=None, view=None
        )
    else:
        await show_page(bot, interaction, 0, edit=True)


async def share_entry(bot: SupervisionBot, interaction: discord.Interaction, entry_id: int) -> None:
    """Post one of the member's own entries into the week's group thread, under their own name.

    The post speaks the group's language; the member's confirmation speaks theirs.
    """
    if interaction.guild_id is None:
        raise UserFacingError(_("Share from inside the server."))
    entry = await bot.repos.journal.get(interaction.guild_id, interaction.user.id, entry_id)
    if entry is None:
        raise UserFacingError(_("That entry doesn't exist or isn't yours."))
    if entry.shared_message_id is not None:
        raise UserFacingError(_("You've already shared that entry."))
    latest = await bot.repos.reflect.latest_group_prompt(interaction.guild_id)
    if latest is None:
        raise UserFacingError(_("There is no group prompt thread yet to share into."))
    target: ServerChannel | discord.abc.PrivateChannel | None
    target = server_channel(bot, interaction.guild_id, latest.thread_id or latest.channel_id)
    if target is None and latest.thread_id is not None:
        target = await bot.fetch_channel(latest.thread_id)
    if not isinstance(target, discord.abc.Messageable):
        raise UserFacingError(_("I can't reach the group thread any more."))
    prompt = f"> {entry.prompt_text}\n\n" if entry.prompt_text else ""
    # A display name is the member's own text: escaped, so '*' or '_' in it can't break the bold.
    name = discord.utils.escape_markdown(interaction.user.display_name)
    with speaking(await group_locale(bot.repos, interaction.guild_id, interaction.guild)):
        # Translators: {name} is the member's display name, already in bold.
        shared = _("**{name}** shared a reflection:").format(name=name)
    text = f"{shared}\n{prompt}{entry.body}"
    if len(text) > 2000:
        text = text[:1990] + "…"
    # The member's own words, posted under their name: never allowed to ping anyone.
    message = await target.send(text, allowed_mentions=discord.AllowedMentions.none())
    await bot.repos.journal.mark_shared(interaction.guild_id, interaction.user.id, entry_id, message.id)
    await interaction.response.edit_message(
        content=_("Shared entry #{id} in {channel}.").format(id=entry_id, channel=target.mention), view=None
    )


async def export_journal(bot: SupervisionBot, interaction: discord.Interaction) -> None:
    """Send the member their whole journal as a Markdown file."""
    assert interaction.guild_id is not None
    await interaction.response.defer(ephemeral=True, thinking=True)
    entries = await bot.repos.journal.all_for(interaction.guild_id, interaction.user.id)
    settings = await bot.repos.settings.get(interaction.guild_id)
    rows = [(e.written_at, e.prompt_text, e.element, e.body) for e in entries]
    # A long journal takes real CPU to render; keep it off the event loop.
    markdown = await write_document(journal_markdown, rows, interaction.user.display_name, settings.timezone)
    await interaction.followup.send(
        ngettext("Your journal: {count} entry.", "Your journal: {count} entries.", len(entries)).format(
            count=len(entries)
        ),
        file=discord.File(io.BytesIO(markdown.encode("utf-8")), filename="reflection-journal.md"),
        ephemeral=True,
    )
