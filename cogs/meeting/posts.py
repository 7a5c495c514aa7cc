"""The meeting's scheduled work: the attendance post, the questions after it, the brief by DM, snoozed DMs again.

Each fire records its steps (bot/steps.py) or claims each DM (meeting_dms) before sending, so a retry after a
rate limit or an outage, a restart or a second process never posts or sends anything twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord.utils import format_dt

from bot.checks import member_is_supervisor
from bot.db.models import Fire, GuildSettings, to_unix
from bot.db.repositories.meeting_dms import MeetingDm
from bot.db.repositories.meetings import Meeting
from bot.errors import retry_delay
from bot.steps import Steps, discord_error, dm_nonce
from bot.ui import persistent_view
from cogs.meeting.attendance import attendance_post_text, open_group_meeting
from cogs.meeting.brief import brief_embed, gather_brief
from cogs.meeting.feedback import feedback_intro
from cogs.meeting.logic import FEEDBACK_OPEN, latest_meeting_start
from cogs.meeting.views import GiveFeedback, MarkPresent, feedback_dm_view

if TYPE_CHECKING:
    from bot.client import SupervisionBot

log = logging.getLogger(__name__)
CLOSED_DMS = 50007
# The questions go with the meeting that started at most this long before they fire.
SAME_MEETING = timedelta(hours=24)


@dataclass
class Fanout:
    """How a round of DMs went."""

    sent: int = 0
    failed: int = 0
    deferred: int = 0
    error: discord.HTTPException | None = None

    def words(self, what: str) -> str:
        parts = [f"{self.sent} {what} sent"]
        if self.failed:
            parts.append(f"{self.failed} could not be delivered")
        if self.deferred:
            parts.append(f"{self.deferred} to retry")
        return ", ".join(parts)


async def _group_channel(bot: SupervisionBot, fire: Fire, settings: GuildSettings) -> discord.abc.Messageable | None:
    channel_id = fire.channel_id or settings.prompts_channel_id
    channel = bot.get_channel(channel_id) if channel_id else None
    return channel if isinstance(channel, discord.abc.Messageable) else None


async def post_attendance(bot: SupervisionBot, fire: Fire) -> None:
    """At meeting time: record the meeting and post "Mark me present" in the group channel, once."""
    assert fire.guild_id is not None
    settings = await bot.repos.settings.get(fire.guild_id)
    channel = await _group_channel(bot, fire, settings)
    if channel is None:
        await bot.scheduler.finish(fire, "failed", "the group channel is not set or not visible to me")
        return
    meeting = await open_group_meeting(bot.repos, settings, fire.scheduled_for, bot.scheduler.clock())
    steps = await Steps.load(bot.repos.fires, fire)
    if steps.value("post") is None:
        try:
            message = await channel.send(
                attendance_post_text(meeting),
                view=persistent_view(MarkPresent(meeting.id)),
                nonce=steps.nonce("post"),
            )
        except discord.HTTPException as error:
            detail = f"not posted ({discord_error(error)})"
            await bot.scheduler.finish(fire, "failed", detail, retry_in=retry_delay(error))
            return
        await steps.mark("post", message.id)
    until = meeting.attendance_until or meeting.starts_at
    await bot.scheduler.finish(fire, "posted", f"attendance open until {format_dt(until, 't')}")


async def _meeting_for_questions(bot: SupervisionBot, settings: GuildSettings, at: datetime) -> Meeting | None:
    """The meeting the questions are about: the last one on record, or the group's usual one, within a day."""
    meeting = await bot.repos.meetings.latest_group_before(settings.guild_id, at)
    if meeting is not None and at - meeting.starts_at <= SAME_MEETING:
        return meeting
    start = latest_meeting_start(settings.meeting_weekday, settings.meeting_time, settings.timezone, at)
    if start is None or at - start > SAME_MEETING:
        return None
    return await open_group_meeting(bot.repos, settings, start, bot.scheduler.clock())


def feedback_post_text(meeting: Meeting) -> str:
    """The channel post that opens the questions."""
    until = meeting.feedback_until or meeting.starts_at
    return (
        f"💬 **How was supervision on {format_dt(meeting.starts_at, 'D')}?** If you were there, three quick "
        f"ratings (0-10) on goals, tasks and the bond, anonymously, until {format_dt(until, 'f')}. Supervisors see "
        "the group's figures only after that, and only if enough of you answered."
    )


async def post_feedback(bot: SupervisionBot, fire: Fire) -> None:
    """After the meeting: open its questions in the channel, and by DM for members who asked."""
    assert fire.guild_id is not None
    settings = await bot.repos.settings.get(fire.guild_id)
    channel = await _group_channel(bot, fire, settings)
    if channel is None:
        await bot.scheduler.finish(fire, "failed", "the group channel is not set or not visible to me")
        return
    meeting = await _meeting_for_questions(bot, settings, fire.scheduled_for)
    if meeting is None:
        reason = "no meeting in the last day: set the meeting in /setup or the attendance schedule"
        await bot.scheduler.finish(fire, "skipped", reason)
        return
    await bot.repos.meetings.set_feedback_until(meeting.id, fire.scheduled_for + FEEDBACK_OPEN)
    meeting = await bot.repos.meetings.get(meeting.id) or meeting
    steps = await Steps.load(bot.repos.fires, fire)
    if steps.value("post") is None:
        try:
            message = await channel.send(
                feedback_post_text(meeting),
                view=persistent_view(GiveFeedback(meeting.guild_id, meeting.id)),
                nonce=steps.nonce("post"),
            )
        except discord.HTTPException as error:
            detail = f"not posted ({discord_error(error)})"
            await bot.scheduler.finish(fire, "failed", detail, retry_in=retry_delay(error))
            return
        await steps.mark("post", message.id)
    fanout = await _feedback_dms(bot, meeting)
    outcome = f"questions open until {format_dt(meeting.feedback_until or meeting.starts_at, 'f')}; " + fanout.words(
        "DM(s)"
    )
    if fanout.error is not None:
        delay = retry_delay(fanout.error)
        await bot.scheduler.finish(fire, "failed", f"posted; {outcome} ({discord_error(fanout.error)})", retry_in=delay)
        return
    await bot.scheduler.finish(fire, "posted", outcome)


def feedback_dm_text(meeting: Meeting, server: str) -> str:
    """A feedback DM: where it comes from, and the questions."""
    return f"From **{discord.utils.escape_markdown(server)}**\n{feedback_intro(meeting)}"[:2000]


def _server_name(bot: SupervisionBot, guild_id: int) -> str:
    guild = bot.get_guild(guild_id)
    return guild.name if guild else "your supervision group"


async def _feedback_dms(bot: SupervisionBot, meeting: Meeting) -> Fanout:
    """DM the questions to members recorded at the meeting who asked for them, each claimed once."""
    repos = bot.repos
    wanted = set(await repos.meeting_dms.opted_in(meeting.guild_id, "feedback"))
    attendees = [row.user_id for row in await repos.meetings.attendance(meeting.id) if row.user_id in wanted]
    fanout = Fanout()
    text = feedback_dm_text(meeting, _server_name(bot, meeting.guild_id))
    for user_id in attendees:
        if not await repos.meeting_dms.claim(meeting.guild_id, user_id, "feedback", meeting.id, bot.scheduler.clock()):
            continue
        await _send_dm(bot, fanout, meeting.guild_id, user_id, "feedback", meeting.id, text)
    return fanout


async def _send_dm(
    bot: SupervisionBot,
    fanout: Fanout,
    guild_id: int,
    user_id: int,
    kind: str,
    about: int,
    content: str,
    embed: discord.Embed | None = None,
) -> None:
    """Send one claimed DM and record how it went; a passing failure gives the claim back for a retry."""
    repos = bot.repos
    view = feedback_dm_view(guild_id, about) if kind == "feedback" else None
    try:
        channel = await bot.create_dm(discord.Object(user_id))
        await channel.send(
            content,
            embed=embed or discord.utils.MISSING,
            view=view or discord.utils.MISSING,
            # One per person and DM, so a request repeated after a lost reply makes no second message.
            nonce=dm_nonce(f"m{kind[0]}", about, user_id),
        )
    except discord.HTTPException as error:
        if retry_delay(error) is not None:
            await repos.meeting_dms.release(guild_id, user_id, kind, about)
            fanout.deferred += 1
            fanout.error = error
            return
        await repos.meeting_dms.settle(guild_id, user_id, kind, about, "failed")
        closed = error.code == CLOSED_DMS
        reason = "your DMs are closed to this server" if closed else f"Discord refused the message ({error.status})"
        await repos.deliveries.record(guild_id, user_id, "meeting", reason, bot.scheduler.clock())
        fanout.failed += 1
        log.info("a meeting DM could not be delivered (%s)", "closed DMs" if closed else error.status)
        return
    await repos.meeting_dms.settle(guild_id, user_id, kind, about, "sent")
    fanout.sent += 1


async def _still_supervisor(bot: SupervisionBot, settings: GuildSettings, user_id: int) -> bool:
    """Ask Discord whether someone who asked for the brief still holds the supervisor role (no member intent)."""
    guild = bot.get_guild(settings.guild_id)
    if guild is None:
        return False
    try:
        member = await guild.fetch_member(user_id)
    except discord.NotFound:
        return False
    return member_is_supervisor(member, settings.supervisor_role_id)


async def send_briefs(bot: SupervisionBot, fire: Fire) -> None:
    """Before the meeting: the brief, by DM, to each supervisor who asked for it, once each."""
    assert fire.guild_id is not None
    repos = bot.repos
    recipients = await repos.meeting_dms.opted_in(fire.guild_id, "brief")
    if not recipients:
        reason = "no supervisor asked for it by DM (/meeting settings brief_dm:True)"
        await bot.scheduler.finish(fire, "skipped", reason)
        return
    settings = await repos.settings.get(fire.guild_id)
    brief = await gather_brief(repos, bot, bot.config, settings, bot.scheduler.clock())
    embed = brief_embed(brief, bot.config)
    text = f"From **{discord.utils.escape_markdown(_server_name(bot, fire.guild_id))}**"
    about = int(to_unix(fire.scheduled_for) or 0)
    fanout, dropped = Fanout(), 0
    try:
        for user_id in recipients:
            if not await _still_supervisor(bot, settings, user_id):
                # The role was taken away: the brief is for supervisors only, so they are taken off the list.
                await repos.meeting_dms.set_opt_in(fire.guild_id, user_id, "brief", False)
                dropped += 1
                continue
            if await repos.meeting_dms.claim(fire.guild_id, user_id, "brief", about, bot.scheduler.clock()):
                await _send_dm(bot, fanout, fire.guild_id, user_id, "brief", about, text, embed)
    except discord.HTTPException as error:  # looking up a member failed: Discord is busy or down
        fanout.error = error
    outcome = fanout.words("brief(s)") + (f", {dropped} no longer a supervisor" if dropped else "")
    if fanout.error is not None:
        detail = f"{outcome} ({discord_error(fanout.error)})"
        await bot.scheduler.finish(fire, "failed", detail, retry_in=retry_delay(fanout.error))
        return
    await bot.scheduler.finish(fire, "posted", outcome)


async def resend_snoozed(bot: SupervisionBot, fire: Fire) -> None:
    """Send each feedback DM put off with "Later (1 h)" once more, when its hour is up."""
    repos, now = bot.repos, bot.scheduler.clock()
    fanout, dropped = Fanout(), 0
    for dm in await repos.meeting_dms.due_resends(now):
        if not await repos.meeting_dms.claim_resend(dm, now):
            continue  # another pass or process has it
        meeting = await repos.meetings.get(dm.about)
        if meeting is None or meeting.feedback_until is None or meeting.feedback_until <= now:
            await repos.meeting_dms.settle(dm.guild_id, dm.user_id, dm.kind, dm.about, "skipped")
            dropped += 1
            continue
        await _resend(bot, fanout, dm, feedback_dm_text(meeting, _server_name(bot, dm.guild_id)))
    await bot.scheduler.finish(
        fire, "posted", fanout.words("snoozed DM(s)") + (f", {dropped} closed" if dropped else "")
    )


async def _resend(bot: SupervisionBot, fanout: Fanout, dm: MeetingDm, text: str) -> None:
    repos = bot.repos
    try:
        channel = await bot.create_dm(discord.Object(dm.user_id))
        # One per person and snooze: a later snooze of the same DM sends anew.
        nonce = dm_nonce(f"mr{to_unix(dm.resend_at) or 0}", dm.about, dm.user_id)
        await channel.send(text, view=feedback_dm_view(dm.guild_id, dm.about), nonce=nonce)
    except discord.HTTPException as error:
        if retry_delay(error) is not None:
            await repos.meeting_dms.unclaim_resend(dm)  # Discord is busy: the next pass tries again
            fanout.deferred += 1
            return
        await repos.meeting_dms.settle(dm.guild_id, dm.user_id, dm.kind, dm.about, "failed")
        fanout.failed += 1
        return
    await repos.meeting_dms.settle(dm.guild_id, dm.user_id, dm.kind, dm.about, "sent")
    fanout.sent += 1
