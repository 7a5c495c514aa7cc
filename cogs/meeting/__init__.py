"""The supervision meeting: the pre-meeting brief, attendance and supervised hours, and anonymous feedback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.fire_times import SystemJob
from cogs.meeting import flows, views
from cogs.meeting.feedback_cog import FeedbackCog
from cogs.meeting.hours_cog import HoursCog
from cogs.meeting.meeting_cog import MeetingCog
from cogs.meeting.views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.client import SupervisionBot


async def setup(bot: SupervisionBot) -> None:
    for cog in (MeetingCog(bot), HoursCog(bot), FeedbackCog(bot)):
        await bot.add_cog(cog)
    views.FLOWS.bind(flows)
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    # Feedback DMs put off with "Later (1 h)" go out again within five minutes of their hour.
    bot.scheduler.add_system_job(SystemJob("meeting_dm_resend", every_minutes=5))
