"""Reflective prompts: scheduled group prompts, opt-in DM prompts and a private journal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.scheduling import SystemJob
from cogs.reflect.cog import ReflectCog
from cogs.reflect.private_share import DYNAMIC_ITEMS as SHARE_ITEMS
from cogs.reflect.views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.client import SupervisionBot


async def setup(bot: SupervisionBot) -> None:
    await bot.add_cog(ReflectCog(bot))
    bot.add_dynamic_items(*DYNAMIC_ITEMS, *SHARE_ITEMS)
    # Supervisors' copies of shared journal entries are deleted once past [retention] shared_entry_days.
    bot.scheduler.add_system_job(SystemJob("journal_share_expiry", hour=3, minute=40))
    # Personal prompts are checked every 5 minutes, so each arrives within 5 minutes of its local time.
    bot.scheduler.add_system_job(SystemJob("reflect_dm_tick", every_minutes=5))
