"""On-demand prompts: /reflect prompt and its "Another prompt" button."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import discord

from bot.i18n import _
from bot.ui import persistent_view
from bot.user_error import UserFacingError
from cogs.reflect.catalogue import server_prompts
from cogs.reflect.render import prompt_embed
from cogs.reflect.views import AnotherPrompt, WriteReflection

if TYPE_CHECKING:
    from bot.client import SupervisionBot

_rng = random.SystemRandom()


async def show_prompt(
    bot: SupervisionBot, interaction: discord.Interaction, element: str | None, *, edit: bool
) -> None:
    """Show a random prompt (optionally of one element) with Write and Another buttons."""
    if interaction.guild_id is None:
        raise UserFacingError(_("Ask for prompts inside your group's server, so reflections land in its journal."))
    prompts = await server_prompts(bot.repos, interaction.guild_id, bot.get_guild(interaction.guild_id))
    pool = [p for p in prompts if element is None or p.element == element]
    if not pool:
        raise UserFacingError(_("There are no prompts for that element."))
    prompt = _rng.choice(pool)
    view = persistent_view(WriteReflection(interaction.guild_id, prompt.id), AnotherPrompt(element))
    if edit:
        await interaction.response.edit_message(embed=prompt_embed(prompt), view=view)
    else:
        await interaction.response.send_message(embed=prompt_embed(prompt), view=view, ephemeral=True)
