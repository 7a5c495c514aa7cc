"""The prompts a server can draw on: the bundled bank plus its own, minus those it switched off."""

from __future__ import annotations

import discord

from bot.content.banks import ReflectionPrompt
from bot.content.localise import content_language, prompts_in
from bot.db.repositories import Repositories
from bot.i18n import N_
from bot.languages import group_locale

# The source shown under a group's own prompts: English here, translated where the prompt is shown.
GROUP_SOURCE = N_("written by this group")


async def server_prompts(
    repos: Repositories, guild_id: int, guild: discord.Guild | None, *, include_disabled: bool = False
) -> list[ReflectionPrompt]:
    """Return the server's usable prompts (bundled and its own), in the group's language.

    The group's, wherever the prompt is shown (its channel, a member's DM or private card), so the words a
    member reflects on are the words the group discusses; a prompt not yet translated is tagged "(English)".
    """
    language = content_language(await group_locale(repos, guild_id, guild))
    custom = [
        ReflectionPrompt(
            id=c.prompt_id,
            element=c.element,
            stage=c.stage,
            text=c.text,
            source=GROUP_SOURCE,
            function=c.function,
            # Written by the group for itself: shown as written, in whatever language that was.
            language=language,
        )
        for c in await repos.reflect.custom_prompts(guild_id)
    ]
    prompts = [*prompts_in(language), *custom]
    if include_disabled:
        return prompts
    disabled = await repos.reflect.disabled(guild_id)
    return [p for p in prompts if p.id not in disabled]


async def find_prompt(
    repos: Repositories, guild_id: int, guild: discord.Guild | None, prompt_id: str
) -> ReflectionPrompt | None:
    """Return a prompt by id, even if switched off (a DM may still carry it)."""
    prompts = await server_prompts(repos, guild_id, guild, include_disabled=True)
    return next((p for p in prompts if p.id == prompt_id), None)
