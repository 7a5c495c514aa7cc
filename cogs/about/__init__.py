"""/about, /help and the welcome on joining a server: what the bot is and how to start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.about.cog import AboutCog
from cogs.about.help_cog import HelpCog
from cogs.about.welcome import WelcomeCog

if TYPE_CHECKING:
    from bot.client import SupervisionBot


async def setup(bot: SupervisionBot) -> None:
    for cog in (AboutCog(bot), HelpCog(bot), WelcomeCog(bot)):
        await bot.add_cog(cog)
