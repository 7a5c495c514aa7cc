"""Scheduled weekly element quizzes with a sourced question bank."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.quiz.cog import QuizCog
from cogs.quiz.feedback_views import DYNAMIC_ITEMS as FEEDBACK_ITEMS
from cogs.quiz.views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.client import SupervisionBot


async def setup(bot: SupervisionBot) -> None:
    await bot.add_cog(QuizCog(bot))
    bot.add_dynamic_items(*DYNAMIC_ITEMS, *FEEDBACK_ITEMS)
