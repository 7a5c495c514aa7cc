"""Saving check-ins and releasing digests, with anonymity built into each step."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.db.repositories.checkins import CheckIn
from bot.period_limit import PeriodLimit
from bot.steps import StepFailed, Steps
from bot.text_hygiene import clean_text, neutralise_mentions
from bot.ui import embed_batches
from bot.user_error import UserFacingError
from cogs.checkin.content_warning import compose_warning, warned_text
from cogs.checkin.logic import (
    DIMENSIONS,
    day_of_period,
    digest_order,
    hash_code,
    meets_threshold,
    new_checkin_id,
    new_withdrawal_code,
    period_for,
    weekday_label,
)
from cogs.checkin.reply_views import reply_buttons

if TYPE_CHECKING:
    from bot.client import SupervisionBot


@dataclass
class Draft:
    """A check-in being composed; it lives only in memory until the member submits."""

    dimensions: tuple[str, ...] = ()
    intensity: int | None = None
    raise_it: bool = False
    share_text: bool = False
    text: str = ""
    cw_topic: str | None = None
    cw_words: str = ""

    def problems(self) -> list[str]:
        """What still has to be chosen before the check-in can be saved."""
        wanted = []
        if not self.dimensions:
            wanted.append("what you noticed in yourself")
        if self.intensity is None:
            wanted.append("how strong it was")
        return wanted


async def save_checkin(bot: SupervisionBot, limit: PeriodLimit, guild_id: int, user_id: int, draft: Draft) -> str:
    """Store the check-in anonymously and return the member's one-time withdrawal code."""
    settings = await bot.repos.settings.get(guild_id)
    now = bot.scheduler.clock()
    period = period_for(now, settings.timezone)
    # The user id is used only here, against a count held in memory; it never reaches a file.
    if not await limit.take(guild_id, period, user_id):
        raise UserFacingError(
            f"You've made {limit.limit} check-ins this week, the most one member can. Nothing was saved; "
            "you can check in again next week."
        )
    code = new_withdrawal_code()
    shared = draft.share_text and bool(draft.text.strip())
    checkin = CheckIn(
        id=new_checkin_id(),
        guild_id=guild_id,
        period=period,
        day=day_of_period(now, settings.timezone),
        dimensions=draft.dimensions,
        intensity=draft.intensity or 1,
        body=clean_text(draft.text) or None,
        share_text=shared,
        raise_it=draft.raise_it,
        released=False,
        # A warning only means something over words the group will read.
        content_warning=compose_warning(draft.cw_topic, draft.cw_words) if shared else None,
    )
    try:
        await bot.repos.checkins.save(checkin, hash_code(code))
    except BaseException:
        await limit.give_back(guild_id, period, user_id)
        raise
    return code


def intensity_bar(intensity: int) -> str:
    """Render 1-5 as filled and empty dots."""
    return "●" * intensity + "○" * (5 - intensity) + f" ({intensity}/5)"


def checkin_embed(checkin: CheckIn, number: int | None = None) -> discord.Embed:
    """One check-in as the group sees it: the weekday at most, never a time or a name."""
    embed = discord.Embed(title=f"Check-in · {weekday_label(checkin.day)}", colour=discord.Colour.dark_teal())
    noticed = ", ".join(DIMENSIONS.get(d, d) for d in checkin.dimensions)
    embed.add_field(name="Noticed", value=noticed[:1024], inline=False)
    embed.add_field(name="Intensity", value=intensity_bar(checkin.intensity))
    if checkin.raise_it:
        embed.add_field(name="Meeting", value="Asked for this to be raised")
    if checkin.share_text and checkin.body:
        if checkin.content_warning:
            embed.description = warned_text(checkin.content_warning, checkin.body)
        else:
            embed.description = neutralise_mentions(checkin.body)
    if number is not None:
        embed.set_footer(text=f"#{number}")
    return embed


async def release_digest(bot: SupervisionBot, guild_id: int, channel: discord.abc.Messageable, steps: Steps) -> str:
    """Post the waiting check-ins in random order if there are at least k; return the fire outcome.

    A digest may take several messages. Each one's check-ins are marked shared the moment it lands,
    so a retry after a failure half-way posts only the rest, under no second header.
    """
    k = bot.config.checkin.min_digest_size
    no_pings = discord.AllowedMentions.none()
    if steps.value("notice") is not None:
        return f"fewer than {k} waiting; nothing shared"
    if steps.value("held") is None:
        await bot.repos.checkins.release_holds(guild_id)  # an earlier digest that gave up sets nothing aside
        waiting = await bot.repos.checkins.unreleased(guild_id)
        if not meets_threshold(len(waiting), k):
            await channel.send(
                "Not enough check-ins to share safely this week. They stay private until there are enough "
                "to share without pointing to anyone.",
                allowed_mentions=no_pings,
                nonce=steps.nonce("notice"),
            )
            await steps.mark("notice")
            # The count itself is withheld from /status too: "2 waiting" would already say a lot.
            return f"fewer than {k} waiting; nothing shared"
        held = await bot.repos.checkins.hold_for_digest(guild_id)
        await steps.mark("held", len(held))
    total = int(steps.value("held") or 0)
    # Seeded by the fire, so a batch sent again after a lost reply (same nonce) holds the same check-ins.
    ordered = digest_order(await bot.repos.checkins.held(guild_id), random.Random(steps.fire.id))
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
            raise StepFailed(f"shared {shared} of {total} check-ins", "the rest could not be posted", error) from error
        await bot.repos.checkins.mark_released(guild_id, [c.id for c in in_batch])
        if header:
            await steps.mark("header")
        await steps.mark(f"batch{number}", message.id)
        shared += len(in_batch)
        start += len(in_batch)
        header = []
    return f"shared {total} check-ins"


def digest_header(total: int) -> discord.Embed:
    """The embed that opens a digest: how many, in what order, and what the bot keeps."""
    return discord.Embed(
        title="🫧 Anonymous check-ins",
        description=(
            f"{total} check-ins since the last digest, in random order. The bot stores them without "
            "names or times of day, so the supervisor and whoever runs the bot cannot look up who wrote which. "
            "Please don't guess. What the bot protects, and what it can't: `/privacy info`.\n\n"
            "Supervisors can reply privately to any check-in with its buttons; its author reads the reply with "
            "`/checkin replies` and the code they were given. Words marked **CW** are hidden: click to show them."
        ),
        colour=discord.Colour.dark_teal(),
    )
