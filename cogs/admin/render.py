"""Embeds for setup, schedules and status, in the reader's language."""

from __future__ import annotations

from datetime import datetime

import discord
from discord.utils import format_dt

from bot import i18n
from bot.command_translator import shown_commands
from bot.db.models import Fire, GuildSettings, Schedule
from bot.fire_times import next_fire
from bot.i18n import LANGUAGES, N_, _
from bot.time_input import describe_weekdays, weekday_name
from cogs.admin.logic import kind_label

STATUS_MARKS = {"posted": "✅", "skipped": "⏭️", "failed": "❌", "claimed": "⏳"}
# A run's outcome as recorded (English, like the detail beside it), and as a reader sees it.
STATUS_WORDS = {"posted": N_("posted"), "skipped": N_("skipped"), "failed": N_("failed"), "claimed": N_("claimed")}
RETRY_MARK = "🔁"


def _channel(channel_id: int | None) -> str:
    return f"<#{channel_id}>" if channel_id else _("not set")


def language_name(locale: str) -> str:
    """A language named in itself ("Deutsch"), as /setup offers it; others as Babel names them."""
    if locale in LANGUAGES:
        return LANGUAGES[locale]
    return i18n.language_name(locale) or locale


def group_language(settings: GuildSettings, resolved: str) -> str:
    """The group's language in a line: the one chosen in /setup, or the server's that it follows."""
    if settings.locale:
        return language_name(settings.locale)
    # Translators: {language} is a language named in itself, e.g. "Deutsch".
    return _("{language} (the server's language)").format(language=language_name(resolved))


def settings_embed(settings: GuildSettings, problems: list[str], language: str) -> discord.Embed:
    """Summarise a server's group settings and any permission problems; `language` is the group's, resolved."""
    embed = discord.Embed(title=_("Group settings"), colour=discord.Colour.teal())
    embed.add_field(name=_("Timezone"), value=settings.timezone)
    role = f"<@&{settings.supervisor_role_id}>" if settings.supervisor_role_id else _("not set (Manage Server only)")
    embed.add_field(name=_("Supervisor role"), value=role)
    meeting = (
        # Translators: the weekly meeting, e.g. "Wednesday at 14:00".
        _("{weekday} at {time}").format(weekday=weekday_name(settings.meeting_weekday), time=settings.meeting_time)
        if settings.meeting_weekday is not None and settings.meeting_time
        else _("not set")
    )
    embed.add_field(name=_("Supervision meeting"), value=meeting)
    embed.add_field(name=_("Prompts channel"), value=_channel(settings.prompts_channel_id))
    embed.add_field(name=_("Quiz channel"), value=_channel(settings.quiz_channel_id))
    embed.add_field(name=_("Check-in digest channel"), value=_channel(settings.digest_channel_id))
    embed.add_field(name=_("Group language (posts to the group)"), value=group_language(settings, language))
    support = discord.utils.escape_markdown(settings.support_line) if settings.support_line else _("not set")
    embed.add_field(name=_("Support line (beside the “not therapy” notice)"), value=support, inline=False)
    if problems:
        embed.add_field(name=_("⚠️ Missing permissions"), value="\n".join(problems)[:1024], inline=False)
        embed.colour = discord.Colour.orange()
    else:
        embed.add_field(name=_("Permissions"), value=_("I can post in every channel set here."), inline=False)
    return embed


def describe_schedule(schedule: Schedule, now: datetime) -> str:
    """One schedule in a line or two: timing, channel, and its next run or pause."""
    # Translators: e.g. "Mon, Thu at 09:00 (Europe/London)".
    timing = _("{days} at {time} ({zone})").format(
        days=describe_weekdays(schedule.weekdays), time=schedule.local_time, zone=schedule.timezone
    )
    # The brief is the one kind that posts to no channel: it goes to supervisors by DM.
    if schedule.kind == "meeting_brief":
        text = _("{timing} by DM to supervisors who asked").format(timing=timing)
    else:
        # Translators: {timing} is when it runs, {channel} the channel it posts in.
        text = _("{timing} in {channel}").format(timing=timing, channel=_channel(schedule.channel_id))
    upcoming = next_fire(schedule, now)
    if upcoming is None:
        return text + "\n" + _("⏸️ Paused until resumed.")
    note = ""
    if schedule.paused_until is not None and schedule.paused_until > now:
        note = _("⏸️ Paused until {date}.").format(date=format_dt(schedule.paused_until, "D")) + " "
    # Translators: {when} is a date and time, {relative} the same as "in 2 days" (Discord shows both).
    upcoming_text = _("Next: {when} ({relative})").format(
        when=format_dt(upcoming, "F"), relative=format_dt(upcoming, "R")
    )
    return f"{text}\n{note}{upcoming_text}"


def schedules_embed(schedules: list[Schedule], now: datetime) -> discord.Embed:
    """List every schedule of a server with its next run."""
    embed = discord.Embed(title=_("Schedules"), colour=discord.Colour.teal())
    if not schedules:
        embed.description = shown_commands(_("No schedules yet. Add one with `/schedule set`."))
    for schedule in schedules:
        embed.add_field(name=kind_label(schedule.kind), value=describe_schedule(schedule, now), inline=False)
    return embed


def fire_line(fire: Fire) -> str:
    """One past run: outcome, kind, when, and why if it did not post.

    A run that is waiting to be retried says so with its own mark, and its detail already tells what
    was done and what is left ("posted; the reply thread could not be created (...), retrying"). The
    detail is recorded in English with the run, so it reads the same in every language.
    """
    kind = kind_label(fire.kind)
    when = format_dt(fire.scheduled_for, "f")
    if fire.status in ("failed", "claimed") and fire.retry_at is not None:  # claimed: rate-limited, still due
        return f"{RETRY_MARK} {kind}, {when}, {fire.detail} {format_dt(fire.retry_at, 'R')}"
    mark = STATUS_MARKS.get(fire.status, "•")
    status = _(STATUS_WORDS[fire.status]) if fire.status in STATUS_WORDS else fire.status
    if fire.detail:
        # Translators: a run's outcome ("skipped") and the reason recorded with it, which stays in English.
        status = _("{outcome}: {detail}").format(outcome=status, detail=fire.detail)
    return f"{mark} {kind}, {when}, {status}"
