"""Embeds for prompts and journal pages."""

from __future__ import annotations

import discord

from bot.content.banks import ReflectionPrompt
from bot.content.elements import element_name
from bot.db.repositories.journal import JournalEntry

STAGE_NAMES = {
    "describe": "Describe",
    "feel": "Feelings",
    "evaluate": "Evaluate",
    "analyse": "Analyse",
    "conclude": "Conclude",
    "plan": "Plan",
}


def prompt_embed(prompt: ReflectionPrompt, title: str = "Reflective prompt") -> discord.Embed:
    """A prompt with its element and reflective stage."""
    embed = discord.Embed(title=title, description=prompt.text, colour=discord.Colour.gold())
    footer = f"{element_name(prompt.element)} · {STAGE_NAMES.get(prompt.stage, prompt.stage)}"
    if prompt.function:
        footer += f" · {prompt.function}"
    embed.set_footer(text=f"{footer} · {prompt.source}"[:2048])
    return embed


def journal_embed(entries: list[JournalEntry], page: int, pages: int, total: int) -> discord.Embed:
    """One page of the member's journal, newest first."""
    embed = discord.Embed(title="Your reflection journal", colour=discord.Colour.gold())
    if not entries:
        embed.description = "No entries yet. Try `/reflect prompt` and press **Write a reflection**."
    for entry in entries:
        prompt = f"> {entry.prompt_text[:200]}\n" if entry.prompt_text else ""
        body = entry.body if len(entry.body) <= 700 else entry.body[:700] + "… (full text in `/reflect journal export`)"
        shared = " · shared in the group thread" if entry.shared_message_id else ""
        written = f"<t:{int(entry.written_at.timestamp())}:f>"
        embed.add_field(name=f"Entry #{entry.id}{shared}", value=f"{written}\n{prompt}{body}"[:1024], inline=False)
    embed.set_footer(
        text=f"Page {page + 1} of {pages} · {total} entr{'y' if total == 1 else 'ies'} · only you see this"
    )
    return embed
