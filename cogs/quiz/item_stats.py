"""/quiz bank stats: supervisors see how each item performs, from this server's recorded answers."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord

from bot.checks import require_supervisor
from bot.content.item_stats import Answer, item_statistics, stats_lines
from bot.i18n import _, ngettext
from bot.quiz_catalogue import load_catalogue

if TYPE_CHECKING:
    from bot.client import SupervisionBot

MESSAGE_MAX = 1900


async def show_item_stats(bot: SupervisionBot, interaction: discord.Interaction) -> None:
    """Reply privately with the server's item statistics, items that look broken first."""
    await require_supervisor(bot, interaction)
    assert interaction.guild_id is not None
    await interaction.response.defer(ephemeral=True, thinking=True)
    # The same k as check-in digests: an aggregate over fewer members could expose one member's answers.
    k = bot.config.quiz.min_group_size
    catalogue = await load_catalogue(bot.repos, interaction.guild_id)
    rows = await bot.repos.quiz.answers_for_item_stats(interaction.guild_id)
    answers = [Answer(r.user_id, r.item_id, r.choice, r.correct) for r in rows]
    stats = item_statistics(answers, catalogue.items, k)
    lines = stats_lines(stats, k)
    flagged = sum(bool(s.flags) for s in stats)
    header = " ".join(
        [
            ngettext(
                "**Item statistics** · {n} item with answers from at least {k} members; {flagged} look broken (⚠).",
                "**Item statistics** · {n} items with answers from at least {k} members; {flagged} look broken (⚠).",
                len(stats),
            ).format(n=len(stats), k=k, flagged=flagged),
            _(
                "Facility is the share correct; * marks the key; discrimination is the correlation with members' "
                "scores on their other items (below 0 means stronger members miss it more)."
            ),
        ]
    )
    body = "\n".join(lines)
    text = f"{header}\n{body}"
    if len(text) <= MESSAGE_MAX:
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        return
    file = discord.File(io.BytesIO(body.encode("utf-8")), filename="item-stats.txt")
    await interaction.followup.send(
        header[:MESSAGE_MAX] + "\n" + _("The full table is attached."), file=file, ephemeral=True
    )
