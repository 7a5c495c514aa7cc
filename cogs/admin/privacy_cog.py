"""/privacy: what the bot stores, and a member's export and delete."""

from __future__ import annotations

import asyncio
import io
import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_translator import shown_commands
from bot.i18n import _, ngettext
from bot.offload import write_document
from bot.ui import client_of, guarded
from bot.user_error import UserFacingError
from cogs.admin.export_render import export_json, export_markdown, section_title
from cogs.admin.privacy_text import statement

if TYPE_CHECKING:
    from bot.client import SupervisionBot

log = logging.getLogger(__name__)


async def collect_member_data(bot: SupervisionBot, guild_id: int, user_id: int) -> dict[str, Any]:
    """Gather everything every member-data repository holds about one member in one server."""
    sections = {}
    for repository in bot.repos.member_data():
        sections[repository.member_data_label] = [
            row.as_dict() for row in await repository.export_member(guild_id, user_id)
        ]
    return {
        "server_id": guild_id,
        "member_id": user_id,
        "exported_at": bot.scheduler.clock().isoformat(),
        "sections": sections,
    }


async def delete_member_data(bot: SupervisionBot, guild_id: int, user_id: int) -> dict[str, int]:
    """Erase a member's rows from every member-data repository; return counts per kind."""
    # Copies the bot posted for the member (a journal entry shared with supervisors) go first, while the rows
    # that say where they are still exist.
    for cog in bot.cogs.values():
        erase = getattr(cog, "erase_discord_copies", None)
        if erase is not None:
            await erase(guild_id, user_id)
    counts = {
        repository.member_data_label: await repository.delete_member(guild_id, user_id)
        for repository in bot.repos.member_data()
    }
    if not await bot.repos.db.forget_deleted():
        log.warning("privacy delete: the WAL was busy; deleted rows leave it at the next checkpoint")
    return counts


# What one message may carry in its embeds, all together (Discord's limit is 6,000 characters); a statement
# longer than that in some language goes on in a second message.
STATEMENT_CHARACTERS = 5800


def statement_embeds(sections: list[tuple[str, str]]) -> list[discord.Embed]:
    """The privacy statement as embeds, each small enough for a message of its own."""
    embeds = [discord.Embed(title=_("Privacy"), colour=discord.Colour.teal())]
    for title, text in sections:
        if len(embeds[-1]) + len(title) + len(text) > STATEMENT_CHARACTERS:
            embeds.append(discord.Embed(colour=discord.Colour.teal()))
        embeds[-1].add_field(name=title, value=text, inline=False)
    return embeds


class ConfirmDelete(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:privacy:delete:(?P<user>\d+)"):
    """The confirmation button; persistent, and only its owner may press it."""

    def __init__(self, user_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=_("Delete my data"), style=discord.ButtonStyle.danger, custom_id=f"sv:privacy:delete:{user_id}"
            )
        )
        self.user_id = user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ConfirmDelete:
        return cls(int(match["user"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, "privacy-delete", self._delete(interaction))

    async def _delete(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        if interaction.user.id != self.user_id or interaction.guild_id is None:
            raise UserFacingError(_("This button belongs to someone else's request."))
        removed = await delete_member_data(bot, interaction.guild_id, self.user_id)
        lines = [
            # Translators: one line of what a delete removed, e.g. "- Quiz answers: 12 removed".
            _("- {section}: {count} removed").format(section=section_title(label), count=count)
            for label, count in removed.items()
        ]
        parts = [_("🗑️ Done. Everything linked to you in this server is erased:"), *lines]
        if "checkin" in bot.config.bot.cogs:
            parts += [
                "",
                _(
                    "Anonymous check-ins are not linked to you, so they could not be found this way. To withdraw "
                    "one, use `/checkin withdraw` with the code you were shown when you submitted it."
                ),
            ]
        await interaction.response.edit_message(content=shown_commands("\n".join(parts)), view=None)


class PrivacyCog(commands.GroupCog, group_name="privacy", group_description="What the bot stores about you"):
    """Privacy statement, export and delete; for everyone."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="info", description="What the bot stores, who can see it, and for how long")
    async def info(self, interaction: discord.Interaction) -> None:
        config = self.bot.config
        ks = (config.quiz.min_group_size, config.checkin.min_digest_size, config.meeting.min_feedback_answers)
        first, *more = statement_embeds(statement(config.bot.cogs, *ks))
        await interaction.response.send_message(embed=first, ephemeral=True)
        for embed in more:
            await interaction.followup.send(embed=embed, ephemeral=True)

    @app_commands.command(name="export", description="Get a copy of everything the bot holds about you here")
    @app_commands.guild_only()
    async def export(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        document = await collect_member_data(self.bot, interaction.guild_id, interaction.user.id)
        # Rendering a long journal is CPU work; keep it off the event loop.
        as_json, as_markdown = await asyncio.gather(
            write_document(export_json, document), write_document(export_markdown, document)
        )
        total = sum(len(rows) for rows in document["sections"].values())
        await interaction.followup.send(
            ngettext(
                "Here is everything the bot holds about you in this server ({count} record), "
                "as JSON and as readable Markdown.",
                "Here is everything the bot holds about you in this server ({count} records), "
                "as JSON and as readable Markdown.",
                total,
            ).format(count=total),
            files=[
                discord.File(io.BytesIO(as_json), filename="my-data.json"),
                discord.File(io.BytesIO(as_markdown), filename="my-data.md"),
            ],
            ephemeral=True,
        )

    @app_commands.command(name="delete", description="Erase everything the bot holds about you here")
    @app_commands.guild_only()
    async def delete(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(ConfirmDelete(interaction.user.id))
        await interaction.response.send_message(
            shown_commands(
                _(
                    "This erases everything linked to you in this server and cannot be undone. "
                    "Take a copy first with `/privacy export` if you want one."
                )
            ),
            view=view,
            ephemeral=True,
        )
