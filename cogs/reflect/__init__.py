"""Reflective prompts: scheduled group prompts, opt-in DM prompts and a private journal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.scheduling import SystemJob
from cogs.reflect import journal_flow, private_share, prompt_flow, views
from cogs.reflect.cog import ReflectCog

if TYPE_CHECKING:
    from bot.client import SupervisionBot


async def setup(bot: SupervisionBot) -> None:
    # The one place the buttons meet the flows they start (see bot/flows.py).
    views.JOURNAL.bind(journal_flow)
    views.PROMPTS.bind(prompt_flow)
    await bot.add_cog(ReflectCog(bot))
    bot.add_dynamic_items(*views.DYNAMIC_ITEMS, *private_share.DYNAMIC_ITEMS)
    # Supervisors' copies of shared journal entries are deleted once past [retention] shared_entry_days.
    bot.scheduler.add_system_job(SystemJob("journal_share_expiry", hour=3, minute=40))
    # Personal prompts are checked every 5 minutes, so each arrives within 5 minutes of its local time.
    bot.scheduler.add_system_job(SystemJob("reflect_dm_tick", every_minutes=5))
