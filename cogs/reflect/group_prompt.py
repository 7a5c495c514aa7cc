"""The weekly group prompt: choose it, post it, and open a thread for responses where allowed."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord

from bot import i18n
from bot.accuracy import element_totals
from bot.channels import server_channel
from bot.content.elements import ELEMENTS, element_name
from bot.db.models import Fire
from bot.i18n import _, day
from bot.quiz_catalogue import load_catalogue
from bot.steps import StepFailed, Steps
from bot.ui import persistent_view
from cogs.reflect import outcomes
from cogs.reflect.catalogue import server_prompts
from cogs.reflect.logic import choose_prompt, group_rotation_prompts, next_element, weakest_element
from cogs.reflect.render import prompt_embed
from cogs.reflect.views import WriteReflection

if TYPE_CHECKING:
    from bot.client import SupervisionBot

LEAN_WINDOW_WEEKS = 4


async def _weakest(bot: SupervisionBot, guild_id: int) -> str | None:
    """The element the group scored lowest on in recent quizzes, if there are enough answers."""
    rows = await bot.repos.quiz.item_usage(guild_id)
    if not rows:
        return None
    catalogue = await load_catalogue(bot.repos, guild_id)
    totals = element_totals(rows, catalogue.element_of, LEAN_WINDOW_WEEKS)
    accuracy = {element: right / count for element, (right, count) in totals.items() if count}
    return weakest_element(accuracy, {element: count for element, (_, count) in totals.items()})


async def post_group_prompt(bot: SupervisionBot, fire: Fire, steps: Steps) -> str:
    """Post the week's prompt, then open its thread; return the outcome for the fire record.

    Each step is recorded as it lands, so a retry after a failed thread never posts the prompt again.
    """
    assert fire.guild_id is not None
    guild_id = fire.guild_id
    settings = await bot.repos.settings.get(guild_id)
    channel = server_channel(bot, guild_id, fire.channel_id or settings.prompts_channel_id)
    if steps.value("post") is None:
        if not isinstance(channel, discord.TextChannel):
            raise LookupError(outcomes.NO_PROMPTS_CHANNEL)
        await _post(bot, fire, steps, channel)
    # The same path for a fresh post and a retry that resumes after it: the record says where it is.
    record = await bot.repos.reflect.group_prompt(int(steps.value("post") or 0))
    if record is None or record.message_id is None:
        raise LookupError(outcomes.RECORD_GONE)
    message = bot.get_partial_messageable(record.channel_id, guild_id=guild_id).get_partial_message(record.message_id)
    thread_id = await _open_thread(bot, fire, steps, message, record.element, settings.timezone)
    await bot.repos.reflect.set_posted(record.id, message.id, thread_id)
    lean = steps.value("lean")
    # The fire's detail is recorded in English, like a log line, whatever language the post was in.
    with i18n.speaking(i18n.SOURCE):
        return outcomes.prompt_posted(
            record.prompt_id,
            element_name(record.element),
            thread=thread_id is not None,
            lean=element_name(lean) if lean else None,
        )


async def _post(bot: SupervisionBot, fire: Fire, steps: Steps, channel: discord.TextChannel) -> None:
    """Choose the prompt and post it; record the post as a step the moment it lands."""
    assert fire.guild_id is not None
    guild_id = fire.guild_id
    prompts = group_rotation_prompts(await server_prompts(bot.repos, guild_id, channel.guild))
    # Only elements that still have prompts here (a group may switch a whole element off).
    available = [e for e in ELEMENTS if any(p.element == e for p in prompts)]
    if not available:
        raise LookupError(outcomes.ALL_SWITCHED_OFF)
    lean = await _weakest(bot, guild_id) if await bot.repos.reflect.lean_toward_weakest(guild_id) else None
    lean = lean if lean in available else None
    element = next_element(await bot.repos.reflect.elements_in_order(guild_id), lean, available)
    used = await bot.repos.reflect.used_in_cycle(guild_id)
    # Seeded by the fire, so an attempt repeated after a lost reply chooses the same prompt.
    prompt, restarted = choose_prompt(prompts, element, used, random.Random(fire.id))
    # The fire speaks the group's language: the post and its buttons are in it.
    title = _("This week's reflective prompt · {element}").format(element=element_name(element))
    embed = prompt_embed(prompt, title=title)
    perms = channel.permissions_for(channel.guild.me)
    embed.add_field(
        name=_("Respond"),
        value=_("Reply in the thread below, or keep it private with **Write a reflection**.")
        if perms.create_public_threads and perms.send_messages_in_threads
        else _("Reply in this channel, or keep it private with **Write a reflection**."),
    )
    message = await channel.send(
        embed=embed, view=persistent_view(WriteReflection(guild_id, prompt.id)), nonce=steps.nonce("post")
    )
    record_id = await bot.repos.reflect.record_group_prompt(
        guild_id, prompt.id, element, channel.id, fire.scheduled_for, restarted
    )
    await bot.repos.reflect.set_posted(record_id, message.id, None)
    await steps.mark("post", record_id)
    if lean == element:
        await steps.mark("lean", lean)


async def _open_thread(
    bot: SupervisionBot,
    fire: Fire,
    steps: Steps,
    message: discord.PartialMessage,
    element: str,
    zone: str,
) -> int | None:
    """Open the reply thread under the posted prompt, once; None when the bot may not create threads."""
    done = steps.value("thread")
    if done is not None:
        return int(done) if done else None
    channel = server_channel(bot, fire.guild_id, message.channel.id)
    if isinstance(channel, discord.TextChannel):
        perms = channel.permissions_for(channel.guild.me)
        if not (perms.create_public_threads and perms.send_messages_in_threads):
            await steps.mark("thread", "")
            return None
    local = fire.scheduled_for.astimezone(ZoneInfo(zone))
    try:
        name = _("Reflections · {element} · {day}").format(element=element_name(element), day=day(local, "d MMM"))
        thread = await message.create_thread(name=name[:100], auto_archive_duration=10080)
    except discord.Forbidden:
        await steps.mark("thread", "")
        return None
    except discord.HTTPException as error:
        raise StepFailed(outcomes.POSTED, outcomes.NO_THREAD, error) from error
    await steps.mark("thread", thread.id)
    return thread.id
