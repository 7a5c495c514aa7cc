"""The daily retention purge: removes rows older than each kind's configured limit."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from discord.ext import commands

from bot.db.models import Fire

if TYPE_CHECKING:
    from bot.client import SupervisionBot


class RetentionCog(commands.Cog):
    """Listens for the daily retention_purge fire."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_retention_purge_due(self, fire: Fire) -> None:
        now = self.bot.scheduler.clock()
        removed = []
        for repository in self.bot.repos.with_retention():
            days = self.bot.config.retention.days_for(repository.retention_key)
            count = await repository.purge_before(now - timedelta(days=days))
            removed.append(f"{count} {repository.retention_key.removesuffix('_days').replace('_', ' ')} row(s)")
        summary = "removed " + ", ".join(removed)
        await self.bot.repos.purges.record(now, summary)
        await self.bot.scheduler.finish(fire, "posted", summary)
