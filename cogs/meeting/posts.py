"""The meeting's scheduled work: the attendance post, the questions after it, the brief by DM, snoozed DMs again.

Each fire records its steps (bot/steps.py) or claims each DM (meeting_dms) before sending, so a retry after a
rate limit or an outage, a restart or a second process never posts or sends anything twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord.utils import format_dt

from bot import i18n
from bot.channels import server_channel
from bot.checks import member_is_supervisor
from bot.db.models import Fire, GuildSettings, to_unix
from bot.db.repositories.meeting_dms import MeetingDm
from bot.db.repositories.meetings import Meeting
from bot.errors import retry_delay
from bot.i18n import _
from bot.languages import group_locale
from bot.steps import Steps, dm_nonce
from bot.ui import persistent_view
from cogs.meeting import outcomes
from cogs.meeting.attendance import attendance_post_text, open_group_meeting
from cogs.meeting.brief import brief_embed, gather_brief
from cogs.meeting.feedback import feedback_intro
from cogs.meeting.logic import FEEDBACK_OPEN, latest_meeting_start
from cogs.meeting.outcomes import Fanout
from cogs.meeting.views import GiveFeedback, MarkPresent, feedback_dm_view

if TYPE_CHECKING:
    from bot.client import SupervisionBot

log = logging.getLogger(__name__)
CLOSED_DMS = 50007
# The questions go with the meeting that started at most this long before they fire.
SAME_MEETING = timedelta(hours=24)


async def _group_channel(bot: SupervisionBot, fire: Fire, settings: GuildSettings) -> discord.abc.Messageable | None:
    channel_id = fire.channel_id or settings.prompts_channel_id
    channel = server_channel(bot, fire.guild_id, channel_id)
    return channel if isinstance(channel, discord.abc.Messageable) else None


async def dm_locales(bot: SupervisionBot, guild_id: int, user_ids: list[int]) -> dict[int, str]:
    """Each recipient's DM language, read in one query: their locale as last seen in the server, else the group's."""
    group = await group_locale(bot.repos, guild_id, bot.get_guild(guild_id))
    seen = await bot.repos.member_locales.get_many(guild_id, user_ids)
    return {user_id: seen.get(user_id, group) for user_id in user_ids}


async def post_attendance(bot: SupervisionBot, fire: Fire) -> None:
    """At meeting time: record the meeting and post "Mark me present" in the group channel, once.

    The fire speaks the group's language (bot/client.py), so the post and its button do too.
    """
    assert fire.guild_id is not None
    settings = await bot.repos.settings.get(fire.guild_id)
    channel = await _group_channel(bot, fire, settings)
    if channel is None:
        await bot.scheduler.finish(fire, "failed", outcomes.NO_CHANNEL)
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
            await bot.scheduler.finish(fire, "failed", outcomes.not_posted(error), retry_in=retry_delay(error))
            return
        await steps.mark("post", message.id)
    until = meeting.attendance_until or meeting.starts_at
    await bot.scheduler.finish(fire, "posted", outcomes.attendance_open(until))


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
    return _(
        "💬 **How was supervision on {day}?** If you were there, three quick ratings (0-10) on goals, tasks and the "
        "bond, anonymously, until {until}. Supervisors see the group's figures only after that, and only if enough "
        "of you answered."
    ).format(day=format_dt(meeting.starts_at, "D"), until=format_dt(until, "f"))


async def post_feedback(bot: SupervisionBot, fire: Fire) -> None:
    """After the meeting: open its questions in the channel, and by DM for members who asked."""
    assert fire.guild_id is not None
    settings = await bot.repos.settings.get(fire.guild_id)
    channel = await _group_channel(bot, fire, settings)
    if channel is None:
        await bot.scheduler.finish(fire, "failed", outcomes.NO_CHANNEL)
        return
    meeting = await _meeting_for_questions(bot, settings, fire.scheduled_for)
    if meeting is None:
        await bot.scheduler.finish(fire, "skipped", outcomes.NO_MEETING)
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
            await bot.scheduler.finish(fire, "failed", outcomes.not_posted(error), retry_in=retry_delay(error))
            return
        await steps.mark("post", message.id)
    fanout = await _feedback_dms(bot, meeting)
    outcome = outcomes.questions_open(meeting.feedback_until or meeting.starts_at, fanout)
    if fanout.error is not None:
        await bot.scheduler.finish(fire, "failed", outcome, retry_in=retry_delay(fanout.error))
        return
    await bot.scheduler.finish(fire, "posted", outcome)


def feedback_dm_text(meeting: Meeting, server: str) -> str:
    """A feedback DM, in the current language: where it comes from, and the questions."""
    return f"{from_server(server)}\n{feedback_intro(meeting)}"[:2000]


def from_server(server: str) -> str:
    """Where a DM comes from, by the server's name if the bot knows it."""
    if not server:
        return _("From your supervision group")
    return _("From **{server}**").format(server=discord.utils.escape_markdown(server))


def _server_name(bot: SupervisionBot, guild_id: int) -> str:
    guild = bot.get_guild(guild_id)
    return guild.name if guild else ""  # not in the cache: the DM says where it comes from without a name


async def _feedback_dms(bot: SupervisionBot, meeting: Meeting) -> Fanout:
    """DM the questions to members recorded at the meeting who asked for them, each claimed once, each in their
    language.

    Reading the locales writes nothing: an answer, which comes later through the DM's button, stays unlinked.
    """
    repos = bot.repos
    wanted = set(await repos.meeting_dms.opted_in(meeting.guild_id, "feedback"))
    attendees = [row.user_id for row in await repos.meetings.attendance(meeting.id) if row.user_id in wanted]
    fanout = Fanout()
    if not attendees:
        return fanout
    locales = await dm_locales(bot, meeting.guild_id, attendees)
    texts: dict[str, str] = {}
    for user_id in attendees:
        if not await repos.meeting_dms.claim(meeting.guild_id, user_id, "feedback", meeting.id, bot.scheduler.clock()):
            continue
        locale = locales[user_id]
        with i18n.speaking(locale):
            if locale not in texts:
                texts[locale] = feedback_dm_text(meeting, _server_name(bot, meeting.guild_id))
            await _send_dm(bot, fanout, meeting.guild_id, user_id, "feedback", meeting.id, texts[locale])
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
    """Send one claimed DM and record how it went; a passing failure gives the claim back for a retry.

    Called in the recipient's language: the feedback DM's buttons are labelled as it is sent.
    """
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
        reason = outcomes.DMS_CLOSED if closed else outcomes.refused(error)
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
        await bot.scheduler.finish(fire, "skipped", outcomes.NO_BRIEF_RECIPIENT)
        return
    settings = await repos.settings.get(fire.guild_id)
    brief = await gather_brief(repos, bot, bot.config, settings, bot.scheduler.clock())
    locales = await dm_locales(bot, fire.guild_id, recipients)
    # Gathered once; written once per language among the recipients.
    written: dict[str, tuple[str, discord.Embed]] = {}
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
                locale = locales[user_id]
                with i18n.speaking(locale):
                    if locale not in written:
                        source = from_server(_server_name(bot, fire.guild_id))
                        written[locale] = (source, brief_embed(brief, bot.config))
                    text, embed = written[locale]
                    await _send_dm(bot, fanout, fire.guild_id, user_id, "brief", about, text, embed)
    except discord.HTTPException as error:  # looking up a member failed: Discord is busy or down
        fanout.error = error
    outcome = outcomes.briefs_sent(fanout, dropped)
    if fanout.error is not None:
        await bot.scheduler.finish(fire, "failed", outcome, retry_in=retry_delay(fanout.error))
        return
    await bot.scheduler.finish(fire, "posted", outcome)


async def resend_snoozed(bot: SupervisionBot, fire: Fire) -> None:
    """Send each feedback DM put off with "Later (1 h)" once more, when its hour is up, in its member's language.

    A system job spans servers, so each server's recipients have their languages read in one query.
    """
    repos, now = bot.repos, bot.scheduler.clock()
    fanout, dropped = Fanout(), 0
    due = await repos.meeting_dms.due_resends(now)
    locales: dict[tuple[int, int], str] = {}
    for guild_id in sorted({dm.guild_id for dm in due}):
        users = sorted({dm.user_id for dm in due if dm.guild_id == guild_id})
        locales |= {(guild_id, user): locale for user, locale in (await dm_locales(bot, guild_id, users)).items()}
    for dm in due:
        if not await repos.meeting_dms.claim_resend(dm, now):
            continue  # another pass or process has it
        meeting = await repos.meetings.get(dm.about)
        if meeting is None or meeting.feedback_until is None or meeting.feedback_until <= now:
            await repos.meeting_dms.settle(dm.guild_id, dm.user_id, dm.kind, dm.about, "skipped")
            dropped += 1
            continue
        with i18n.speaking(locales[(dm.guild_id, dm.user_id)]):
            await _resend(bot, fanout, dm, feedback_dm_text(meeting, _server_name(bot, dm.guild_id)))
    await bot.scheduler.finish(fire, "posted", outcomes.resends_sent(fanout, dropped))


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
