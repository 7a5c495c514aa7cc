"""Embeds for prompts and journal pages."""

from __future__ import annotations

import discord
from discord.utils import format_dt

from bot.command_translator import shown_commands
from bot.content.banks import ReflectionPrompt
from bot.content.elements import element_name
from bot.content.localise import tagged_title
from bot.db.repositories.journal import JournalEntry
from bot.db.repositories.journal_shares import JournalShare
from bot.i18n import N_, _, ngettext
from cogs.reflect.catalogue import GROUP_SOURCE

# Said before anything else when a member subscribes: Discord drops DMs to members who block them from servers.
DM_SETTING = N_(
    "📬 **Prompts come by direct message, so allow DMs from this server first.** On a computer: right-click "
    "the server icon, choose **Privacy Settings** and turn on **Direct Messages**. On a phone: tap the server "
    "name and turn on **Allow Direct Messages**. If a prompt can't reach you, I'll tell you privately the next "
    "time you use a command."
)
# Gibbs' reflective cycle and Proctor's functions of supervision, in words a trainee reads at a glance. English
# here; `prompt_embed` words them in the reader's language, inside a sentence of their own.
STAGE_WORDS = {
    # Translators: these six complete "This prompt asks you to …": a verb phrase in the infinitive.
    "describe": N_("describe what happened"),
    "feel": N_("notice what you felt"),
    "evaluate": N_("weigh what went well and what didn't"),
    "analyse": N_("make sense of it"),
    "conclude": N_("draw conclusions"),
    "plan": N_("plan what you'll do next"),
}
FUNCTION_WORDS = {
    # Translators: these three complete "Focus: …".
    "normative": N_("good and safe practice"),
    "formative": N_("building your skills"),
    "restorative": N_("looking after yourself"),
}


def prompt_embed(prompt: ReflectionPrompt, title: str | None = None, notice: str | None = None) -> discord.Embed:
    """A prompt, with what it asks of the reader in plain words, its source and an optional notice beneath.

    The prompt's own text comes from the bank as it is; the words around it speak the current language.
    """
    title = tagged_title(title or _("Reflective prompt"), prompt)
    embed = discord.Embed(title=title, description=prompt.text, colour=discord.Colour.gold())
    stage = STAGE_WORDS.get(prompt.stage)
    # Translators: {stage} is one of the verb phrases such as "describe what happened".
    asks = _("This prompt asks you to {stage}").format(stage=_(stage) if stage else prompt.stage)
    footer = f"{element_name(prompt.element)} · {asks}"
    if prompt.function:
        focus = FUNCTION_WORDS.get(prompt.function)
        footer += " · " + _("Focus: {function}").format(function=_(focus) if focus else prompt.function)
    # Translators: {source} is the prompt's cited source, kept as it is (or "written by this group").
    source = _(GROUP_SOURCE) if prompt.source == GROUP_SOURCE else prompt.source
    footer += "\n" + _("Source: {source}").format(source=source)
    if notice:
        footer += f"\n\n{notice}"
    embed.set_footer(text=footer[:2048])
    return embed


def journal_embed(
    entries: list[JournalEntry], page: int, pages: int, total: int, shares: dict[int, JournalShare] | None = None
) -> discord.Embed:
    """One page of the member's journal, newest first."""
    embed = discord.Embed(title=_("Your reflection journal"), colour=discord.Colour.gold())
    if not entries:
        embed.description = shown_commands(_("No entries yet. Try `/reflect prompt` and press **Write a reflection**."))
    for entry in entries:
        prompt = f"> {entry.prompt_text[:200]}\n" if entry.prompt_text else ""
        body = entry.body
        if len(body) > 700:
            body = body[:700] + shown_commands(_("… (full text in `/reflect journal export`)"))
        share = (shares or {}).get(entry.id)
        name = _entry_name(entry.id, in_thread=entry.shared_message_id is not None, with_supervisor=share is not None)
        written = format_dt(entry.written_at, "f")
        reply = ""
        if share is not None and share.reply:
            # The reply sits beside the entry; the entry's own text gives way if the field would overflow.
            reply = f"\n💬 **{share.reply_from}:** {share.reply}"[:500]
            body = body[: max(0, 1000 - len(written) - len(prompt) - len(reply))]
        value = f"{written}\n{prompt}{body}{reply}"[:1024]
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(
        text=ngettext(
            "Page {page} of {pages} · {total} entry · only you see this",
            "Page {page} of {pages} · {total} entries · only you see this",
            total,
        ).format(page=page + 1, pages=pages, total=total)
    )
    return embed


def _entry_name(entry_id: int, *, in_thread: bool, with_supervisor: bool) -> str:
    """An entry's heading on a journal page: its number, and where it was shared."""
    if in_thread and with_supervisor:
        text = _("Entry #{id} · shared in the group thread · shared with your supervisor")
    elif in_thread:
        text = _("Entry #{id} · shared in the group thread")
    elif with_supervisor:
        text = _("Entry #{id} · shared with your supervisor")
    else:
        text = _("Entry #{id}")
    return text.format(id=entry_id)
