"""Attendance: members mark themselves present; supervisors add, remove and confirm."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord.utils import format_dt

from bot.checks import is_supervisor, require_supervisor
from bot.db.models import GuildSettings
from bot.db.repositories import Repositories
from bot.db.repositories.meetings import FORMATS, MODES, Attendance, MarkOutcome, Meeting
from bot.user_error import UserFacingError
from cogs.meeting.logic import format_hours

if TYPE_CHECKING:
    from bot.client import SupervisionBot

NO_PINGS = discord.AllowedMentions.none()
GONE = "That meeting is no longer on record (a supervisor may have removed it)."


async def open_group_meeting(
    repos: Repositories, settings: GuildSettings, starts_at: datetime, now: datetime
) -> Meeting:
    """The group meeting starting then, made with the server's defaults if it is not on record yet."""
    defaults = await repos.meetings.settings(settings.guild_id)
    return await repos.meetings.open_group_meeting(
        settings.guild_id,
        starts_at,
        defaults.minutes,
        defaults.mode,
        settings.timezone,
        starts_at + timedelta(hours=defaults.attendance_hours),
        now,
    )


def meeting_label(meeting: Meeting) -> str:
    """A meeting in words a supervisor recognises: 'Wed 4 Mar 2026 14:00 · group, in person · 90 min'."""
    start = meeting.local_start
    return (
        f"{start:%a} {start.day} {start:%b %Y %H:%M} · {FORMATS[meeting.format].lower()}, "
        f"{MODES[meeting.mode].lower()} · {meeting.minutes} min"
    )


def attendance_post_text(meeting: Meeting) -> str:
    """The channel post that opens attendance."""
    until = meeting.attendance_until or meeting.starts_at
    return (
        f"🗓️ **Supervision meeting, {format_dt(meeting.starts_at, 'F')}**\n"
        f"If you're at the meeting, press **Mark me present** (open until {format_dt(until, 't')}). "
        "A supervisor confirms attendance afterwards, and it counts towards your supervised hours (`/hours show`)."
    )


async def mark_present(bot: SupervisionBot, interaction: discord.Interaction, meeting_id: int) -> None:
    """Record a member's own click on "Mark me present"; say what happened, privately."""
    if await is_supervisor(bot, interaction):
        raise UserFacingError(
            "Supervisors don't mark themselves present. Confirm the group's attendance with `/meeting attendance`."
        )
    outcome = await bot.repos.meetings.mark_present(meeting_id, interaction.user.id, bot.scheduler.clock())
    meeting = await bot.repos.meetings.get(meeting_id)
    if outcome is MarkOutcome.GONE or meeting is None:
        raise UserFacingError(GONE)
    if outcome is MarkOutcome.CLOSED:
        raise UserFacingError(
            f"Attendance for this meeting closed {format_dt(meeting.attendance_until or meeting.starts_at, 'R')}. "
            "If you were there, ask a supervisor to add you with `/meeting attendance`."
        )
    if outcome is MarkOutcome.ALREADY:
        text = "You're already marked present at this meeting. Nothing changed."
    else:
        text = (
            f"✅ Marked present at the meeting of {format_dt(meeting.starts_at, 'F')} "
            f"({format_hours(meeting.hours)}). A supervisor confirms it afterwards; see `/hours show`."
        )
    await interaction.response.send_message(text, ephemeral=True)


def attendee_line(row: Attendance) -> str:
    """One person at a meeting, for supervisors: who, how recorded, confirmed by whom and when."""
    how = "marked present" if row.source == "button" else "added by a supervisor"
    if row.confirmed and row.confirmed_at is not None:
        by = discord.utils.escape_markdown(row.confirmed_by_name or "a supervisor")
        return f"✅ <@{row.user_id}> · {how} · confirmed by {by}, {format_dt(row.confirmed_at, 'd')}"
    return f"⏳ <@{row.user_id}> · {how} · awaiting confirmation"


def attendance_text(meeting: Meeting, rows: list[Attendance]) -> str:
    """The attendance card's text: the meeting, then each person recorded."""
    lines = [f"**{meeting_label(meeting)}**"]
    if meeting.topic:
        lines.append(f"Topic: {discord.utils.escape_markdown(meeting.topic)}")
    lines.append("")
    lines += [attendee_line(r) for r in rows] or ["Nobody is recorded yet. Add the people who were there."]
    waiting = sum(not r.confirmed for r in rows)
    lines += ["", f"{waiting} awaiting confirmation." if waiting else "Everyone here is confirmed."]
    return "\n".join(lines)[:2000]


async def meeting_for_supervisor(bot: SupervisionBot, interaction: discord.Interaction, meeting_id: int) -> Meeting:
    """The meeting, after checking that the one asking is a supervisor of its server."""
    await require_supervisor(bot, interaction)
    meeting = await bot.repos.meetings.get(meeting_id)
    if meeting is None or meeting.guild_id != interaction.guild_id:
        raise UserFacingError(GONE)
    return meeting


def display_name(interaction: discord.Interaction) -> str:
    """The name a confirmation carries: the supervisor's name in this server."""
    user = interaction.user
    return user.display_name if isinstance(user, discord.Member) else user.name


async def add_people(bot: SupervisionBot, interaction: discord.Interaction, meeting_id: int, users: list[int]) -> str:
    """Add members who were there; return the card's new text."""
    meeting = await meeting_for_supervisor(bot, interaction, meeting_id)
    await bot.repos.meetings.add_attendees(meeting, users, bot.scheduler.clock())
    return attendance_text(meeting, await bot.repos.meetings.attendance(meeting.id))


async def remove_people(
    bot: SupervisionBot, interaction: discord.Interaction, meeting_id: int, users: list[int]
) -> str:
    """Remove people recorded by mistake; return the card's new text."""
    meeting = await meeting_for_supervisor(bot, interaction, meeting_id)
    await bot.repos.meetings.remove_attendees(meeting.id, users)
    return attendance_text(meeting, await bot.repos.meetings.attendance(meeting.id))


async def confirm_everyone(bot: SupervisionBot, interaction: discord.Interaction, meeting_id: int) -> tuple[int, str]:
    """Confirm everyone recorded and not yet confirmed; return how many, and the card's new text."""
    meeting = await meeting_for_supervisor(bot, interaction, meeting_id)
    count = await bot.repos.meetings.confirm_all(
        meeting.id, interaction.user.id, display_name(interaction), bot.scheduler.clock()
    )
    return count, attendance_text(meeting, await bot.repos.meetings.attendance(meeting.id))


async def remove_meeting(bot: SupervisionBot, interaction: discord.Interaction, meeting_id: int) -> str:
    """Delete a meeting, its attendance and any feedback on it; return what went."""
    meeting = await meeting_for_supervisor(bot, interaction, meeting_id)
    label = meeting_label(meeting)
    answers = await bot.repos.meeting_feedback.delete_meeting(meeting.guild_id, meeting.id)
    await bot.repos.meetings.remove(meeting.id)
    extra = " and the feedback on it" if answers else ""
    return f"🗑️ Deleted **{label}**, its attendance{extra}."
