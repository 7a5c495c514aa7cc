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
from bot.i18n import _

# What a late click on each kind of card should be told, in English (marked with N_ where declared, translated
# when shown); filled in by GuardedView/GuardedModal subclasses.
HINTS: dict[str, str] = {}
CARD_ID = re.compile(r"sv:v:(?P<card>[a-z-]+):")
FEATURE_ID = re.compile(r"sv:(?P<feature>[a-z]+):")
FEATURE_NAMES = {"quiz": "quiz", "reflect": "reflection", "checkin": "check-in", "privacy": "privacy"}
# Longer echoed text goes back as a file: an ephemeral message holds 2,000 characters.
ECHO_LIMIT = 1800

GENERIC = (
    "This control has expired. Cards shown only to you last 15 minutes, and end when the bot restarts. "
    "Run the command again for a fresh one."
)


def expired_text(custom_id: str) -> str:
    """What to tell the member who used an expired control with this custom id."""
    card = CARD_ID.match(custom_id)
    if card is not None and card["card"] in HINTS:
        return shown_commands(_(HINTS[card["card"]]))
    feature = FEATURE_ID.match(custom_id)
    if feature is not None and card is None:
        name = FEATURE_NAMES.get(feature["feature"], feature["feature"])
        return f"The {name} feature isn't running on this bot at the moment, so this button can't do anything. " + (
            "Ask whoever runs the bot, or use `/help` to see what is available."
        )
    return GENERIC


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
        await interaction.response.send_message(f"{text} Nothing was saved.", ephemeral=True, allowed_mentions=no_pings)
        return
    note = f"{text} Nothing was saved, so here is what you wrote, to paste into a fresh form:"
    fenced = typed.replace("```", "`\u200b``")
    if len(note) + len(fenced) + 8 <= ECHO_LIMIT:
        await interaction.response.send_message(
            f"{note}\n```\n{fenced}\n```", ephemeral=True, allowed_mentions=no_pings
        )
        return
    await interaction.response.send_message(
        note, file=discord.File(io.BytesIO(typed.encode()), filename="your-text.txt"), ephemeral=True
    )
