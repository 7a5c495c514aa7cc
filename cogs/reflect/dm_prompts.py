"""Personal prompts by DM, each in the member's own zone: claimed once (a lease), sent concurrently, failures apart."""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from bot.content.banks import ReflectionPrompt
from bot.db.models import CLAIM_LEASE
from bot.db.repositories.subscriptions import Delivery, DeliveryOutcome, Subscription
from bot.errors import retry_delay
from bot.i18n import _, speaking
from bot.languages import group_locale
from bot.leases import BatchLeases
from bot.pacing import requests_started
from bot.safety import safety_notice
from bot.scheduling import MAX_ATTEMPTS
from bot.steps import dm_nonce
from cogs.reflect import outcomes
from cogs.reflect.catalogue import find_prompt, server_prompts
from cogs.reflect.delivery_reasons import CLOSED, PAUSED, REFUSED, STOPPED_EACH_TIME, STOPPED_TOO_LONG
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


async def send_due_prompts(bot: SupervisionBot, now: datetime, batches: BatchLeases, fire_id: int) -> str:
    """Send every personal prompt that is due by now, and any a stopped process left unsent; return an outcome.

    The database work is batched: one read of every subscription with its last delivery, one
    transaction claiming every due DM, and the outcomes settled a batch at a time, so a fan-out to
    a thousand members costs a handful of commits rather than two per member. The claims are a lease
    held by this batch (run by fire `fire_id`) and renewed while it runs (a paced fan-out may outlast
    the lease). A claim some other batch stopped renewing, or held by an earlier run of this fire (one
    taken over from a stopped process), is taken over here and sent again with the same nonce.
    """
    repos = bot.repos
    # Never replay anything from before the subscription, or from long ago; the look-back covers a
    # prompt held back by a whole night of quiet hours.
    lookback = max(bot.scheduler.grace, timedelta(hours=24))
    prompts: dict[int, list[ReflectionPrompt]] = {}
    planned: list[tuple[Subscription, Delivery, ReflectionPrompt]] = []
    active: dict[tuple[int, int], Subscription] = {}
    due_now: list[tuple[Subscription, datetime]] = []
    for check in await repos.subscriptions.active_with_last_due():
        sub = check.subscription
        active[sub.guild_id, sub.user_id] = sub
        due = _due(sub, check.last_due, now, lookback)
        if due is not None:
            due_now.append((sub, due))
    await repos.warm({sub.guild_id for sub, _ in due_now})  # their servers' prompt lists, a read per kind
    for sub, due in due_now:
        if sub.guild_id not in prompts:  # the prompt list once per server, not per member
            prompts[sub.guild_id] = await server_prompts(repos, sub.guild_id, bot.get_guild(sub.guild_id))
        if prompts[sub.guild_id]:
            prompt = _rng.choice(prompts[sub.guild_id])
            planned.append((sub, Delivery(sub.guild_id, sub.user_id, due, prompt.id), prompt))
    owner = f"fire{fire_id}"
    async with batches.batch(owner) as holder:
        won = await repos.subscriptions.claim_many([delivery for _, delivery, _ in planned], now, holder)
        claimed = [plan for plan, mine in zip(planned, won, strict=True) if mine]
        # The scheduler takes a stopped process's DM tick over as soon as its lease runs out, and the DMs that
        # run held with it, rather than five minutes on, while Discord may still remember their nonces.
        taken = await repos.subscriptions.take_over_stale(now, now - CLAIM_LEASE, holder, batches.held, owner)
        resumed = await _resume(bot, taken, active, now, now - lookback, holder)
        return await _send_claimed(
            bot, [*claimed, *resumed.to_send], holder, resumed=len(resumed.to_send), given_up=resumed.given_up
        )


@dataclass(frozen=True)
class _TakenOver:
    """What became of the DMs taken over from a stopped process: those still to send, and how many were failed."""

    to_send: list[tuple[Subscription, Delivery, ReflectionPrompt]]
    given_up: int


async def _resume(
    bot: SupervisionBot,
    taken: list[Delivery],
    active: dict[tuple[int, int], Subscription],
    now: datetime,
    since: datetime,
    holder: str,
) -> _TakenOver:
    """Sort the DMs taken over from a stopped process: to send again (with the prompt it chose), or settled now.

    One tried MAX_ATTEMPTS times already, or due before `since` (too late to be of use), is recorded as failed
    with the reason, and the member is told as for any failed DM. One whose member has since stopped their
    subscription, or whose prompt is gone, is skipped.
    """
    repos = bot.repos
    to_send: list[tuple[Subscription, Delivery, ReflectionPrompt]] = []
    settled: list[DeliveryOutcome] = []
    for delivery in taken:
        if delivery.attempts > MAX_ATTEMPTS:
            settled.append(_outcome(delivery, "failed", detail=STOPPED_EACH_TIME))
            continue
        if delivery.due_at < since:
            settled.append(_outcome(delivery, "failed", detail=STOPPED_TOO_LONG))
            continue
        sub = active.get((delivery.guild_id, delivery.user_id))
        guild = bot.get_guild(delivery.guild_id)
        # The prompt the stopped process chose, even if switched off since: the DM may have reached the member.
        prompt = None if sub is None else await find_prompt(repos, delivery.guild_id, guild, delivery.prompt_id)
        if sub is None or prompt is None:
            settled.append(_outcome(delivery, "skipped"))
        else:
            to_send.append((sub, delivery, prompt))
    # Settled before the member is told, so a stop between the two can never tell them twice.
    await repos.subscriptions.settle_many(settled, holder)
    failed = [o for o in settled if o.detail is not None]
    for outcome in failed:
        await repos.deliveries.record(outcome.guild_id, outcome.user_id, "reflect", outcome.detail or "", now)
    if to_send:
        log.info("prompt DMs: sending again %d left unsent by a stopped process", len(to_send))
    if failed:
        log.warning(
            "prompt DMs: gave up on %d a stopped process left unsent (stopped at each try, or too late)", len(failed)
        )
    return _TakenOver(to_send, len(failed))


async def _send_claimed(
    bot: SupervisionBot,
    claimed: list[tuple[Subscription, Delivery, ReflectionPrompt]],
    holder: str,
    *,
    resumed: int,
    given_up: int,
) -> str:
    """Send the DMs this batch holds, a few at a time, settling each; return the round's outcome."""
    repos = bot.repos
    # The support line is the server's (cached, read ahead for the batch), and every member's language comes in
    # one read per 250. Each DM speaks its member's last-seen locale, else the group's.
    servers = {sub.guild_id for sub, _, _ in claimed}
    support = {guild_id: (await repos.settings.get(guild_id)).support_line for guild_id in servers}
    groups = {guild_id: await group_locale(repos, guild_id, bot.get_guild(guild_id)) for guild_id in servers}
    members = [(sub.guild_id, sub.user_id) for sub, _, _ in claimed]
    seen = await repos.member_locales.of_members(members)
    locales = {member: seen.get(member, groups[member[0]]) for member in members}
    settler = _Settler(bot, holder)
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
        # Also then: what was sent is recorded as sent. A DM that was on its way keeps its claim, no longer
        # renewed: the next process takes it over and sends it again with the same nonce.
        await settler.flush()
    sent, failed, deferred = results.count("sent"), results.count("failed"), results.count("deferred")
    return outcomes.dm_prompts_sent(sent, failed, deferred, resumed=resumed, given_up=given_up)


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


def _outcome(
    delivery: Delivery, status: str, dm_channel_id: int | None = None, *, detail: str | None = None
) -> DeliveryOutcome:
    return DeliveryOutcome(delivery.guild_id, delivery.user_id, delivery.due_at, status, dm_channel_id, detail)


class _Settler:
    """Collects a batch's DM outcomes and records them a hundred at a time, in one transaction each."""

    def __init__(self, bot: SupervisionBot, holder: str) -> None:
        self._bot = bot
        self._holder = holder
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
        await self._bot.repos.subscriptions.settle_many(batch, self._holder)


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
