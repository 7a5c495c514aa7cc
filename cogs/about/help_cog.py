"""/help: the caller's commands, one line each, and how a supervision week runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import is_supervisor
from bot.i18n import _
from bot.safety import safety_notice
from cogs.about.guide import help_text, supervisor_help_text

if TYPE_CHECKING:
    from bot.client import SupervisionBot


def registered_paths(tree: app_commands.CommandTree) -> set[str]:
    """Every slash command the bot has loaded, as typed without the slash ('quiz bank add')."""
    paths: set[str] = set()

    def walk(command: app_commands.Command | app_commands.Group) -> None:
        if isinstance(command, app_commands.Group):
            for child in command.commands:
                walk(child)
        else:
            paths.add(command.qualified_name)

    for command in tree.get_commands(type=discord.AppCommandType.chat_input):
        walk(command)
    return paths


class HelpCog(commands.Cog):
    """What members and supervisors can do, fitted to who asks."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="Your commands, one line each, and how a week works")
    async def help(self, interaction: discord.Interaction) -> None:
        supervisor = await is_supervisor(self.bot, interaction)
        registered = registered_paths(self.bot.tree)
        embed = discord.Embed(
            title=_("supervision-bot: help"), description=help_text(registered)[:4096], colour=discord.Colour.teal()
        )
        settings = await self.bot.repos.settings.get(interaction.guild_id) if interaction.guild_id else None
        embed.set_footer(text=safety_notice(settings.support_line if settings else None))
        embeds = [embed]
        if supervisor:
            embeds.append(
                discord.Embed(
                    title=_("Supervisor commands"),
                    description=supervisor_help_text(registered)[:4096],
                    colour=discord.Colour.teal(),
                )
            )
        await interaction.response.send_message(embeds=embeds, ephemeral=True)
