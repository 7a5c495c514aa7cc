"""Whose language: the member's for replies, the group's for its posts, the member's last seen for DMs."""

from __future__ import annotations

import discord
from discord import app_commands

from bot import i18n
from bot.db.repositories import Repositories


async def group_locale(repos: Repositories, guild_id: int, guild: discord.Guild | None) -> str:
    """The group's language: the one chosen in /setup, else the server's preferred locale, else English."""
    chosen = (await repos.settings.get(guild_id)).locale
    if chosen:
        return chosen
    preferred = guild.preferred_locale.value if guild is not None else None
    return preferred if preferred and i18n.known(preferred) else i18n.SOURCE


async def dm_locale(repos: Repositories, guild_id: int, user_id: int, group: str) -> str:
    """A DM's language: the member's Discord locale as last seen in the server, else the group's."""
    return await repos.member_locales.get(guild_id, user_id) or group


def is_anonymous(interaction: discord.Interaction) -> bool:
    """Whether the interaction is a command of an anonymous flow (marked `extras={"anonymous": True}`)."""
    command = interaction.command
    node: app_commands.Command | app_commands.Group | None = (
        command if isinstance(command, app_commands.Command) else None
    )
    while node is not None:
        if node.extras.get("anonymous"):
            return True
        node = node.parent
    return False


async def remember_member_locale(repos: Repositories, interaction: discord.Interaction) -> None:
    """Keep the locale of a member's slash command in a server, for the DMs that server's features send them.

    Never from an anonymous flow: a locale row written as a check-in arrives would tie the two together for
    someone copying the database before and after.
    """
    if interaction.type is not discord.InteractionType.application_command or interaction.guild_id is None:
        return
    if is_anonymous(interaction):
        return
    await repos.member_locales.remember(interaction.guild_id, interaction.user.id, interaction.locale.value)


def speak_in_member_locale(state: object) -> None:
    """Make each interaction's handlers speak the locale its member's Discord client sends.

    discord.py starts every handler of an interaction (command, click, form, autocomplete, listener) as a
    task inside its INTERACTION_CREATE parser, and a task copies the context it starts in; setting the
    language around the parser sets it for all of them and for nothing else.
    """
    parsers: dict[str, object] = getattr(state, "parsers")  # noqa: B009 (discord.py's parser table, by name)
    parse = parsers["INTERACTION_CREATE"]
    if getattr(parse, "speaks_member_locale", False):
        return

    def parse_in_member_locale(data: dict[str, object]) -> None:
        locale = data.get("locale")
        token = i18n.enter(locale if isinstance(locale, str) else None)
        try:
            parse(data)  # type: ignore[operator]
        finally:
            i18n.leave(token)

    parse_in_member_locale.speaks_member_locale = True  # type: ignore[attr-defined]
    parsers["INTERACTION_CREATE"] = parse_in_member_locale
