"""Scheduled weekly element quizzes with a sourced question bank."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.quiz import feedback_views, flow, reports, views
from cogs.quiz.cog import QuizCog

if TYPE_CHECKING:
    from bot.client import SupervisionBot


async def setup(bot: SupervisionBot) -> None:
    # The one place the buttons meet the flows they start (see bot/flows.py).
    views.FLOWS.bind(flow)
    feedback_views.FLOWS.bind(reports)
    await bot.add_cog(QuizCog(bot))
    bot.add_dynamic_items(*views.DYNAMIC_ITEMS, *feedback_views.DYNAMIC_ITEMS)
