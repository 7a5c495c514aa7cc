"""The prompts a server can draw on: the bundled bank plus its own, minus those it switched off."""

from __future__ import annotations

from bot.content.banks import ReflectionPrompt, prompt_bank
from bot.db.repositories import Repositories
from bot.i18n import N_

# The source shown under a group's own prompts: English here, translated where the prompt is shown.
GROUP_SOURCE = N_("written by this group")


async def server_prompts(
    repos: Repositories, guild_id: int, *, include_disabled: bool = False
) -> list[ReflectionPrompt]:
    """Return the server's usable prompts (bundled and its own)."""
    custom = [
        ReflectionPrompt(
            id=c.prompt_id,
            element=c.element,
            stage=c.stage,
            text=c.text,
            source=GROUP_SOURCE,
            function=c.function,
        )
        for c in await repos.reflect.custom_prompts(guild_id)
    ]
    prompts = [*prompt_bank(), *custom]
    if include_disabled:
        return prompts
    disabled = await repos.reflect.disabled(guild_id)
    return [p for p in prompts if p.id not in disabled]


async def find_prompt(repos: Repositories, guild_id: int, prompt_id: str) -> ReflectionPrompt | None:
    """Return a prompt by id, even if switched off (a DM may still carry it)."""
    return next((p for p in await server_prompts(repos, guild_id, include_disabled=True) if p.id == prompt_id), None)
