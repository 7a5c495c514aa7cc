"""Listens for the put-off prompt tick: prompt DMs whose hour is up go out once more."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord.ext import commands

from bot.db.models import Fire
from cogs.reflect.prompt_snooze import resend_put_off_prompts

if TYPE_CHECKING:
    from bot.client import SupervisionBot


class PromptSnoozeCog(commands.Cog):
    """Runs the 5-minute re-send of put-off prompt DMs."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_prompt_dm_resend_due(self, fire: Fire) -> None:
        outcome = await resend_put_off_prompts(self.bot, self.bot.scheduler.clock())
        await self.bot.scheduler.finish(fire, "posted", outcome)
