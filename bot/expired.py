"""Answer a click or form that no live handler will take: say what expired, what to run, and lose no text.

Persistent controls are DynamicItems and survive restarts. Cards that hold a member's unsaved state in
memory (a check-in draft, a form being corrected) end after their timeout or a restart; their custom
ids name the card (`sv:v:<card>:<random>`) so that a late click is still answered in words.
"""

from __future__ import annotations

import io
import re
from typing import Any

import discord

from bot.command_translator import shown_commands
from bot.i18n import N_, _, pgettext

# What a late click on each kind of card should be told; filled in by GuardedView/GuardedModal subclasses from
# their `expired_hint`, at import, so in English: each is translated when it is shown (the features mark theirs
# with N_() so that the catalogue has them).
HINTS: dict[str, str] = {}
CARD_ID = re.compile(r"sv:v:(?P<card>[a-z-]+):")
FEATURE_ID = re.compile(r"sv:(?P<feature>[a-z]+):")
FEATURE_NAMES = {
    "quiz": N_("quiz"),
    "reflect": N_("reflection"),
    "checkin": N_("check-in"),
    "privacy": N_("privacy"),
    "meeting": N_("meeting"),
}
# Longer echoed text goes back as a file: an ephemeral message holds 2,000 characters.
ECHO_LIMIT = 1800

GENERIC = N_(
    "This control has expired. Cards shown only to you last 15 minutes, and end when the bot restarts. "
    "Run the command again for a fresh one."
)


def expired_text(custom_id: str) -> str:
    """What to tell the member who used an expired control with this custom id, in their language, the commands it
    names as their Discord shows them."""
    return shown_commands(_expired_text(custom_id))


def _expired_text(custom_id: str) -> str:
    card = CARD_ID.match(custom_id)
    if card is not None and card["card"] in HINTS:
        return _(HINTS[card["card"]])
    feature = FEATURE_ID.match(custom_id)
    if feature is not None and card is None:
        known = FEATURE_NAMES.get(feature["feature"])
        name = _(known) if known is not None else feature["feature"]
        # Translators: {feature} is the name of one of the bot's features, e.g. "quiz" or "check-in".
        return _(
            "The {feature} feature isn't running on this bot at the moment, so this button can't do anything. "
            "Ask whoever runs the bot, or use `/help` to see what is available."
        ).format(feature=name)
    return _(GENERIC)


def typed_text(data: Any) -> list[str]:
    """Every non-empty value a member typed into a submitted form."""
    values: list[str] = []
    for row in (data or {}).get("components", []):
        for part in [row.get("component", row), *row.get("components", [])]:
            value = part.get("value")
            if isinstance(value, str) and value.strip() and value not in values:
                values.append(value)
    return values


async def answer_expired(interaction: discord.Interaction) -> None:
    """Reply ephemerally that the control expired; give a submitted form's text back so nothing is lost."""
    data: dict[str, Any] = dict(interaction.data or {})
    text = expired_text(str(data.get("custom_id", "")))
    no_pings = discord.AllowedMentions.none()
    if interaction.type is not discord.InteractionType.modal_submit:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=no_pings)
        return
    typed = "\n\n".join(typed_text(data))
    if not typed:
        # Translators: {hint} is a sentence or two saying what expired and what to run instead.
        note = _("{hint} Nothing was saved.").format(hint=text)
        await interaction.response.send_message(note, ephemeral=True, allowed_mentions=no_pings)
        return
    # Translators: {hint} is a sentence or two saying what expired and what to run instead.
    note = _("{hint} Nothing was saved, so here is what you wrote, to paste into a fresh form:").format(hint=text)
    fenced = typed.replace("```", "`\u200b``")
    if len(note) + len(fenced) + 8 <= ECHO_LIMIT:
        await interaction.response.send_message(
            f"{note}\n```\n{fenced}\n```", ephemeral=True, allowed_mentions=no_pings
        )
        return
    # Translators: the name of the file that gives a member their typed text back; keep it one word with ".txt".
    filename = pgettext("file name", "your-text.txt")
    await interaction.response.send_message(
        note, file=discord.File(io.BytesIO(typed.encode()), filename=filename), ephemeral=True
    )
