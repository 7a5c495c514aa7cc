"""Reminders before the week's quiz closes: to members who asked and haven't finished, each claimed once.

Every 5 minutes the tick looks at each server with members who asked (/quiz remind): its open quiz and when its
quiz-closes schedule next runs (a paused schedule has no close, so no reminder). A member is due at their chosen
hours before the close, kept out of their quiet hours (bot/quiet_hours.py). A reminder is claimed in
reminder_dms before it is sent, so a restart or a second process never sends it twice; one put off with
"Later (1 h)" goes out once more when its hour is up, if the quiz is still open and still unfinished. Each DM
speaks its member's language as last seen in the server, else the group's, read for a whole server at once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord.utils import format_dt

from bot import i18n
from bot.db.models import QuizWeek
from bot.db.repositories.reminders import QuizReminderChoice, ReminderDm
from bot.errors import retry_delay
from bot.fire_times import next_fire
from bot.i18n import _, ngettext
from bot.languages import group_locale
from bot.quiet_hours import in_quiet_hours, reminder_time
from bot.steps import dm_nonce
from cogs.quiz.outcomes import DMS_CLOSED, Tally, put_off_sent, refused, reminders_sent
from cogs.quiz.reminder_views import reminder_view, resent_view

if TYPE_CHECKING:
    from bot.client import SupervisionBot

log = logging.getLogger(__name__)
CLOSED_DMS = 50007


def _server_name(bot: SupervisionBot, guild_id: int) -> str:
    guild = bot.get_guild(guild_id)
    return guild.name if guild else ""  # not in the cache: the DM says where it comes from without a name


async def _languages(bot: SupervisionBot, guild_id: int, user_ids: list[int]) -> tuple[dict[int, str], str]:
    """Each member's last-seen locale in a server (one read for all of them), and the group's language."""
    group = await group_locale(bot.repos, guild_id, bot.get_guild(guild_id))
    return await bot.repos.member_locales.get_many(guild_id, user_ids), group


async def quiz_close(bot: SupervisionBot, guild_id: int, now: datetime) -> datetime | None:
    """When the server's quiz next closes by its schedule; None without one, or while it is paused for good."""
    schedule = await bot.repos.schedules.get_kind(guild_id, "quiz_closes")
    return next_fire(schedule, now) if schedule is not None else None


def reminder_text(server: str, quiz: QuizWeek, answered: int, close: datetime) -> str:
    """The reminder: where it comes from, when the quiz closes, and how far the member got."""
    total = len(quiz.item_ids)
    when, soon = format_dt(close, "F"), format_dt(close, "R")
    # Translators: {when} is a date and time; {soon} the same as "in 5 hours" (Discord shows both).
    text = (
        ngettext(
            "⏰ This week's quiz closes {when} ({soon}), and you've answered {answered} of its {total} question. "
            "Open the quiz post to carry on; only your first answer to each question counts.",
            "⏰ This week's quiz closes {when} ({soon}), and you've answered {answered} of its {total} questions. "
            "Open the quiz post to carry on; only your first answer to each question counts.",
            total,
        )
        if answered
        else ngettext(
            "⏰ This week's quiz closes {when} ({soon}), and you haven't answered any of its {total} question yet. "
            "Open the quiz post to carry on; only your first answer to each question counts.",
            "⏰ This week's quiz closes {when} ({soon}), and you haven't answered any of its {total} questions yet. "
            "Open the quiz post to carry on; only your first answer to each question counts.",
            total,
        )
    ).format(when=when, soon=soon, answered=answered, total=total)
    # Translators: {server} is the name of the Discord server the reminder comes from.
    origin = (
        _("From **{server}**").format(server=discord.utils.escape_markdown(server))
        if server
        else _("From your supervision group")
    )
    return f"{origin}\n{text}"[:2000]


async def _unfinished(bot: SupervisionBot, quiz: QuizWeek, user_id: int) -> int | None:
    """How many questions the member answered, or None if they finished the quiz."""
    answered = len(await bot.repos.quiz.member_answers(quiz.id, user_id))
    return None if answered >= len(quiz.item_ids) else answered


async def send_due_reminders(bot: SupervisionBot, now: datetime) -> str:
    """Send every quiz reminder due by now; return a one-line outcome."""
    by_guild: dict[int, list[QuizReminderChoice]] = defaultdict(list)
    for choice in await bot.repos.reminders.quiz_reminder_choices():
        by_guild[choice.guild_id].append(choice)
    tally = Tally()
    for guild_id, choices in by_guild.items():
        close = await quiz_close(bot, guild_id, now)
        quizzes = await bot.repos.quiz.open_quizzes(guild_id)
        if close is None or not quizzes:
            continue
        due_now = [
            choice
            for choice in choices
            # Not yet, or in their quiet hours: a later tick sends it (before the close).
            if now >= reminder_time(close, timedelta(hours=choice.hours_before), choice.timezone, *_quiet(choice))
            and not in_quiet_hours(now, choice.timezone, *_quiet(choice))
        ]
        if not due_now:
            continue
        locales, group = await _languages(bot, guild_id, [choice.user_id for choice in due_now])
        for choice in due_now:
            with i18n.speaking(locales.get(choice.user_id) or group):
                await _remind(bot, tally, choice, quizzes[0], close, now)
    return reminders_sent(tally)


def _quiet(choice: QuizReminderChoice) -> tuple[str | None, str | None]:
    return choice.quiet_start, choice.quiet_end


async def _remind(
    bot: SupervisionBot, tally: Tally, choice: QuizReminderChoice, quiz: QuizWeek, close: datetime, now: datetime
) -> None:
    answered = await _unfinished(bot, quiz, choice.user_id)
    if answered is None:
        return  # finished: nothing to remind them of
    key = (choice.guild_id, choice.user_id, "quiz", quiz.id)
    if not await bot.repos.reminders.claim(*key, now):
        return  # sent already, or another process is sending it
    text = reminder_text(_server_name(bot, choice.guild_id), quiz, answered, close)
    view = reminder_view(choice.guild_id, quiz)
    await _send(bot, tally, key, text, view, nonce=dm_nonce("q", quiz.id, choice.user_id), settled="sent", now=now)


async def resend_put_off(bot: SupervisionBot, now: datetime) -> str:
    """Send each reminder put off with "Later (1 h)" once more, if its quiz is still open and unfinished."""
    tally = Tally()
    reminders = bot.repos.reminders
    by_guild: dict[int, list[ReminderDm]] = defaultdict(list)
    for dm in await reminders.due_resends("quiz", now):
        by_guild[dm.guild_id].append(dm)
    for guild_id, dms in by_guild.items():
        locales, group = await _languages(bot, guild_id, [dm.user_id for dm in dms])
        for dm in dms:
            choice = await reminders.quiz_reminder(dm.guild_id, dm.user_id)
            if choice is not None and in_quiet_hours(now, choice.timezone, *_quiet(choice)):
                continue  # stays put off until their quiet hours end
            if not await reminders.claim_resend(dm, now):
                continue
            with i18n.speaking(locales.get(dm.user_id) or group):
                await _resend(bot, tally, dm, now)
    return put_off_sent(tally)


async def _resend(bot: SupervisionBot, tally: Tally, dm: ReminderDm, now: datetime) -> None:
    key = (dm.guild_id, dm.user_id, dm.kind, dm.about)
    quiz = await bot.repos.quiz.get(dm.about)
    close = await quiz_close(bot, dm.guild_id, now)
    answered = await _unfinished(bot, quiz, dm.user_id) if quiz is not None and quiz.is_open else None
    if quiz is None or close is None or answered is None:
        await bot.repos.reminders.settle(key, "skipped", now)  # closed, paused or finished since
        tally.dropped += 1
        return
    text = reminder_text(_server_name(bot, dm.guild_id), quiz, answered, close)
    await _send(
        bot, tally, key, text, resent_view(quiz), nonce=dm_nonce("qr", quiz.id, dm.user_id), settled="resent", now=now
    )


async def _send(
    bot: SupervisionBot,
    tally: Tally,
    key: tuple[int, int, str, int],
    text: str,
    view: discord.ui.View,
    *,
    nonce: str,
    settled: str,
    now: datetime,
) -> None:
    """Send one claimed reminder and record how it went; a passing failure hands the claim back."""
    reminders = bot.repos.reminders
    guild_id, user_id = key[0], key[1]
    try:
        channel = await bot.create_dm(discord.Object(user_id))
        # The nonce is this member's and this DM's: a send repeated after a lost reply makes no second message.
        await channel.send(text, view=view, nonce=nonce)
    except discord.HTTPException as error:
        if retry_delay(error) is not None:
            if settled == "resent":
                dm = await reminders.get(key)
                if dm is not None:
                    await reminders.unclaim_resend(dm)
            else:
                await reminders.release(key)
            tally.deferred += 1
            return
        await reminders.settle(key, "failed", now)
        closed = error.code == CLOSED_DMS
        reason = DMS_CLOSED if closed else refused(error)
        await bot.repos.deliveries.record(guild_id, user_id, "quiz", reason, now)
        tally.failed += 1
        log.info("a quiz reminder could not be delivered (%s)", "closed DMs" if closed else error.status)
        return
    await reminders.settle(key, settled, now)
    tally.sent += 1
