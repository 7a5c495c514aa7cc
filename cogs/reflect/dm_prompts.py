"""Personal prompts by DM, each in the member's own zone: claimed once, sent concurrently, failures isolated."""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from bot.content.banks import ReflectionPrompt
from bot.db.repositories.subscriptions import Delivery, DeliveryOutcome, Subscription
from bot.errors import retry_delay
from bot.i18n import _, speaking
from bot.languages import group_locale
from bot.pacing import requests_started
from bot.safety import safety_notice
from bot.steps import dm_nonce
from cogs.reflect import outcomes
from cogs.reflect.catalogue import server_prompts
from cogs.reflect.delivery_reasons import CLOSED, PAUSED, REFUSED
from cogs.reflect.logic import defer_past_quiet_hours, due_times, should_pause_after_failures
from cogs.reflect.render import prompt_embed
from cogs.reflect.snooze_views import prompt_dm_view

if TYPE_CHECKING:
    from bot.client import SupervisionBot

log = logging.getLogger(__name__)
# Enough in flight to keep Discord's rate limiter busy without a stampede of retries.
CONCURRENT_SENDS = 10
# Outcomes recorded per transaction while a fan-out runs (and whatever is left at its end).
SETTLE_EVERY = 100
FAILURES_BEFORE_PAUSE = 3
CLOSED_DMS = 50007
_rng = random.SystemRandom()


async def send_due_prompts(bot: SupervisionBot, now: datetime) -> str:
    """Send every personal prompt that is due by now; return a one-line outcome.

    The database work is batched: one read of every subscription with its last delivery, one
    transaction claiming every due DM, and the outcomes settled a batch at a time, so a fan-out to
    a thousand members costs a handful of commits rather than two per member.
    """
    repos = bot.repos
    # Never replay anything from before the subscription, or from long ago; the look-back covers a
    # prompt held back by a whole night of quiet hours.
    lookback = max(bot.scheduler.grace, timedelta(hours=24))
    prompts: dict[int, list[ReflectionPrompt]] = {}
    planned: list[tuple[Subscription, Delivery, ReflectionPrompt]] = []
    for check in await repos.subscriptions.active_with_last_due():
        sub = check.subscription
        due = _due(sub, check.last_due, now, lookback)
        if due is None:
            continue
        if sub.guild_id not in prompts:  # the prompt list once per server, not per member
            prompts[sub.guild_id] = await server_prompts(repos, sub.guild_id, bot.get_guild(sub.guild_id))
        if prompts[sub.guild_id]:
            prompt = _rng.choice(prompts[sub.guild_id])
            planned.append((sub, Delivery(sub.guild_id, sub.user_id, due, prompt.id), prompt))
    won = await repos.subscriptions.claim_many([delivery for _, delivery, _ in planned])
    claimed = [plan for plan, mine in zip(planned, won, strict=True) if mine]
    # One read per server, not per DM: the support line is the server's, and its members' languages come in one
    # query. Each DM speaks its member's last-seen locale, else the group's.
    servers = {sub.guild_id for sub, _, _ in claimed}
    support = {guild_id: (await repos.settings.get(guild_id)).support_line for guild_id in servers}
    locales: dict[tuple[int, int], str] = {}
    for guild_id in servers:
        group = await group_locale(repos, guild_id, bot.get_guild(guild_id))
        members = [sub.user_id for sub, _, _ in claimed if sub.guild_id == guild_id]
        seen = await repos.member_locales.get_many(guild_id, members)
        locales |= {(guild_id, user_id): seen.get(user_id, group) for user_id in members}
    settler = _Settler(bot)
    gate = asyncio.Semaphore(CONCURRENT_SENDS)
    sends: list[asyncio.Future[str]] = []
    try:
        for sub, delivery, _ in claimed:
            if sub.paused_until is not None and delivery.due_at < sub.paused_until:
                await settler.add(_outcome(delivery, "skipped"))
        sends = [
            asyncio.ensure_future(
                _deliver(
                    bot,
                    sub,
                    delivery,
                    prompt,
                    gate,
                    _Speech(locales[sub.guild_id, sub.user_id], support[sub.guild_id]),
                    settler,
                )
            )
            for sub, delivery, prompt in claimed
            if not (sub.paused_until is not None and delivery.due_at < sub.paused_until)
        ]
        results = await asyncio.gather(*sends)
    finally:
        if not all(send.done() for send in sends):
            # Cancelled at shutdown (a paced fan-out takes a while): each DM not yet on its way gives its
            # claim back, so the next tick, in this process or the next, sends it.
            for send in sends:
                send.cancel()
            await asyncio.wait(sends)
        # Also then: what was sent is recorded as sent.
        await settler.flush()
    sent, failed, deferred = results.count("sent"), results.count("failed"), results.count("deferred")
    return outcomes.dm_prompts_sent(sent, failed, deferred)


def _due(sub: Subscription, last: datetime | None, now: datetime, lookback: timedelta) -> datetime | None:
    """The member's latest due time not yet claimed, or None (nothing due, or held back by quiet hours)."""
    after = max(x for x in (last, sub.active_from - timedelta(seconds=1), now - lookback) if x)
    times = due_times(sub.weekdays, sub.local_time, sub.timezone, after, now)
    if not times:
        return None
    due = times[-1]
    if defer_past_quiet_hours(due, sub.timezone, sub.quiet_start, sub.quiet_end) > now:
        return None  # unclaimed, so a later tick sends it once the quiet hours end
    return due


@dataclass(frozen=True)
class _Speech:
    """How one DM speaks: its member's language, and the server's support line for the safety notice."""

    locale: str
    support_line: str | None


def _outcome(delivery: Delivery, status: str, dm_channel_id: int | None = None) -> DeliveryOutcome:
    return DeliveryOutcome(delivery.guild_id, delivery.user_id, delivery.due_at, status, dm_channel_id)


class _Settler:
    """Collects DM outcomes and records them a batch at a time, in one transaction per batch."""

    def __init__(self, bot: SupervisionBot) -> None:
        self._bot = bot
        self._pending: list[DeliveryOutcome] = []

    async def add(self, outcome: DeliveryOutcome) -> None:
        self.hold(outcome)
        if len(self._pending) >= SETTLE_EVERY:
            await self.flush()

    def hold(self, outcome: DeliveryOutcome) -> None:
        """Keep an outcome for the next flush, without writing now (a cancelled send cannot wait)."""
        self._pending.append(outcome)

    async def flush(self) -> None:
        batch, self._pending = self._pending, []
        await self._bot.repos.subscriptions.settle_many(batch)


async def _deliver(
    bot: SupervisionBot,
    sub: Subscription,
    delivery: Delivery,
    prompt: ReflectionPrompt,
    gate: asyncio.Semaphore,
    speech: _Speech,
    settler: _Settler,
) -> str:
    opened, sent_from = None, None  # sent_from: paced requests started before the send, once it began
    try:
        async with gate:
            try:
                with speaking(speech.locale):
                    notice = safety_notice(speech.support_line)
                    embed = prompt_embed(prompt, title=_("Your reflective prompt"), notice=notice)
                    embed.add_field(name=_("From"), value=_server_name(bot, sub.guild_id), inline=False)
                    view = prompt_dm_view(sub.guild_id, prompt.id, delivery.due_at)
                # The same nonce on every try of this DM (a reply lost to a 5xx, a takeover after a stop): if an
                # earlier one reached the member, Discord returns that message rather than make a second.
                nonce = dm_nonce("pd", int(delivery.due_at.timestamp()), sub.user_id, sub.guild_id)
                try:
                    channel, opened = await _dm_channel(bot, sub, sub.dm_channel_id)
                    sent_from = requests_started()
                    await channel.send(embed=embed, view=view, nonce=nonce)
                except discord.NotFound:
                    if sub.dm_channel_id is None:
                        raise
                    # The remembered channel is gone on Discord's side: open the member's DM channel anew, once.
                    sent_from = None  # that send was refused: nothing went out
                    await bot.repos.subscriptions.forget_dm_channel(sub.guild_id, sub.user_id)
                    channel, opened = await _dm_channel(bot, sub, None)
                    sent_from = requests_started()
                    await channel.send(embed=embed, view=view, nonce=nonce)
            except discord.HTTPException as error:
                if retry_delay(error) is not None:
                    # Discord is rate-limiting or down: not the member's doing, so try again next tick.
                    await settler.add(_outcome(delivery, "released", opened))
                    return "deferred"
                await _record_failure(bot, sub, delivery.due_at, error)
                return "failed"
    except asyncio.CancelledError:
        if sent_from is None or requests_started() == sent_from:
            # The DM never left (still waiting for the gate or its paced slot): a later tick sends it.
            settler.hold(_outcome(delivery, "released", opened))
        # A send already on its way may have landed: its claim stays, so it is never sent twice.
        raise
    await settler.add(_outcome(delivery, "sent", opened))
    return "sent"


async def _dm_channel(
    bot: SupervisionBot, sub: Subscription, remembered: int | None
) -> tuple[discord.abc.Messageable, int | None]:
    """The member's DM channel, and its id when it had to be opened (to remember for next time)."""
    if remembered is not None:
        # A known DM channel takes no request to find: one request per DM instead of two.
        return bot.get_partial_messageable(remembered, type=discord.ChannelType.private), None
    channel = await bot.create_dm(discord.Object(sub.user_id))
    return channel, channel.id


def _server_name(bot: SupervisionBot, guild_id: int) -> str:
    guild = bot.get_guild(guild_id)
    return guild.name if guild else _("your supervision group")


async def _record_failure(bot: SupervisionBot, sub: Subscription, due: datetime, error: discord.HTTPException) -> None:
    """Record a failed DM for this member only; pause their subscription after repeated failures."""
    repos = bot.repos
    await repos.subscriptions.settle(sub.guild_id, sub.user_id, due, "failed")
    closed = error.code == CLOSED_DMS
    # Recorded in English (member data, shown translated by delivery_reasons).
    reason = CLOSED if closed else REFUSED.format(status=error.status)
    await repos.deliveries.record(sub.guild_id, sub.user_id, "reflect", reason, bot.scheduler.clock())
    failures = await repos.subscriptions.recent_failures(sub.guild_id, sub.user_id, FAILURES_BEFORE_PAUSE)
    if should_pause_after_failures(failures, FAILURES_BEFORE_PAUSE):
        await repos.subscriptions.pause(sub.guild_id, sub.user_id, None)
        await repos.deliveries.record(
            sub.guild_id,
            sub.user_id,
            "reflect",
            PAUSED.format(count=failures),
            bot.scheduler.clock(),
        )
    log.info("a DM prompt could not be delivered (%s)", "closed DMs" if closed else error.status)
