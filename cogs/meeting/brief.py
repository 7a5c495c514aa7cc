"""The pre-meeting brief: what the group carried this week, for supervisors, with every figure under the k rule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import discord
from discord.utils import format_dt

from bot.config import Config
from bot.content.countertransference import DIMENSIONS
from bot.content.elements import element_name
from bot.content.localise import content_language, prompts_in
from bot.db.models import GuildSettings
from bot.db.repositories import Repositories
from bot.i18n import _, ngettext, percent
from bot.languages import group_locale
from bot.quiz_catalogue import load_catalogue
from bot.text_hygiene import neutralise_mentions
from cogs.meeting.feedback_results import MeetingResult, recent_figures, trend_lines
from cogs.meeting.logic import k_count, render_count, short_day, shown_count

# How far back "since the last meeting" reaches when no meeting is on record.
DEFAULT_WINDOW = timedelta(days=7)
PROMPT_EXCERPT = 300


@dataclass(frozen=True)
class QuizPart:
    """This week's quiz: how many took it and the group's accuracy per element (None: fewer than k)."""

    week: str
    took_part: int | None
    accuracy: dict[str, float | None]


@dataclass(frozen=True)
class ThemesPart:
    """Check-ins shared in digests since a day: totals per dimension and how many asked to raise it."""

    since: date
    total: int | None
    raise_it: int | None
    by_dimension: dict[str, int | None]


@dataclass(frozen=True)
class PromptPart:
    """This week's group prompt and the replies in its thread (None: fewer than k; -1: no thread)."""

    element: str
    text: str | None  # None: a prompt no longer in the bank
    channel_id: int
    thread_id: int | None
    replies: int | None


@dataclass(frozen=True)
class Brief:
    """Everything the brief says, gathered once; rendering adds no figure of its own."""

    meeting_at: datetime | None
    quiz: QuizPart | None
    themes: ThemesPart
    prompt: PromptPart | None
    feedback: list[MeetingResult]
    feedback_k: int


async def quiz_part(repos: Repositories, guild_id: int, k: int) -> QuizPart | None:
    """The latest quiz: people who took it and accuracy per element, each only from k people or more."""
    quiz = await repos.quiz.latest(guild_id)
    if quiz is None:
        return None
    answers = await repos.quiz.week_answers(quiz.id)
    catalogue = await load_catalogue(repos, guild_id)
    people: dict[str, set[int]] = defaultdict(set)
    right: dict[str, list[bool]] = defaultdict(list)
    for answer in answers:
        element = catalogue.element_of(answer.item_id)
        if element is None:
            continue
        people[element].add(answer.user_id)
        right[element].append(answer.correct)
    accuracy = {
        element: (sum(right[element]) / len(right[element]) if len(people[element]) >= k else None)
        for element in sorted(people)
    }
    return QuizPart(quiz.week, k_count(len({a.user_id for a in answers}), k), accuracy)


async def themes_part(repos: Repositories, guild_id: int, since: date, k: int) -> ThemesPart:
    """Check-ins already shared in a digest since a day; counts below k stay hidden."""
    shared = await repos.checkins.released_since(guild_id, since)
    per_dimension = {key: sum(1 for c in shared if key in c.dimensions) for key in DIMENSIONS}
    return ThemesPart(
        since=since,
        total=k_count(len(shared), k),
        raise_it=k_count(sum(c.raise_it for c in shared), k),
        by_dimension={key: k_count(count, k) for key, count in per_dimension.items()},
    )


async def prompt_text(repos: Repositories, guild_id: int, prompt_id: str, guild: discord.Guild | None) -> str | None:
    """A prompt's text, bundled (in the group's language, as it was posted) or this server's own."""
    for prompt in prompts_in(content_language(await group_locale(repos, guild_id, guild))):
        if prompt.id == prompt_id:
            return prompt.text
    custom = next((c for c in await repos.reflect.custom_prompts(guild_id) if c.prompt_id == prompt_id), None)
    return custom.text if custom else None


async def prompt_part(repos: Repositories, client: discord.Client, guild_id: int, k: int) -> PromptPart | None:
    """The latest group prompt and how many replies its thread holds (Discord's own count of messages)."""
    posted = await repos.reflect.latest_group_prompt(guild_id)
    if posted is None:
        return None
    replies: int | None = -1
    if posted.thread_id is not None:
        try:
            # Fetched, not cached: the cache's count moves only with thread events the bot may not get.
            thread = await client.fetch_channel(posted.thread_id)
        except discord.HTTPException:
            thread = None
        if isinstance(thread, discord.Thread):
            replies = k_count(thread.message_count, k)
    return PromptPart(
        element=posted.element,
        text=await prompt_text(repos, guild_id, posted.prompt_id, client.get_guild(guild_id))
        or _("(a prompt no longer in the bank)"),
        channel_id=posted.channel_id,
        thread_id=posted.thread_id,
        replies=replies,
    )


async def gather_brief(
    repos: Repositories, client: discord.Client, config: Config, settings: GuildSettings, now: datetime
) -> Brief:
    """Collect the brief for the group's next meeting as it stands now."""
    guild_id = settings.guild_id
    last = await repos.meetings.latest_group_before(guild_id, now)
    zone = ZoneInfo(settings.timezone)
    since = (last.starts_at if last else now - DEFAULT_WINDOW).astimezone(zone).date()
    figures = await recent_figures(repos, guild_id, now, config.meeting.min_feedback_answers, limit=4)
    return Brief(
        meeting_at=next_meeting(settings, now),
        quiz=await quiz_part(repos, guild_id, config.quiz.min_group_size),
        themes=await themes_part(repos, guild_id, since, config.checkin.min_digest_size),
        prompt=await prompt_part(repos, client, guild_id, config.quiz.min_group_size),
        feedback=figures,
        feedback_k=config.meeting.min_feedback_answers,
    )


def next_meeting(settings: GuildSettings, now: datetime) -> datetime | None:
    """The group's next meeting start from its weekly day and time, if set."""
    if settings.meeting_weekday is None or settings.meeting_time is None:
        return None
    zone = ZoneInfo(settings.timezone)
    hour, minute = map(int, settings.meeting_time.split(":"))
    today = now.astimezone(zone).date()
    for ahead in range(8):
        day = today + timedelta(days=ahead)
        moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
        if day.weekday() == settings.meeting_weekday and moment > now:
            return moment
    return None


def brief_embed(brief: Brief, config: Config) -> discord.Embed:
    """The brief as one embed, in the current language: quiz, check-in themes, the group prompt, feedback trend."""
    quiz_k, checkin_k = config.quiz.min_group_size, config.checkin.min_digest_size
    if brief.meeting_at:
        description = _(
            "What the group carried since the last meeting · meeting {when}. Group figures only: every count from "
            "fewer than k people reads “fewer than k”, and nothing here names anyone."
        ).format(when=format_dt(brief.meeting_at, "F"))
    else:
        description = _(
            "What the group carried since the last meeting. Group figures only: every count from fewer than k "
            "people reads “fewer than k”, and nothing here names anyone."
        )
    embed = discord.Embed(title=_("Your pre-meeting brief"), description=description, colour=discord.Colour.dark_teal())
    embed.add_field(name=_("This week's quiz"), value=_quiz_text(brief.quiz, quiz_k)[:1024], inline=False)
    embed.add_field(name=_("Check-in themes"), value=_themes_text(brief.themes, checkin_k)[:1024], inline=False)
    embed.add_field(name=_("This week's group prompt"), value=_prompt_text(brief.prompt, quiz_k)[:1024], inline=False)
    embed.add_field(
        name=_("Feedback on recent meetings (0-10)"),
        value="\n".join(trend_lines(brief.feedback, brief.feedback_k))[:1024]
        or _("No meeting feedback has closed yet."),
        inline=False,
    )
    return embed


def _quiz_text(quiz: QuizPart | None, k: int) -> str:
    if quiz is None:
        return _("No quiz has run yet.")
    # Translators: {count} is a number or "fewer than 3"; {week} is the quiz's week, e.g. 2026-W10.
    lines = [_("Week of {week}: {count} took part.").format(week=quiz.week, count=render_count(quiz.took_part, k))]
    for element, share in quiz.accuracy.items():
        if share is None:
            # Translators: in place of a share of right answers when too few people answered.
            shown = _("fewer than {k} answered").format(k=k)
        else:
            # Translators: {percent} is a share of right answers, e.g. "75%".
            shown = _("{percent} right").format(percent=percent(share))
        # Translators: a line of a list: a name, then its value.
        lines.append(_("- {name}: {value}").format(name=_(element_name(element)), value=shown))
    return "\n".join(lines)


def _themes_text(themes: ThemesPart, k: int) -> str:
    # Translators: {total} and {raised} are numbers or "fewer than 3"; {day} is a date such as "Wed 04 Mar".
    lines = [
        ngettext(
            "Since {day}: {total} check-in shared in digests; {raised} asked for it to be raised at the meeting.",
            "Since {day}: {total} check-ins shared in digests; {raised} asked for it to be raised at the meeting.",
            shown_count(themes.total, k),
        ).format(
            day=short_day(themes.since),
            total=render_count(themes.total, k),
            raised=render_count(themes.raise_it, k),
        )
    ]
    if themes.total:
        lines += [
            _("- {name}: {value}").format(name=_(label), value=render_count(themes.by_dimension[key], k))
            for key, label in DIMENSIONS.items()
            if themes.by_dimension[key] != 0
        ]
    return "\n".join(lines)


def _prompt_text(prompt: PromptPart | None, k: int) -> str:
    if prompt is None:
        return _("No group prompt has been posted yet.")
    text = neutralise_mentions(prompt.text) if prompt.text is not None else _("(a prompt no longer in the bank)")
    text = text if len(text) <= PROMPT_EXCERPT else text[: PROMPT_EXCERPT - 1] + "…"
    if prompt.replies == -1:
        replies = _("Replies: no thread to count (replies may be in the channel).")
    else:
        replies = _("Replies in {thread}: {count}.").format(
            thread=f"<#{prompt.thread_id}>", count=render_count(prompt.replies, k)
        )
    # Translators: {element} is an element of the therapeutic relationship, {channel} a channel link.
    where = _("**{element}** in {channel}").format(
        element=_(element_name(prompt.element)), channel=f"<#{prompt.channel_id}>"
    )
    return f"{where}\n> {text}\n{replies}"
