"""Scheduled weekly element quizzes with a sourced question bank."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.fire_times import SystemJob
from cogs.quiz import feedback_views, flow, reminder_flow, reminder_views, reports, views
from cogs.quiz.cog import QuizCog
from cogs.quiz.reminder_cog import QuizReminderCog

if TYPE_CHECKING:
    from bot.client import SupervisionBot


async def setup(bot: SupervisionBot) -> None:
    # The one place the buttons meet the flows they start (see bot/flows.py).
    views.FLOWS.bind(flow)
    feedback_views.FLOWS.bind(reports)
    reminder_views.FLOWS.bind(reminder_flow)
    await bot.add_cog(QuizCog(bot))
    await bot.add_cog(QuizReminderCog(bot))
    bot.add_dynamic_items(*views.DYNAMIC_ITEMS, *feedback_views.DYNAMIC_ITEMS, *reminder_views.DYNAMIC_ITEMS)
    # Reminders before the quiz closes, and ones put off an hour, go out within 5 minutes of their time.
    bot.scheduler.add_system_job(SystemJob("quiz_reminder_tick", every_minutes=5))
