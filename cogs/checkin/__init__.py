"""Anonymous countertransference check-ins, kept so that no file or log links one to a member (docs/privacy.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.scheduling import SystemJob
from cogs.checkin.cog import CheckInCog
from cogs.checkin.reply_views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.client import SupervisionBot


async def setup(bot: SupervisionBot) -> None:
    await bot.add_cog(CheckInCog(bot))
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    # Hourly, so each group's week closes (its unshared check-ins roll over) soon after its local midnight.
    bot.scheduler.add_system_job(SystemJob("checkin_rollover", every_minutes=60))
