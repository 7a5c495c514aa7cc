"""Supervisors' views over many meetings: attendance over a period, and feedback over recent meetings."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import datetime, timedelta

import discord

from bot.db.repositories import Repositories
from bot.i18n import _, ngettext
from bot.meeting_charts import AttendanceBar, TrendPoint, attendance_chart, feedback_trend_chart
from bot.offload import draw
from bot.text_hygiene import neutralise_mentions
from cogs.meeting.attendance import meeting_label
from cogs.meeting.feedback_results import MeetingResult, figure_line
from cogs.meeting.logic import FEEDBACK_ITEMS, axis_day, format_hours, short_day

REPORT_MONTHS = (1, 3, 6, 12)


async def attendance_report(repos: Repositories, guild_id: int, months: int, now: datetime) -> tuple[str, discord.File]:
    """Attendance over the last months: per meeting, per member (confirmed hours), and a chart of meetings."""
    start = now - timedelta(days=round(30.44 * months))
    meetings = await repos.meetings.between(guild_id, start, now)
    attended = await repos.meetings.attendance_between(guild_id, start, now)
    by_meeting: dict[int, list[bool]] = defaultdict(list)
    hours: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])  # group, individual, awaiting
    group_meetings: dict[int, int] = defaultdict(int)
    for row in attended:
        by_meeting[row.meeting.id].append(row.attendance.confirmed)
        cell = hours[row.attendance.user_id]
        if not row.attendance.confirmed:
            cell[2] += row.meeting.hours
        elif row.meeting.format == "individual":
            cell[1] += row.meeting.hours
        else:
            cell[0] += row.meeting.hours
        if row.meeting.format == "group":
            group_meetings[row.attendance.user_id] += 1
    groups = [m for m in meetings if m.format == "group"]
    individual = len(meetings) - len(groups)
    meetings_phrase = ngettext("{n} group meeting", "{n} group meetings", len(groups)).format(n=len(groups))
    sessions_phrase = ngettext("{n} individual session", "{n} individual sessions", individual).format(n=individual)
    lines = [
        # Translators: {meetings} is e.g. "3 group meetings", {sessions} e.g. "1 individual session".
        ngettext(
            "**{meetings} and {sessions}** in the last month.",
            "**{meetings} and {sessions}** in the last {n} months.",
            months,
        ).format(meetings=meetings_phrase, sessions=sessions_phrase, n=months)
    ]
    lines += ["", _("**Group meetings** (confirmed / awaiting)")]
    for meeting in groups:
        marks = by_meeting.get(meeting.id, [])
        counts = f"{sum(marks)} / {len(marks) - sum(marks)}"
        lines.append(_("- {name}: {value}").format(name=meeting_label(meeting), value=counts))
    if not groups:
        lines.append(_("- None recorded."))
    lines += ["", _("**Members** (group meetings attended; confirmed hours group + individual; awaiting)")]
    for user_id, (group, single, waiting) in sorted(hours.items(), key=lambda kv: -sum(kv[1])):
        shown = {
            "member": f"<@{user_id}>",
            "attended": group_meetings[user_id],
            "meetings": len(groups),
            "group": format_hours(group),
            "individual": format_hours(single),
            "awaiting": format_hours(waiting),
        }
        if waiting:
            # Translators: "{attended} of {meetings}" group meetings attended; then confirmed hours; then awaiting.
            line = _("- {member}: {attended} of {meetings}; {group} + {individual}; {awaiting} awaiting")
        else:
            # Translators: "{attended} of {meetings}" group meetings attended; then confirmed hours.
            line = _("- {member}: {attended} of {meetings}; {group} + {individual}")
        lines.append(line.format(**shown))
    if not hours:
        lines.append(_("- Nobody recorded."))
    bars = [
        AttendanceBar(
            axis_day(m.local_start.date()),
            sum(by_meeting.get(m.id, [])),
            len(by_meeting.get(m.id, [])) - sum(by_meeting.get(m.id, [])),
        )
        for m in groups
    ]
    title = ngettext(
        "Group meeting attendance, last month", "Group meeting attendance, last {n} months", months
    ).format(n=months)
    png, summary = await draw(attendance_chart, bars, title)
    return "\n".join(lines), discord.File(io.BytesIO(png), filename="attendance.png", description=summary[:1024])


async def feedback_report(results: list[MeetingResult], k: int) -> tuple[str, discord.File]:
    """Recent closed meetings' feedback: a line each, the trend chart, and the latest meeting's shared words."""
    lines = [
        _(
            "Each meeting's mean ± spread (0-10), shown only where {k} or more answered and once its questions closed:"
        ).format(k=k)
    ]
    lines += [f"- {figure_line(result, k)}" for result in results] or [_("- No meeting's questions have closed yet.")]
    lines += ["", _("**The questions**")]
    lines += [_("- **{name}:** {value}").format(name=_(item.name), value=_(item.question)) for item in FEEDBACK_ITEMS]
    latest = results[-1] if results else None
    if latest is not None and latest.figures.items:
        day = short_day(latest.meeting.local_start.date())
        lines += ["", _("**Words shared about {day}** (in random order, no names)").format(day=day)]
        lines += [f"> {neutralise_mentions(words)}".replace("\n", "\n> ") for words in latest.words]
        if not latest.words:
            lines.append(_("Nobody added words."))
    points = [
        TrendPoint(axis_day(r.meeting.local_start.date()), {key: f.mean for key, f in r.figures.items.items()} or None)
        for r in results
    ]
    items = {item.key: _(item.name) for item in FEEDBACK_ITEMS}
    png, summary = await draw(feedback_trend_chart, points, items, k)
    return "\n".join(lines), discord.File(io.BytesIO(png), filename="feedback-trend.png", description=summary[:1024])
