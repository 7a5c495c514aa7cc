"""Attendance: members mark themselves present; supervisors add, remove and confirm."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord.utils import format_dt

from bot.checks import is_supervisor, require_supervisor
from bot.db.models import GuildSettings
from bot.db.repositories import Repositories
from bot.db.repositories.meetings import Attendance, MarkOutcome, Meeting
from bot.i18n import N_, _, ngettext, pgettext
from bot.user_error import UserFacingError
from cogs.meeting.logic import format_hours, format_word, full_day, mode_word

if TYPE_CHECKING:
    from bot.client import SupervisionBot

NO_PINGS = discord.AllowedMentions.none()
GONE = N_("That meeting is no longer on record (a supervisor may have removed it).")


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
    # Translators: a meeting's name in lists and replies: "Wed 4 Mar 2026 14:00 · group, in person · 90 min".
    return _("{day} {time} · {format}, {mode} · {minutes} min").format(
        day=full_day(start.date()),
        time=f"{start:%H:%M}",
        format=format_word(meeting.format),
        mode=mode_word(meeting.mode),
        minutes=meeting.minutes,
    )


def attendance_post_text(meeting: Meeting) -> str:
    """The channel post that opens attendance."""
    until = meeting.attendance_until or meeting.starts_at
    return _(
        "🗓️ **Supervision meeting, {start}**\n"
        "If you're at the meeting, press **Mark me present** (open until {until}). "
        "A supervisor confirms attendance afterwards, and it counts towards your supervised hours (`/hours show`)."
    ).format(start=format_dt(meeting.starts_at, "F"), until=format_dt(until, "t"))


async def mark_present(bot: SupervisionBot, interaction: discord.Interaction, meeting_id: int) -> None:
    """Record a member's own click on "Mark me present"; say what happened, privately."""
    if await is_supervisor(bot, interaction):
        raise UserFacingError(
            _("Supervisors don't mark themselves present. Confirm the group's attendance with `/meeting attendance`.")
        )
    outcome = await bot.repos.meetings.mark_present(meeting_id, interaction.user.id, bot.scheduler.clock())
    meeting = await bot.repos.meetings.get(meeting_id)
    if outcome is MarkOutcome.GONE or meeting is None:
        raise UserFacingError(_(GONE))
    if outcome is MarkOutcome.CLOSED:
        raise UserFacingError(
            _(
                "Attendance for this meeting closed {when}. "
                "If you were there, ask a supervisor to add you with `/meeting attendance`."
            ).format(when=format_dt(meeting.attendance_until or meeting.starts_at, "R"))
        )
    if outcome is MarkOutcome.ALREADY:
        text = _("You're already marked present at this meeting. Nothing changed.")
    else:
        text = _(
            "✅ Marked present at the meeting of {start} ({hours}). A supervisor confirms it afterwards; "
            "see `/hours show`."
        ).format(start=format_dt(meeting.starts_at, "F"), hours=format_hours(meeting.hours))
    await interaction.response.send_message(text, ephemeral=True)


def attendee_line(row: Attendance) -> str:
    """One person at a meeting, for supervisors: who, how recorded, confirmed by whom and when."""
    if row.source == "button":
        how = pgettext("how attendance was recorded", "marked present")
    else:
        how = pgettext("how attendance was recorded", "added by a supervisor")
    if row.confirmed and row.confirmed_at is not None:
        by = discord.utils.escape_markdown(row.confirmed_by_name or _("a supervisor"))
        # Translators: {how} is "marked present" or "added by a supervisor"; {name} is the supervisor's name.
        return _("✅ {member} · {how} · confirmed by {name}, {date}").format(
            member=f"<@{row.user_id}>", how=how, name=by, date=format_dt(row.confirmed_at, "d")
        )
    # Translators: {how} is "marked present" or "added by a supervisor".
    return _("⏳ {member} · {how} · awaiting confirmation").format(member=f"<@{row.user_id}>", how=how)


def attendance_text(meeting: Meeting, rows: list[Attendance]) -> str:
    """The attendance card's text: the meeting, then each person recorded."""
    lines = [f"**{meeting_label(meeting)}**"]
    if meeting.topic:
        lines.append(_("Topic: {topic}").format(topic=discord.utils.escape_markdown(meeting.topic)))
    lines.append("")
    lines += [attendee_line(r) for r in rows] or [_("Nobody is recorded yet. Add the people who were there.")]
    waiting = sum(not r.confirmed for r in rows)
    if waiting:
        summary = ngettext("{n} awaiting confirmation.", "{n} awaiting confirmation.", waiting).format(n=waiting)
    else:
        summary = _("Everyone here is confirmed.")
    lines += ["", summary]
    return "\n".join(lines)[:2000]


async def meeting_for_supervisor(bot: SupervisionBot, interaction: discord.Interaction, meeting_id: int) -> Meeting:
    """The meeting, after checking that the one asking is a supervisor of its server."""
    await require_supervisor(bot, interaction)
    meeting = await bot.repos.meetings.get(meeting_id)
    if meeting is None or meeting.guild_id != interaction.guild_id:
        raise UserFacingError(_(GONE))
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
    if answers:
        return _("🗑️ Deleted **{meeting}**, its attendance and the feedback on it.").format(meeting=label)
    return _("🗑️ Deleted **{meeting}** and its attendance.").format(meeting=label)
