"""Saving check-ins and releasing digests, with anonymity built into each step.

The functions take the repository, the clock's time and the settings they need, not the bot.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

import discord

from bot.db.repositories.checkins import CheckIn, CheckInRepository
from bot.i18n import _, ngettext
from bot.period_limit import PeriodLimit
from bot.steps import StepFailed, Steps
from bot.text_hygiene import clean_text
from bot.ui import embed_batches
from bot.user_error import UserFacingError
from cogs.checkin import outcomes
from cogs.checkin.content_warning import compose_warning
from cogs.checkin.logic import (
    day_of_period,
    digest_order,
    hash_code,
    meets_threshold,
    new_checkin_id,
    new_withdrawal_code,
    period_for,
)
from cogs.checkin.render import checkin_embed, digest_header
from cogs.checkin.reply_views import reply_buttons


@dataclass(frozen=True)
class Submission:
    """What a member submits: the card's choices and their words, as they stood when they pressed submit."""

    dimensions: tuple[str, ...]
    intensity: int
    raise_it: bool
    share_text: bool
    text: str
    cw_topic: str | None
    cw_words: str


@dataclass(frozen=True)
class DigestResult:
    """What a digest did: shared `total` check-ins, or held them back below k."""

    k: int
    total: int = 0
    below_k: bool = False

    def describe(self) -> str:
        """The digest's line in /status and the log."""
        return outcomes.held_back(self.k) if self.below_k else outcomes.shared(self.total)


async def save_checkin(
    checkins: CheckInRepository,
    limit: PeriodLimit,
    *,
    guild_id: int,
    user_id: int,
    timezone: str,
    now: datetime,
    submission: Submission,
) -> str:
    """Store the check-in anonymously and return the member's one-time withdrawal code."""
    period = period_for(now, timezone)
    # The user id is used only here, against a count held in memory; it never reaches a file.
    if not await limit.take(guild_id, period, user_id):
        raise UserFacingError(
            ngettext(
                "You've made {limit} check-in this week, the most one member can. Nothing was saved; "
                "you can check in again next week.",
                "You've made {limit} check-ins this week, the most one member can. Nothing was saved; "
                "you can check in again next week.",
                limit.limit,
            ).format(limit=limit.limit)
        )
    code = new_withdrawal_code()
    shared = submission.share_text and bool(submission.text.strip())
    checkin = CheckIn(
        id=new_checkin_id(),
        guild_id=guild_id,
        period=period,
        day=day_of_period(now, timezone),
        dimensions=submission.dimensions,
        intensity=submission.intensity,
        body=clean_text(submission.text) or None,
        share_text=shared,
        raise_it=submission.raise_it,
        released=False,
        # A warning only means something over words the group will read.
        content_warning=compose_warning(submission.cw_topic, submission.cw_words) if shared else None,
    )
    try:
        await checkins.save(checkin, hash_code(code))
    except BaseException:
        await limit.give_back(guild_id, period, user_id)
        raise
    return code


async def release_digest(
    checkins: CheckInRepository, k: int, guild_id: int, channel: discord.abc.Messageable, steps: Steps
) -> DigestResult:
    """Post the waiting check-ins in random order if there are at least k.

    A digest may take several messages. Each one's check-ins are marked shared the moment it lands,
    so a retry after a failure half-way posts only the rest, under no second header.
    """
    no_pings = discord.AllowedMentions.none()
    if steps.value("notice") is not None:
        return DigestResult(k, below_k=True)
    if steps.value("held") is None:
        await checkins.release_holds(guild_id)  # an earlier digest that gave up sets nothing aside
        waiting = await checkins.unreleased(guild_id)
        if not meets_threshold(len(waiting), k):
            await channel.send(
                _(
                    "Not enough check-ins to share safely this week. They stay private until there are enough "
                    "to share without pointing to anyone."
                ),
                allowed_mentions=no_pings,
                nonce=steps.nonce("notice"),
            )
            await steps.mark("notice")
            return DigestResult(k, below_k=True)
        held = await checkins.hold_for_digest(guild_id)
        await steps.mark("held", len(held))
    total = int(steps.value("held") or 0)
    # Seeded by the fire, so a batch sent again after a lost reply (same nonce) holds the same check-ins.
    ordered = digest_order(await checkins.held(guild_id), random.Random(steps.fire.id))
    shared = total - len(ordered)
    header = [] if steps.value("header") is not None else [digest_header(total)]
    # Numbers continue after the check-ins an earlier attempt already posted, so #n means one check-in.
    embeds = [checkin_embed(c, shared + n) for n, c in enumerate(ordered, 1)]
    numbered = {id(e): (shared + n, c.id) for n, (e, c) in enumerate(zip(embeds, ordered, strict=True), 1)}
    batches = embed_batches([*header, *embeds])
    start = 0
    for batch in batches:
        number = steps.count("batch") + 1
        in_batch = ordered[start : start + len(batch) - len(header)]
        try:
            # Supervisors reply privately from here; the buttons check who presses them.
            view = reply_buttons([numbered[id(e)] for e in batch if id(e) in numbered])
            message = await channel.send(
                embeds=batch,
                view=view or discord.utils.MISSING,
                allowed_mentions=no_pings,
                nonce=steps.nonce(f"batch{number}"),
            )
        except discord.HTTPException as error:
            if not steps.count("batch"):
                raise  # nothing posted yet: a plain failure, retried from the start
            raise StepFailed(outcomes.partly_shared(shared, total), outcomes.REST_NOT_POSTED, error) from error
        await checkins.mark_released(guild_id, [c.id for c in in_batch])
        if header:
            await steps.mark("header")
        await steps.mark(f"batch{number}", message.id)
        shared += len(in_batch)
        start += len(in_batch)
        header = []
    return DigestResult(k, total)
