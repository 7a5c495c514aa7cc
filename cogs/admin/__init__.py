"""Group setup, schedules, status, privacy controls and retention."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.fire_times import SystemJob
from cogs.admin.privacy_cog import ConfirmDelete, PrivacyCog
from cogs.admin.retention import RetentionCog
from cogs.admin.schedule_cog import ScheduleCog
from cogs.admin.setup_cog import SetupCog
from cogs.admin.status_cog import StatusCog

if TYPE_CHECKING:
    from bot.client import SupervisionBot


async def setup(bot: SupervisionBot) -> None:
    for cog in (SetupCog(bot), ScheduleCog(bot), StatusCog(bot), PrivacyCog(bot), RetentionCog(bot)):
        await bot.add_cog(cog)
    bot.add_dynamic_items(ConfirmDelete)
    bot.scheduler.add_system_job(SystemJob("retention_purge", hour=3))
