"""/privacy: what the bot stores, and a member's export and delete."""

from __future__ import annotations

import asyncio
import io
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.offload import write_document
from bot.ui import client_of, guarded
from bot.user_error import UserFacingError
from cogs.admin.export_render import export_json, export_markdown
from cogs.admin.privacy_text import statement

if TYPE_CHECKING:
    from bot.client import SupervisionBot


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
    return {
        repository.member_data_label: await repository.delete_member(guild_id, user_id)
        for repository in bot.repos.member_data()
    }


class ConfirmDelete(discord.ui.DynamicItem[discord.ui.Button], template=r"sv:privacy:delete:(?P<user>\d+)"):
    """The confirmation button; persistent, and only its owner may press it."""

    def __init__(self, user_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Delete my data", style=discord.ButtonStyle.danger, custom_id=f"sv:privacy:delete:{user_id}"
            )
        )
        self.user_id = user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ConfirmDelete:
        return cls(int(match["user"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, "privacy delete", self._delete(interaction))

    async def _delete(self, interaction: discord.Interaction) -> None:
        bot = client_of(interaction)
        if interaction.user.id != self.user_id or interaction.guild_id is None:
            raise UserFacingError("This button belongs to someone else's request.")
        removed = await delete_member_data(bot, interaction.guild_id, self.user_id)
        lines = [f"- {label}: {count} removed" for label, count in removed.items()]
        text = "🗑️ Done. Everything linked to you in this server is erased:\n" + "\n".join(lines)
        if "checkin" in bot.config.bot.cogs:
            text += (
                "\n\nAnonymous check-ins are not linked to you, so they could not be found this way. "
                "To withdraw one, use `/checkin withdraw` with the code you were shown when you submitted it."
            )
        await interaction.response.edit_message(content=text, view=None)


class PrivacyCog(commands.GroupCog, group_name="privacy", group_description="What the bot stores about you"):
    """Privacy statement, export and delete; for everyone."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="info", description="What the bot stores, who can see it, and for how long")
    async def info(self, interaction: discord.Interaction) -> None:
        embed = discord.Embed(title="Privacy", colour=discord.Colour.teal())
        config = self.bot.config
        ks = (config.quiz.min_group_size, config.checkin.min_digest_size, config.meeting.min_feedback_answers)
        for title, text in statement(config.bot.cogs, *ks):
            embed.add_field(name=title, value=text, inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)

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
            f"Here is everything the bot holds about you in this server ({total} record(s)), "
            "as JSON and as readable Markdown.",
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
            "This erases everything linked to you in this server and cannot be undone. "
            "Take a copy first with `/privacy export` if you want one.",
            view=view,
            ephemeral=True,
        )
