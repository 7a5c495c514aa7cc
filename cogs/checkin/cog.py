"""/checkin: record, withdraw and (for supervisors) summarise anonymous countertransference check-ins."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.channels import server_channel
from bot.charts import checkin_summary_chart
from bot.checks import require_supervisor
from bot.db.models import Fire
from bot.errors import retry_delay
from bot.i18n import _, ngettext, number
from bot.offload import draw
from bot.period_limit import PeriodLimit
from bot.steps import StepFailed, Steps
from cogs.checkin import outcomes
from cogs.checkin.logic import (
    DIMENSIONS,
    dimension_label,
    hash_code,
    normalise_code,
    period_for,
    render_count,
    summarise,
)
from cogs.checkin.replies import show_member_replies
from cogs.checkin.service import release_digest
from cogs.checkin.views import CheckInCard, card_text

if TYPE_CHECKING:
    from bot.client import SupervisionBot


# Coarse windows only: comparing 2 weeks with 3 would expose one week's small counts exactly.
WEEK_WINDOWS = (4, 8, 12, 26)


class CheckInCog(commands.GroupCog, group_name="checkin", group_description="Anonymous countertransference check-ins"):
    """Anonymous check-ins and their digest."""

    def __init__(self, bot: SupervisionBot) -> None:
        self.bot = bot
        self.limit = PeriodLimit(bot.config.checkin.weekly_limit)
        super().__init__()

    async def close_old_periods(self, guild_id: int) -> None:
        """Forget earlier weeks' counts and roll over (or drop) their unshared check-ins."""
        settings = await self.bot.repos.settings.get(guild_id)
        current = period_for(self.bot.scheduler.clock(), settings.timezone)
        self.limit.forget_before(guild_id, current)
        roll_over = self.bot.config.checkin.below_threshold == "rollover"
        await self.bot.repos.checkins.close_periods_before(guild_id, current, roll_over)

    @commands.Cog.listener()
    async def on_checkin_rollover_due(self, fire: Fire) -> None:
        for guild_id in await self.bot.repos.checkins.guilds():
            await self.close_old_periods(guild_id)
        await self.bot.scheduler.finish(fire, "posted", outcomes.ROLLED_OVER)

    @commands.Cog.listener()
    async def on_checkin_digest_due(self, fire: Fire) -> None:
        assert fire.guild_id is not None
        await self.close_old_periods(fire.guild_id)
        channel_id = fire.channel_id or (await self.bot.repos.settings.get(fire.guild_id)).digest_channel_id
        channel = server_channel(self.bot, fire.guild_id, channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            await self.bot.scheduler.finish(fire, "failed", outcomes.NO_DIGEST_CHANNEL)
            return
        steps = await Steps.load(self.bot.repos.fires, fire)
        try:
            k = self.bot.config.checkin.min_digest_size
            result = await release_digest(self.bot.repos.checkins, k, fire.guild_id, channel, steps)
        except StepFailed as failure:
            await self.bot.scheduler.finish(fire, "failed", failure.detail, retry_in=retry_delay(failure.error))
            return
        except discord.HTTPException as error:
            await self.bot.scheduler.finish(fire, "failed", outcomes.not_posted(error), retry_in=retry_delay(error))
            return
        await self.bot.scheduler.finish(fire, "posted", result.describe())

    @app_commands.command(
        name="new", description="Record, anonymously, what a client stirred up in you", extras={"anonymous": True}
    )
    @app_commands.guild_only()
    async def new(self, interaction: discord.Interaction) -> None:
        card = CheckInCard(self.bot, self.limit, interaction.user.id)
        await interaction.response.send_message(card_text(card.draft), view=card, ephemeral=True)

    @app_commands.command(
        name="withdraw", description="Withdraw a check-in with the code you were shown", extras={"anonymous": True}
    )
    @app_commands.guild_only()
    @app_commands.describe(code="The withdrawal code shown when you submitted, e.g. K7QF-2MZP-9TXR")
    async def withdraw(self, interaction: discord.Interaction, code: app_commands.Range[str, 1, 64]) -> None:
        assert interaction.guild_id is not None
        removed = await self.bot.repos.checkins.withdraw(interaction.guild_id, hash_code(normalise_code(code)))
        if removed is None:
            text = _("No check-in in this server has that code. Nothing was changed; check the code and try again.")
        elif removed.released:
            text = _(
                "Withdrawn: the check-in is deleted. It had already been shared in a digest, which I can't "
                "unsend, but it no longer counts in any summary."
            )
        else:
            text = _("Withdrawn: the check-in is deleted and will not be shared.")
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(
        name="replies",
        description="Read replies to your check-in with its code; answer once",
        extras={"anonymous": True},
    )
    @app_commands.guild_only()
    @app_commands.describe(code="The code shown when you submitted, e.g. K7QF-2MZP-9TXR")
    async def replies(self, interaction: discord.Interaction, code: app_commands.Range[str, 1, 64]) -> None:
        await show_member_replies(self.bot, interaction, code)

    @app_commands.command(name="summary", description="Supervisors: anonymous totals per dimension over recent weeks")
    @app_commands.guild_only()
    @app_commands.describe(weeks="How many recent weeks to include")
    @app_commands.choices(weeks=[app_commands.Choice(name=f"{n} weeks", value=n) for n in WEEK_WINDOWS])
    async def summary(self, interaction: discord.Interaction, weeks: int = 4) -> None:
        await require_supervisor(self.bot, interaction)
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        settings = await self.bot.repos.settings.get(interaction.guild_id)
        now = self.bot.scheduler.clock()
        periods = sorted({period_for(now - timedelta(weeks=n), settings.timezone) for n in range(weeks)})
        # Only check-ins already shared in a digest: a summary that moved with each new check-in would
        # let someone who saw a member online spot theirs by running it before and after.
        rows = await self.bot.repos.checkins.released_in(interaction.guild_id, periods)
        k = self.bot.config.checkin.min_digest_size
        result = summarise([(c.dimensions, c.intensity, c.raise_it) for c in rows], k)
        counts = {dimension_label(d): result.counts.get(d) for d in DIMENSIONS}
        png, alt = await draw(checkin_summary_chart, counts, k)
        mean = result.mean_intensity
        lines = [
            _("**Check-ins:** {count}").format(count=render_count(result.total, k)),
            _("**Mean intensity:** {mean}").format(
                mean=_("{mean} / 5").format(mean=number(mean, 1)) if mean else _("not shown")
            ),
            _("**Asked to raise it at a meeting:** {count}").format(count=render_count(result.raise_it, k)),
            "",
            *(f"- {label}: {render_count(count, k)}" for label, count in counts.items()),
            "",
            # Translators: {fewer} is how a hidden count is shown, e.g. "fewer than 3".
            _(
                "Counts under {k} are shown as “{fewer}”, so no single member's check-in stands out. "
                "Only check-ins already shared in a digest are counted."
            ).format(k=k, fewer=render_count(None, k)),
        ]
        embed = discord.Embed(
            title=ngettext(
                "Check-in summary · last {weeks} week", "Check-in summary · last {weeks} weeks", weeks
            ).format(weeks=weeks),
            description="\n".join(lines),
            colour=discord.Colour.dark_teal(),
        )
        embed.set_image(url="attachment://checkin-summary.png")
        file = discord.File(io.BytesIO(png), filename="checkin-summary.png", description=alt[:1024])
        await interaction.followup.send(content=alt[:2000], embed=embed, file=file, ephemeral=True)
