"""How check-ins look to the group: embeds that show the weekday at most, never a time or a name."""

from __future__ import annotations

import discord

from bot.command_translator import shown_commands
from bot.db.repositories.checkins import CheckIn
from bot.i18n import _, ngettext
from bot.text_hygiene import neutralise_mentions
from cogs.checkin.content_warning import warned_text
from cogs.checkin.logic import dimension_label, weekday_label


def intensity_bar(intensity: int) -> str:
    """Render 1-5 as filled and empty dots."""
    return "●" * intensity + "○" * (5 - intensity) + f" ({intensity}/5)"


def checkin_embed(checkin: CheckIn, number: int | None = None) -> discord.Embed:
    """One check-in as the group sees it: the weekday at most, never a time or a name."""
    embed = discord.Embed(
        title=_("Check-in · {weekday}").format(weekday=weekday_label(checkin.day)), colour=discord.Colour.dark_teal()
    )
    noticed = ", ".join(dimension_label(d) for d in checkin.dimensions)
    embed.add_field(name=_("Noticed"), value=noticed[:1024], inline=False)
    embed.add_field(name=_("Intensity"), value=intensity_bar(checkin.intensity))
    if checkin.raise_it:
        embed.add_field(name=_("Meeting"), value=_("Asked for this to be raised"))
    if checkin.share_text and checkin.body:
        if checkin.content_warning:
            embed.description = warned_text(checkin.content_warning, checkin.body)
        else:
            embed.description = neutralise_mentions(checkin.body)
    if number is not None:
        embed.set_footer(text=f"#{number}")
    return embed


def digest_header(total: int) -> discord.Embed:
    """The embed that opens a digest: how many, in what order, and what the bot keeps."""
    count = ngettext(
        "{total} check-in since the last digest, in random order.",
        "{total} check-ins since the last digest, in random order.",
        total,
    ).format(total=total)
    about = shown_commands(
        _(
            "The bot stores check-ins without names or times of day, so the supervisor and whoever runs the bot "
            "cannot look up who wrote which. Please don't guess. What the bot protects, and what it can't: "
            "`/privacy info`.\n\n"
            "Supervisors can reply privately to any check-in with its buttons; its author reads the reply with "
            "`/checkin replies` and the code they were given. Words marked **CW** are hidden: click to show them."
        )
    )
    return discord.Embed(
        title=_("🫧 Anonymous check-ins"), description=f"{count} {about}", colour=discord.Colour.dark_teal()
    )
