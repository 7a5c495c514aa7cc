"""Embeds for prompts and journal pages."""

from __future__ import annotations

import discord
from discord.utils import format_dt

from bot.content.banks import ReflectionPrompt
from bot.content.elements import element_name
from bot.content.localise import tagged_title
from bot.db.repositories.journal import JournalEntry
from bot.db.repositories.journal_shares import JournalShare

# Said before anything else when a member subscribes: Discord drops DMs to members who block them from servers.
DM_SETTING = (
    "📬 **Prompts come by direct message, so allow DMs from this server first.** On a computer: right-click "
    "the server icon, choose **Privacy Settings** and turn on **Direct Messages**. On a phone: tap the server "
    "name and turn on **Allow Direct Messages**. If a prompt can't reach you, I'll tell you privately the next "
    "time you use a command."
)
# Gibbs' reflective cycle and Proctor's functions of supervision, in words a trainee reads at a glance.
STAGE_WORDS = {
    "describe": "describe what happened",
    "feel": "notice what you felt",
    "evaluate": "weigh what went well and what didn't",
    "analyse": "make sense of it",
    "conclude": "draw conclusions",
    "plan": "plan what you'll do next",
}
FUNCTION_WORDS = {
    "normative": "good and safe practice",
    "formative": "building your skills",
    "restorative": "looking after yourself",
}


def prompt_embed(
    prompt: ReflectionPrompt, title: str = "Reflective prompt", notice: str | None = None
) -> discord.Embed:
    """A prompt, with what it asks of the reader in plain words, its source and an optional notice beneath."""
    embed = discord.Embed(title=tagged_title(title, prompt), description=prompt.text, colour=discord.Colour.gold())
    footer = f"{element_name(prompt.element)} · This prompt asks you to {STAGE_WORDS.get(prompt.stage, prompt.stage)}"
    if prompt.function:
        footer += f" · Focus: {FUNCTION_WORDS.get(prompt.function, prompt.function)}"
    footer += f"\nSource: {prompt.source}"
    if notice:
        footer += f"\n\n{notice}"
    embed.set_footer(text=footer[:2048])
    return embed


def journal_embed(
    entries: list[JournalEntry], page: int, pages: int, total: int, shares: dict[int, JournalShare] | None = None
) -> discord.Embed:
    """One page of the member's journal, newest first."""
    embed = discord.Embed(title="Your reflection journal", colour=discord.Colour.gold())
    if not entries:
        embed.description = "No entries yet. Try `/reflect prompt` and press **Write a reflection**."
    for entry in entries:
        prompt = f"> {entry.prompt_text[:200]}\n" if entry.prompt_text else ""
        body = entry.body if len(entry.body) <= 700 else entry.body[:700] + "… (full text in `/reflect journal export`)"
        shared = " · shared in the group thread" if entry.shared_message_id else ""
        share = (shares or {}).get(entry.id)
        shared += " · shared with your supervisor" if share else ""
        written = format_dt(entry.written_at, "f")
        reply = ""
        if share is not None and share.reply:
            # The reply sits beside the entry; the entry's own text gives way if the field would overflow.
            reply = f"\n💬 **{share.reply_from}:** {share.reply}"[:500]
            body = body[: max(0, 1000 - len(written) - len(prompt) - len(reply))]
        value = f"{written}\n{prompt}{body}{reply}"[:1024]
        embed.add_field(name=f"Entry #{entry.id}{shared}", value=value, inline=False)
    embed.set_footer(
        text=f"Page {page + 1} of {pages} · {total} entr{'y' if total == 1 else 'ies'} · only you see this"
    )
    return embed
