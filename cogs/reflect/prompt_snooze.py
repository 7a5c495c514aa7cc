"""A prompt DM put off with "Later (1 h)" comes back once; "Skip this one" lets it go.

The prompt DM itself is claimed and recorded by dm_prompts; the member's Later or Skip is recorded in
reminder_dms (kind 'prompt', keyed by the DM's due time), and its one re-send is claimed there, so a restart or a
second process never sends it twice. The re-send respects the subscription as it is then: paused or stopped means
it is dropped, and quiet hours hold it until they end.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.command_translator import shown_commands
from bot.errors import retry_delay
from bot.i18n import _, speaking
from bot.languages import group_locale
from bot.quiet_hours import in_quiet_hours
from bot.safety import safety_notice
from bot.snooze import LATER, put_off_note, refuse
from bot.steps import dm_nonce
from bot.ui import persistent_view
from cogs.reflect import outcomes
from cogs.reflect.catalogue import server_prompts
from cogs.reflect.delivery_reasons import REFUSED
from cogs.reflect.render import prompt_embed
from cogs.reflect.views import WriteReflection

if TYPE_CHECKING:
    from bot.client import SupervisionBot

log = logging.getLogger(__name__)


async def later(bot: SupervisionBot, interaction: discord.Interaction, guild_id: int, due: int, prompt_id: str) -> str:
    """Put the prompt DM off an hour; return the note that replaces its Later and Skip buttons."""
    now = bot.scheduler.clock()
    until = now + LATER
    key = (guild_id, interaction.user.id, "prompt", due)
    refuse(await bot.repos.reminders.put_off_prompt(key, prompt_id, until, now))
    return put_off_note(until)


async def skip(bot: SupervisionBot, interaction: discord.Interaction, guild_id: int, due: int) -> str:
    """Let the prompt DM go; return the note that replaces its buttons."""
    now = bot.scheduler.clock()
    refuse(await bot.repos.reminders.skip((guild_id, interaction.user.id, "prompt", due), now))
    return shown_commands(
        _("⏭️ Skipped: this prompt won't come back. Your next one comes as usual; `/reflect prompt` gives one any time.")
    )


def _paused(now: datetime, active: bool, paused_until: datetime | None) -> bool:
    """Whether the subscription is stopped or paused now (a pause until a date keeps it active)."""
    return not active or (paused_until is not None and paused_until > now)


async def resend_put_off_prompts(bot: SupervisionBot, now: datetime) -> str:
    """Send each prompt DM put off with "Later (1 h)" once more, when its hour is up; return a one-line outcome."""
    repos = bot.repos
    sent = dropped = failed = deferred = 0
    due = await repos.reminders.due_resends("prompt", now)
    # Each DM speaks its member's last-seen locale, else the group's: one read per server for all of them.
    locales: dict[tuple[int, int], str] = {}
    for guild_id in {dm.guild_id for dm in due}:
        group = await group_locale(repos, guild_id, bot.get_guild(guild_id))
        members = [dm.user_id for dm in due if dm.guild_id == guild_id]
        seen = await repos.member_locales.get_many(guild_id, members)
        locales |= {(guild_id, user_id): seen.get(user_id, group) for user_id in members}
    for dm in due:
        key = (dm.guild_id, dm.user_id, dm.kind, dm.about)
        sub = await repos.subscriptions.get(dm.guild_id, dm.user_id)
        if sub is not None and sub.active and in_quiet_hours(now, sub.timezone, sub.quiet_start, sub.quiet_end):
            continue  # held until their quiet hours end
        if not await repos.reminders.claim_resend(dm, now):
            continue  # another pass or process has it
        if sub is None or _paused(now, sub.active, sub.paused_until):
            await repos.reminders.settle(key, "skipped", now)  # unsubscribed or paused since: not sent
            dropped += 1
            continue
        prompts = await server_prompts(repos, dm.guild_id, bot.get_guild(dm.guild_id), include_disabled=True)
        prompt = next((p for p in prompts if p.id == dm.prompt_id), None)
        if prompt is None:
            await repos.reminders.settle(key, "skipped", now)
            dropped += 1
            continue
        support_line = (await repos.settings.get(dm.guild_id)).support_line
        guild = bot.get_guild(dm.guild_id)
        with speaking(locales[dm.guild_id, dm.user_id]):
            title = _("Your reflective prompt, as you asked, an hour later")
            embed = prompt_embed(prompt, title=title, notice=safety_notice(support_line))
            embed.add_field(name=_("From"), value=guild.name if guild else _("your supervision group"), inline=False)
            view = persistent_view(WriteReflection(dm.guild_id, prompt.id))
        try:
            channel = await bot.create_dm(discord.Object(dm.user_id))
            # One re-send per prompt DM: the nonce makes a request repeated after a lost reply return the first.
            await channel.send(embed=embed, view=view, nonce=dm_nonce("pr", dm.about, dm.user_id, dm.guild_id))
        except discord.HTTPException as error:
            if retry_delay(error) is not None:
                await repos.reminders.unclaim_resend(dm)
                deferred += 1
                continue
            await repos.reminders.settle(key, "failed", now)
            reason = REFUSED.format(status=error.status)  # recorded in English, shown translated
            await repos.deliveries.record(dm.guild_id, dm.user_id, "reflect", reason, now)
            log.info("a put-off prompt could not be delivered (%s)", error.status)
            failed += 1
            continue
        await repos.reminders.settle(key, "resent", now)
        sent += 1
    return outcomes.resends(sent, dropped, failed, deferred)
