"""Reflective prompts: scheduled group prompts, opt-in DM prompts and a private journal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.fire_times import SystemJob
from cogs.reflect import journal_flow, private_share, prompt_flow, prompt_snooze, snooze_views, views
from cogs.reflect.cog import ReflectCog
from cogs.reflect.snooze_cog import PromptSnoozeCog

if TYPE_CHECKING:
    from bot.client import SupervisionBot


async def setup(bot: SupervisionBot) -> None:
    # The one place the buttons meet the flows they start (see bot/flows.py).
    views.JOURNAL.bind(journal_flow)
    views.PROMPTS.bind(prompt_flow)
    snooze_views.SNOOZE.bind(prompt_snooze)
    await bot.add_cog(ReflectCog(bot))
    await bot.add_cog(PromptSnoozeCog(bot))
    bot.add_dynamic_items(*views.DYNAMIC_ITEMS, *private_share.DYNAMIC_ITEMS, *snooze_views.DYNAMIC_ITEMS)
    # Supervisors' copies of shared journal entries are deleted once past [retention] shared_entry_days.
    bot.scheduler.add_system_job(SystemJob("journal_share_expiry", hour=3, minute=40))
    # Personal prompts are checked every 5 minutes, so each arrives within 5 minutes of its local time.
    bot.scheduler.add_system_job(SystemJob("reflect_dm_tick", every_minutes=5))
    # A prompt DM put off with "Later (1 h)" goes out again within 5 minutes of its hour.
    bot.scheduler.add_system_job(SystemJob("prompt_dm_resend", every_minutes=5))
