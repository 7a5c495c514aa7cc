"""A short welcome when the bot joins a server, in the first channel where it may post."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot import i18n
from bot.command_translator import shown_commands
from bot.i18n import _
from bot.languages import group_locale
from bot.safety import safety_notice
from cogs.about.guide import BOT_NAME, WELCOME

if TYPE_CHECKING:
    from bot.client import SupervisionBot

log = logging.getLogger(__name__)


def welcome_channel(guild: discord.Guild) -> discord.TextChannel | None:
    """The server's system channel if the bot may post there, else the first text channel where it may."""
    me = guild.me

    def may_post(channel: discord.TextChannel) -> bool:
        allowed = channel.permissions_for(me)
        return allowed.view_channel and allowed.send_messages and allowed.embed_links

    if guild.system_channel is not None and may_post(guild.system_channel):
        return guild.system_channel
    return next((c for c in sorted(guild.text_channels, key=lambda c: c.position) if may_post(c)), None)


class WelcomeCog(commands.Cog):
    """Point the owner to /setup once, on joining."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        channel = welcome_channel(guild)
        if channel is None:
            # Nowhere it may post: staying silent is right; /help and /setup still work.
            log.info("joined a server with no channel to welcome in")
            return
        # A post to the group: in the group's language, which on joining is the server's preferred locale.
        with i18n.speaking(await group_locale(self.bot.repos, guild.id, guild)):
            embed = discord.Embed(
                title=_("Thanks for adding {name}").format(name=BOT_NAME), description=shown_commands(_(WELCOME))
            )
            embed.colour = discord.Colour.teal()
            embed.set_footer(text=safety_notice())
        try:
            await channel.send(embed=embed)
        except discord.HTTPException as error:
            log.info("could not post the welcome (%s)", error.status)
