"""Embeds for setup, schedules and status."""

from __future__ import annotations

from datetime import datetime

import discord
from discord.utils import format_dt

from bot.db.models import Fire, GuildSettings, Schedule
from bot.scheduling import next_fire
from bot.time_input import WEEKDAYS, describe_weekdays
from cogs.admin.logic import SCHEDULE_KINDS

STATUS_MARKS = {"posted": "✅", "skipped": "⏭️", "failed": "❌", "claimed": "⏳"}
RETRY_MARK = "🔁"


def _channel(channel_id: int | None) -> str:
    return f"<#{channel_id}>" if channel_id else "not set"


def settings_embed(settings: GuildSettings, problems: list[str]) -> discord.Embed:
    """Summarise a server's group settings and any permission problems."""
    embed = discord.Embed(title="Group settings", colour=discord.Colour.teal())
    embed.add_field(name="Timezone", value=settings.timezone)
    role = f"<@&{settings.supervisor_role_id}>" if settings.supervisor_role_id else "not set (Manage Server only)"
    embed.add_field(name="Supervisor role", value=role)
    meeting = (
        f"{WEEKDAYS[settings.meeting_weekday]} at {settings.meeting_time}"
        if settings.meeting_weekday is not None and settings.meeting_time
        else "not set"
    )
    embed.add_field(name="Supervision meeting", value=meeting)
    embed.add_field(name="Prompts channel", value=_channel(settings.prompts_channel_id))
    embed.add_field(name="Quiz channel", value=_channel(settings.quiz_channel_id))
    embed.add_field(name="Check-in digest channel", value=_channel(settings.digest_channel_id))
    support = discord.utils.escape_markdown(settings.support_line) if settings.support_line else "not set"
    embed.add_field(name="Support line (beside the “not therapy” notice)", value=support, inline=False)
    if problems:
        embed.add_field(name="⚠️ Missing permissions", value="\n".join(problems)[:1024], inline=False)
        embed.colour = discord.Colour.orange()
    else:
        embed.add_field(name="Permissions", value="I can post in every channel set here.", inline=False)
    return embed


def describe_schedule(schedule: Schedule, now: datetime) -> str:
    """One schedule in a line or two: timing, channel, and its next run or pause."""
    timing = f"{describe_weekdays(schedule.weekdays)} at {schedule.local_time} ({schedule.timezone})"
    # The brief is the one kind that posts to no channel: it goes to supervisors by DM.
    by_dm = schedule.kind == "meeting_brief"
    where = "by DM to supervisors who asked" if by_dm else f"in {_channel(schedule.channel_id)}"
    text = f"{timing} {where}"
    upcoming = next_fire(schedule, now)
    if upcoming is None:
        return f"{text}\n⏸️ Paused until resumed."
    note = ""
    if schedule.paused_until is not None and schedule.paused_until > now:
        note = f"⏸️ Paused until {format_dt(schedule.paused_until, 'D')}. "
    return f"{text}\n{note}Next: {format_dt(upcoming, 'F')} ({format_dt(upcoming, 'R')})"


def schedules_embed(schedules: list[Schedule], now: datetime) -> discord.Embed:
    """List every schedule of a server with its next run."""
    embed = discord.Embed(title="Schedules", colour=discord.Colour.teal())
    if not schedules:
        embed.description = "No schedules yet. Add one with `/schedule set`."
    for schedule in schedules:
        embed.add_field(
            name=SCHEDULE_KINDS.get(schedule.kind, schedule.kind), value=describe_schedule(schedule, now), inline=False
        )
    return embed


def fire_line(fire: Fire) -> str:
    """One past run: outcome, kind, when, and why if it did not post.

    A run that is waiting to be retried says so with its own mark, and its detail already tells what
    was done and what is left ("posted; the reply thread could not be created (...), retrying").
    """
    kind = SCHEDULE_KINDS.get(fire.kind, fire.kind)
    when = format_dt(fire.scheduled_for, "f")
    if fire.status in ("failed", "claimed") and fire.retry_at is not None:  # claimed: rate-limited, still due
        return f"{RETRY_MARK} {kind}, {when}, {fire.detail} {format_dt(fire.retry_at, 'R')}"
    mark = STATUS_MARKS.get(fire.status, "•")
    why = f": {fire.detail}" if fire.detail else ""
    return f"{mark} {kind}, {when}, {fire.status}{why}"
