"""Listens for the quiz reminder tick: reminders that fell due, and ones put off whose hour is up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord.ext import commands

from bot.db.models import Fire
from cogs.quiz.reminders import resend_put_off, send_due_reminders

if TYPE_CHECKING:
    from bot.client import SupervisionBot


class QuizReminderCog(commands.Cog):
    """Runs the 5-minute quiz reminder tick."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_quiz_reminder_tick_due(self, fire: Fire) -> None:
        now = self.bot.scheduler.clock()
        outcome = f"{await send_due_reminders(self.bot, now)}; {await resend_put_off(self.bot, now)}"
        await self.bot.scheduler.finish(fire, "posted", outcome)
