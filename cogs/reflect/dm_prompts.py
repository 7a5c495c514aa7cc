"""Personal prompts by DM, each in the member's own zone: claimed once, sent concurrently, failures isolated."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from bot.db.repositories.subscriptions import Subscription
from bot.errors import retry_delay
from bot.safety import safety_notice
from cogs.reflect.catalogue import server_prompts
from cogs.reflect.logic import defer_past_quiet_hours, due_times, should_pause_after_failures
from cogs.reflect.render import prompt_embed
from cogs.reflect.snooze_views import prompt_dm_view

if TYPE_CHECKING:
    from bot.client import SupervisionBot

log = logging.getLogger(__name__)
# Enough in flight to keep Discord's rate limiter busy without a stampede of retries.
CONCURRENT_SENDS = 10
FAILURES_BEFORE_PAUSE = 3
CLOSED_DMS = 50007
_rng = random.SystemRandom()


async def send_due_prompts(bot: SupervisionBot, now: datetime) -> str:
    """Send every personal prompt that is due by now; return a one-line outcome."""
    subscriptions = await bot.repos.subscriptions.active()
    gate = asyncio.Semaphore(CONCURRENT_SENDS)
    # One settings read per server, not per DM: the notice and its support line are the server's.
    notices = {
        guild_id: safety_notice((await bot.repos.settings.get(guild_id)).support_line)
        for guild_id in {s.guild_id for s in subscriptions}
    }
    outcomes = await asyncio.gather(*(_deliver(bot, s, now, gate, notices[s.guild_id]) for s in subscriptions))
    sent, failed, deferred = outcomes.count("sent"), outcomes.count("failed"), outcomes.count("deferred")
    return f"{sent} DM prompt(s) sent, {failed} failed, {deferred} to retry"


async def _deliver(bot: SupervisionBot, sub: Subscription, now: datetime, gate: asyncio.Semaphore, notice: str) -> str:
    repos = bot.repos
    last = await repos.subscriptions.last_due(sub.guild_id, sub.user_id)
    # Never replay anything from before the subscription, or from long ago; the look-back covers a
    # prompt held back by a whole night of quiet hours.
    lookback = max(bot.scheduler.grace, timedelta(hours=24))
    after = max(x for x in (last, sub.active_from - timedelta(seconds=1), now - lookback) if x)
    times = due_times(sub.weekdays, sub.local_time, sub.timezone, after, now)
    if not times:
        return "idle"
    due = times[-1]
    if defer_past_quiet_hours(due, sub.timezone, sub.quiet_start, sub.quiet_end) > now:
        return "waiting"  # unclaimed, so a later tick sends it once the quiet hours end
    prompts = await server_prompts(repos, sub.guild_id)
    if not prompts:
        return "idle"
    prompt = _rng.choice(prompts)
    if not await repos.subscriptions.claim(sub.guild_id, sub.user_id, due, prompt.id):
        return "idle"
    if sub.paused_until is not None and due < sub.paused_until:
        await repos.subscriptions.settle(sub.guild_id, sub.user_id, due, "skipped")
        return "skipped"
    async with gate:
        try:
            channel = await bot.create_dm(discord.Object(sub.user_id))
            embed = prompt_embed(prompt, title="Your reflective prompt", notice=notice)
            embed.add_field(name="From", value=_server_name(bot, sub.guild_id), inline=False)
            await channel.send(embed=embed, view=prompt_dm_view(sub.guild_id, prompt.id, due))
        except discord.HTTPException as error:
            if retry_delay(error) is not None:
                # Discord is rate-limiting or down: not the member's doing, so try again next tick.
                await repos.subscriptions.release(sub.guild_id, sub.user_id, due)
                return "deferred"
            await _record_failure(bot, sub, due, error)
            return "failed"
    await repos.subscriptions.settle(sub.guild_id, sub.user_id, due, "sent")
    return "sent"


def _server_name(bot: SupervisionBot, guild_id: int) -> str:
    guild = bot.get_guild(guild_id)
    return guild.name if guild else "your supervision group"


async def _record_failure(bot: SupervisionBot, sub: Subscription, due: datetime, error: discord.HTTPException) -> None:
    """Record a failed DM for this member only; pause their subscription after repeated failures."""
    repos = bot.repos
    await repos.subscriptions.settle(sub.guild_id, sub.user_id, due, "failed")
    closed = error.code == CLOSED_DMS
    reason = "your DMs are closed to this server" if closed else f"Discord refused the message ({error.status})"
    await repos.deliveries.record(sub.guild_id, sub.user_id, "reflect", reason, bot.scheduler.clock())
    failures = await repos.subscriptions.recent_failures(sub.guild_id, sub.user_id, FAILURES_BEFORE_PAUSE)
    if should_pause_after_failures(failures, FAILURES_BEFORE_PAUSE):
        await repos.subscriptions.pause(sub.guild_id, sub.user_id, None)
        await repos.deliveries.record(
            sub.guild_id,
            sub.user_id,
            "reflect",
            f"subscription paused after {failures} failed deliveries",
            bot.scheduler.clock(),
        )
    log.info("a DM prompt could not be delivered (%s)", "closed DMs" if closed else error.status)
