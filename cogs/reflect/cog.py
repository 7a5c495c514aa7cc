"""/reflect: prompts on demand, DM subscriptions, the private journal, and the group's prompt bank."""

from __future__ import annotations

import contextlib
import secrets
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot.checks import require_supervisor
from bot.command_translator import shown_commands
from bot.content.elements import ELEMENTS, REFLECTIVE_STAGES, SUPERVISION_FUNCTIONS, element_name
from bot.content.validation import PROMPT_TEXT_MAX
from bot.db.models import Fire
from bot.db.repositories.subscriptions import Subscription
from bot.errors import retry_delay
from bot.i18n import _, pgettext
from bot.leases import BatchLeases
from bot.steps import StepFailed, Steps
from bot.time_input import describe_weekdays, parse_date, parse_time, parse_weekdays
from bot.timezones import check_timezone, zone_autocomplete
from bot.ui import ELEMENT_CHOICES
from bot.user_error import UserFacingError
from cogs.reflect import journal_flow, outcomes, prompt_flow
from cogs.reflect.catalogue import server_prompts
from cogs.reflect.dm_notice import failure_notice
from cogs.reflect.dm_prompts import send_due_prompts
from cogs.reflect.group_prompt import post_group_prompt
from cogs.reflect.private_share import erase_member_copies, expire_shares
from cogs.reflect.render import DM_SETTING

if TYPE_CHECKING:
    from bot.client import SupervisionBot


class ReflectCog(commands.GroupCog, group_name="reflect", group_description="Reflective prompts and your journal"):
    """Reflective practice between supervision sessions."""

    journal = app_commands.Group(name="journal", description="Your private reflection journal")
    bank = app_commands.Group(name="bank", description="Supervisors: the group's own prompts")

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot
        # The DM ticks running in this process: each holds its claimed prompt DMs, renewed until it ends.
        self.dm_batches = BatchLeases(bot.scheduler.clock, bot.repos.subscriptions.renew_claims, "dm_deliveries")
        super().__init__()

    # Scheduled work ----------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_reflective_prompt_due(self, fire: Fire) -> None:
        steps = await Steps.load(self.bot.repos.fires, fire)
        try:
            outcome = await post_group_prompt(self.bot, fire, steps)
        except LookupError as reason:
            await self.bot.scheduler.finish(fire, "failed", str(reason))
        except StepFailed as failure:
            await self.bot.scheduler.finish(fire, "failed", failure.detail, retry_in=retry_delay(failure.error))
        except discord.HTTPException as error:
            await self.bot.scheduler.finish(fire, "failed", outcomes.not_posted(error), retry_in=retry_delay(error))
        else:
            await self.bot.scheduler.finish(fire, "posted", outcome)

    @commands.Cog.listener()
    async def on_reflect_dm_tick_due(self, fire: Fire) -> None:
        # discord.py runs each listener as its own task, so a long fan-out never blocks the bot.
        outcome = await send_due_prompts(self.bot, self.bot.scheduler.clock(), self.dm_batches, fire.id)
        await self.bot.scheduler.finish(fire, "posted", outcome)

    @commands.Cog.listener()
    async def on_journal_share_expiry_due(self, fire: Fire) -> None:
        await self.bot.scheduler.finish(fire, "posted", await expire_shares(self.bot))

    async def erase_discord_copies(self, guild_id: int, user_id: int) -> None:
        """Called by /privacy delete before rows go: the supervisors' copies of shared entries are deleted."""
        await erase_member_copies(self.bot, guild_id, user_id)

    @commands.Cog.listener()
    async def on_app_command_completion(self, interaction: discord.Interaction, command: object) -> None:
        """Tell a member, once and privately, that a DM to them failed."""
        if interaction.guild_id is None or not interaction.response.is_done():
            return
        failures = await self.bot.repos.deliveries.take_unnotified(interaction.guild_id, interaction.user.id)
        if not failures:
            return
        text = failure_notice(failures)
        with contextlib.suppress(discord.HTTPException):
            await interaction.followup.send(text, ephemeral=True)

    # Members ---------------------------------------------------------------------------------

    @app_commands.command(name="prompt", description="A reflective prompt now, just for you")
    @app_commands.guild_only()
    @app_commands.describe(element="Only prompts on this element")
    @app_commands.choices(element=ELEMENT_CHOICES)
    async def prompt(self, interaction: discord.Interaction, element: app_commands.Choice[str] | None = None) -> None:
        await prompt_flow.show_prompt(self.bot, interaction, element.value if element else None, edit=False)

    @app_commands.command(
        name="subscribe", description="Get prompts by DM on your days, at your local time (allow DMs from this server)"
    )
    @app_commands.guild_only()
    @app_commands.describe(
        days="Weekday(s), e.g. Mon, Thu or weekdays",
        time="Your local time, e.g. 08:30 or 7pm",
        timezone="Your IANA timezone (default: the group's)",
        quiet_from="Start of quiet hours, e.g. 22:00 (optional)",
        quiet_until="End of quiet hours, e.g. 07:00 (optional)",
    )
    @app_commands.autocomplete(timezone=zone_autocomplete)
    async def subscribe(
        self,
        interaction: discord.Interaction,
        days: str,
        time: str,
        timezone: str | None = None,
        quiet_from: str | None = None,
        quiet_until: str | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        settings = await self.bot.repos.settings.get(interaction.guild_id)
        zone = check_timezone(timezone.strip()) if timezone else settings.timezone
        weekdays, local_time = parse_weekdays(days), parse_time(time)
        if (quiet_from is None) != (quiet_until is None):
            raise UserFacingError(
                shown_commands(_("Give both ends of the quiet hours (`quiet_from:` and `quiet_until:`), or neither."))
            )
        quiet = (parse_time(quiet_from), parse_time(quiet_until)) if quiet_from and quiet_until else (None, None)
        now = self.bot.scheduler.clock()
        await self.bot.repos.subscriptions.subscribe(
            Subscription(
                guild_id=interaction.guild_id,
                user_id=interaction.user.id,
                weekdays=weekdays,
                local_time=local_time,
                timezone=zone,
                quiet_start=quiet[0],
                quiet_end=quiet[1],
                active=True,
                paused_until=None,
                active_from=now,
            )
        )
        subscribed = _("Subscribed: a prompt by DM on **{days}** at **{time}** ({zone}).").format(
            days=describe_weekdays(weekdays), time=local_time, zone=zone
        )
        if quiet[0]:
            subscribed += " " + _("Quiet hours {start}-{end}: a prompt due then waits until they end.").format(
                start=quiet[0], end=quiet[1]
            )
        stop = shown_commands(_("`/reflect pause` or `/reflect unsubscribe` stop them."))
        await interaction.response.send_message(f"{_(DM_SETTING)}\n\n{subscribed}\n{stop}", ephemeral=True)

    @app_commands.command(name="unsubscribe", description="Stop prompts by DM")
    @app_commands.guild_only()
    async def unsubscribe(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        removed = await self.bot.repos.subscriptions.unsubscribe(interaction.guild_id, interaction.user.id)
        await interaction.response.send_message(
            _("Unsubscribed: no more prompts by DM.") if removed else _("You weren't subscribed."), ephemeral=True
        )

    @app_commands.command(name="pause", description="Pause prompts by DM, indefinitely or until a date")
    @app_commands.guild_only()
    @app_commands.describe(until="Resume on this date (YYYY-MM-DD); empty pauses until you subscribe again")
    async def pause(self, interaction: discord.Interaction, until: str | None = None) -> None:
        assert interaction.guild_id is not None
        sub = await self.bot.repos.subscriptions.get(interaction.guild_id, interaction.user.id)
        if sub is None:
            raise UserFacingError(shown_commands(_("You aren't subscribed. Use `/reflect subscribe` first.")))
        resume = parse_date(until, sub.timezone, self.bot.scheduler.clock()) if until else None
        await self.bot.repos.subscriptions.pause(interaction.guild_id, interaction.user.id, resume)
        text = (
            _("Paused until {date}.").format(date=format_dt(resume, "D"))
            if resume
            else shown_commands(_("Paused until you `/reflect subscribe` again."))
        )
        await interaction.response.send_message(text, ephemeral=True)

    @journal.command(name="show", description="Your journal entries, newest first (only you see them)")
    @app_commands.guild_only()
    async def journal_show(self, interaction: discord.Interaction) -> None:
        await journal_flow.show_page(self.bot, interaction, 0, edit=False)

    @journal.command(name="export", description="Your whole journal as a Markdown file")
    @app_commands.guild_only()
    async def journal_export(self, interaction: discord.Interaction) -> None:
        await journal_flow.export_journal(self.bot, interaction)

    # Supervisors ------------------------------------------------------------------------------

    @bank.command(name="add", description="Add a prompt of the group's own")
    @app_commands.guild_only()
    @app_commands.describe(
        element="The element it is about",
        stage="The stage of reflection it invites",
        text="The prompt (about the member's own experience)",
        function="Proctor's function",
    )
    @app_commands.choices(
        element=ELEMENT_CHOICES,
        stage=[app_commands.Choice(name=s.capitalize(), value=s) for s in REFLECTIVE_STAGES],
        function=[app_commands.Choice(name=f.capitalize(), value=f) for f in SUPERVISION_FUNCTIONS],
    )
    async def bank_add(
        self,
        interaction: discord.Interaction,
        element: app_commands.Choice[str],
        stage: app_commands.Choice[str],
        text: app_commands.Range[str, 10, PROMPT_TEXT_MAX],
        function: app_commands.Choice[str] | None = None,
    ) -> None:
        await require_supervisor(self.bot, interaction)
        assert interaction.guild_id is not None
        prompt_id = f"custom-p{secrets.token_hex(4)}"
        await self.bot.repos.reflect.add_custom(
            interaction.guild_id,
            prompt_id,
            element.value,
            stage.value,
            function.value if function else None,
            text.strip(),
            self.bot.scheduler.clock(),
        )
        await interaction.response.send_message(
            # Translators: {element} and {stage} are named as in the command's choices.
            _("Added `{id}` ({element}, {stage}). It can now be drawn for the group and by DM.").format(
                id=prompt_id, element=element_name(element.value), stage=pgettext("choice name", stage.name)
            ),
            ephemeral=True,
        )

    @bank.command(name="list", description="Prompts per element, or one element's prompts with ids")
    @app_commands.guild_only()
    @app_commands.choices(element=ELEMENT_CHOICES)
    async def bank_list(
        self, interaction: discord.Interaction, element: app_commands.Choice[str] | None = None
    ) -> None:
        await require_supervisor(self.bot, interaction)
        assert interaction.guild_id is not None
        usable = await server_prompts(self.bot.repos, interaction.guild_id, interaction.guild)
        if element is None:
            lines = [
                _("- {element}: {count} usable").format(
                    element=element_name(key), count=sum(p.element == key for p in usable)
                )
                for key in ELEMENTS
            ]
            text = _("**Prompts per element**") + "\n" + "\n".join(lines)
        else:
            lines = [f"`{p.id}` ({p.stage}): {p.text[:80]}" for p in usable if p.element == element.value]
            text = f"**{element_name(element.value)}**\n" + "\n".join(lines)
        await interaction.response.send_message(text[:1990], ephemeral=True)

    @bank.command(name="disable", description="Switch a prompt off for this group")
    @app_commands.guild_only()
    async def bank_disable(self, interaction: discord.Interaction, prompt_id: str) -> None:
        await require_supervisor(self.bot, interaction)
        assert interaction.guild_id is not None
        every = await server_prompts(self.bot.repos, interaction.guild_id, interaction.guild, include_disabled=True)
        if not any(p.id == prompt_id.strip() for p in every):
            raise UserFacingError(
                shown_commands(_("No prompt has the id “{id}”. Find ids with `/reflect bank list`.")).format(
                    id=prompt_id[:60]
                )
            )
        changed = await self.bot.repos.reflect.disable(interaction.guild_id, prompt_id.strip())
        text = _("`{id}` is now switched off.") if changed else _("`{id}` is already switched off.")
        await interaction.response.send_message(text.format(id=prompt_id.strip()), ephemeral=True)

    @app_commands.command(name="settings", description="Supervisors: lean group prompts toward the hardest element")
    @app_commands.guild_only()
    @app_commands.describe(lean="Lean the weekly prompt toward the element the group found hardest in quizzes")
    async def settings(self, interaction: discord.Interaction, lean: bool) -> None:
        await require_supervisor(self.bot, interaction)
        assert interaction.guild_id is not None
        await self.bot.repos.reflect.set_lean(interaction.guild_id, lean)
        text = (
            _("Quiz-aware lean is on: weekly prompts lean toward the element the group found hardest.")
            if lean
            else _("Quiz-aware lean is off.")
        )
        await interaction.response.send_message(text, ephemeral=True)
