"""Localised slash commands: names, descriptions and choices from the message catalogue.

discord.py asks the tree's translator for every command, group, option and choice string in each Discord
locale when it builds the payload it syncs. Each kind of string has its own gettext context, so a command
named "status" and a reply saying "status" are translated separately, and a translator sees what the word
is for.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.i18n import LANGUAGES, SOURCE, catalogue_name, translations, with_command_names

# The gettext context of each place a command string appears (msgctxt in the catalogue).
CONTEXTS: dict[app_commands.TranslationContextLocation, str] = {
    app_commands.TranslationContextLocation.command_name: "command name",
    app_commands.TranslationContextLocation.command_description: "command description",
    app_commands.TranslationContextLocation.group_name: "command name",
    app_commands.TranslationContextLocation.group_description: "command description",
    app_commands.TranslationContextLocation.parameter_name: "option name",
    app_commands.TranslationContextLocation.parameter_description: "option description",
    app_commands.TranslationContextLocation.choice_name: "choice name",
}

# The catalogues there are. discord.py asks about all thirty-odd Discord locales at every start, to build
# the payload whose hash says whether to sync; the rest are answered without a lookup.
TRANSLATED = {catalogue_name(code) for code in LANGUAGES} - {catalogue_name(SOURCE)}


def translate_command_string(
    message: str, location: app_commands.TranslationContextLocation, locale: str
) -> str | None:
    """The catalogue's translation of one command string into a Discord locale, or None if it has none."""
    context = CONTEXTS.get(location)
    if context is None or catalogue_name(locale) not in TRANSLATED:
        return None
    translated = str(translations(locale).pgettext(context, message))
    return translated if translated != message else None


class CatalogueTranslator(app_commands.Translator):
    """The command tree's translator: every locale with a catalogue gets its names and descriptions."""

    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        return translate_command_string(string.message, context.location, locale.value)


def shown_commands(text: str) -> str:
    """Text with each command it names in backticks as the reader's Discord shows it (see i18n.with_command_names).

    Every translation already does this; text built from pieces outside the catalogue goes through it here.
    """
    return with_command_names(text)
