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
        # Per retention setting, not per table: tables that share a setting are one figure in the summary.
        removed: dict[str, int] = {}
        for repository in self.bot.repos.with_retention():
            days = self.bot.config.retention.days_for(repository.retention_key)
            count = await repository.purge_before(now - timedelta(days=days))
            removed[repository.retention_key] = removed.get(repository.retention_key, 0) + count
        words = (f"{count} {key.removesuffix('_days').replace('_', ' ')} row(s)" for key, count in removed.items())
        summary = "removed " + ", ".join(words)
        await self.bot.repos.purges.record(now, summary)
        await self.bot.scheduler.finish(fire, "posted", summary)
