"""Anonymous countertransference check-ins, kept so that no file or log links one to a member (docs/privacy.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.fire_times import SystemJob
from cogs.checkin import replies, reply_views
from cogs.checkin.cog import CheckInCog

if TYPE_CHECKING:
    from bot.client import SupervisionBot


async def setup(bot: SupervisionBot) -> None:
    # The one place the buttons meet the flow they start (see bot/flows.py).
    reply_views.FLOWS.bind(replies)
    await bot.add_cog(CheckInCog(bot))
    bot.add_dynamic_items(*reply_views.DYNAMIC_ITEMS)
    # Hourly, so each group's week closes (its unshared check-ins roll over) soon after its local midnight.
    bot.scheduler.add_system_job(SystemJob("checkin_rollover", every_minutes=60))
