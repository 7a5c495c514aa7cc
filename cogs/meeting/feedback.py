"""Anonymous feedback after a meeting: who may answer, once each, and storing the answer with nothing about who."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from discord.utils import format_dt

from bot.db.repositories.meeting_feedback import FeedbackAnswer
from bot.db.repositories.meetings import Meeting
from bot.i18n import _, listing
from bot.period_limit import PeriodLimit
from bot.text_hygiene import clean_text
from bot.user_error import UserFacingError
from cogs.meeting.logic import FEEDBACK_ITEMS, WORDS_LIMIT
from cogs.meeting.views import FeedbackDraft

if TYPE_CHECKING:
    from bot.client import SupervisionBot

# One answer per member per meeting, counted in this process's memory only (bot/period_limit.py): anything on
# disk that said who answered would sit beside the answers in time. A restart resets it, as the docs say.
_LIMITS: weakref.WeakKeyDictionary[SupervisionBot, PeriodLimit] = weakref.WeakKeyDictionary()


def answer_limit(bot: SupervisionBot) -> PeriodLimit:
    """This bot's once-per-meeting limit."""
    return _LIMITS.setdefault(bot, PeriodLimit(1))


def period_of(meeting: Meeting) -> str:
    """The limit's period for a meeting."""
    return f"meeting-{meeting.id}"


def feedback_intro(meeting: Meeting) -> str:
    """What the member reads before answering: what is asked, and what is kept."""
    lines = [
        _("**How was supervision on {day}?** Three quick ratings, 0 to 10:").format(
            day=format_dt(meeting.starts_at, "D")
        ),
        *(
            # Translators: one question: its name, the question, and what 0 and 10 mean.
            _("- **{name}:** {question} ({low}, {high})").format(
                name=_(item.name), question=_(item.question), low=_(item.low), high=_(item.high)
            )
            for item in FEEDBACK_ITEMS
        ),
        "",
        _(
            "Anonymous: the bot stores your ratings without your name, the time or the order they came in, and "
            "supervisors see them only after the questions close, and only once enough members have answered. "
            "Words are optional and reach supervisors only if you add them."
        ),
    ]
    return "\n".join(lines)


async def answerable_meeting(bot: SupervisionBot, guild_id: int, user_id: int, meeting_id: int) -> Meeting:
    """The meeting, if this member may still answer about it; otherwise say why not."""
    meeting = await bot.repos.meetings.get(meeting_id)
    now = bot.scheduler.clock()
    if meeting is None or meeting.guild_id != guild_id:
        raise UserFacingError(_("That meeting is no longer on record, so there is nothing to answer."))
    if meeting.feedback_until is None or meeting.feedback_until <= now:
        raise UserFacingError(_("The questions about that meeting have closed. Look out for them after the next one."))
    attendees = {row.user_id for row in await bot.repos.meetings.attendance(meeting.id)}
    if user_id not in attendees:
        raise UserFacingError(
            _(
                "The questions are for members recorded at that meeting, and you aren't. If you were there, ask a "
                "supervisor to add you with `/meeting attendance`, then answer."
            )
        )
    if answer_limit(bot).used(guild_id, period_of(meeting), user_id):
        raise UserFacingError(_("You've already answered about this meeting; one answer each. Nothing changed."))
    return meeting


def clean_words(raw: str) -> str:
    """Words as stored: hidden characters out; refuse more than the limit."""
    words = clean_text(raw)
    if len(words) > WORDS_LIMIT:
        raise UserFacingError(
            _("Your words are {length} characters; the limit is {limit}. Shorten them.").format(
                length=len(words), limit=WORDS_LIMIT
            )
        )
    return words


async def save_answer(bot: SupervisionBot, guild_id: int, user_id: int, meeting_id: int, draft: FeedbackDraft) -> None:
    """Store the answer anonymously, at most once per member and meeting; only then may the member be told."""
    meeting = await answerable_meeting(bot, guild_id, user_id, meeting_id)
    if draft.goals is None or draft.tasks is None or draft.bond is None:
        # Translators: {items} lists the questions not yet rated, e.g. "Tasks and Bond".
        raise UserFacingError(_("Rate {items} first; nothing was sent.").format(items=listing(draft.missing())))
    limit, period = answer_limit(bot), period_of(meeting)
    # The member's id is used only here, against a count in memory; it never reaches a file.
    if not await limit.take(guild_id, period, user_id):
        raise UserFacingError(_("You've already answered about this meeting; one answer each. Nothing changed."))
    answer = FeedbackAnswer(draft.goals, draft.tasks, draft.bond, clean_words(draft.words) or None)
    try:
        await bot.repos.meeting_feedback.save(guild_id, meeting.id, meeting.local_start.date(), answer)
    except BaseException:
        await limit.give_back(guild_id, period, user_id)
        raise
