"""Content in the group's language: each item's translation where there is one, else its own text, tagged.

Which language: the group's (`bot.languages.group_locale`), for group posts and for what a member opens from
them alike, so an item reads the same in the channel's results, its thread and a member's private flow. The
reader's own locale still speaks the buttons and headings around it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cache
from typing import TypeVar

from bot.content.banks import QuizItem, ReflectionPrompt, prompt_bank, prompt_translations, quiz_bank, quiz_translations
from bot.i18n import N_, SOURCE, _, catalogue_name

Shown = TypeVar("Shown", QuizItem, ReflectionPrompt)

# The tag on an item shown in another language than the group's, said in the reader's language.
_TAGS = {
    # Translators: after the title of a quiz question or prompt the group's language has no translation of.
    "en": N_("(English)"),
    # Translators: after the title of a group's own quiz question, imported in German, in a group of another language.
    "de": N_("(German)"),
    # Translators: after the title of a group's own quiz question, imported in French, in a group of another language.
    "fr": N_("(French)"),
}


def content_language(locale: str | None) -> str:
    """The content language for a Discord locale: its bank folder's name ("de" for "de", "en" for "en-GB")."""
    return catalogue_name(locale or SOURCE)


def shown_in(item: Shown, translations: Mapping[str, Shown], language: str) -> Shown:
    """An item as a group reading `language` sees it: translated if it can be, else as written, tagged."""
    translated = translations.get(item.id)
    if translated is not None:
        return translated
    if item.language == language:
        return item
    return dataclasses.replace(item, tagged=True)


@cache
def quiz_items_in(language: str) -> Mapping[str, QuizItem]:
    """The bundled quiz items by id, as a group reading `language` sees them."""
    translations = quiz_translations(language)
    return {item.id: shown_in(item, translations, language) for item in quiz_bank()}


@cache
def prompts_in(language: str) -> tuple[ReflectionPrompt, ...]:
    """The bundled prompts, as a group reading `language` sees them."""
    translations = prompt_translations(language)
    return tuple(shown_in(prompt, translations, language) for prompt in prompt_bank())


def language_tag(item: QuizItem | ReflectionPrompt) -> str | None:
    """ "(English)", in the reader's language, for an item shown in another language than the group's."""
    if not item.tagged:
        return None
    tag = _TAGS.get(item.language)
    return _(tag) if tag is not None else f"({item.language})"


def tagged_title(title: str, item: QuizItem | ReflectionPrompt) -> str:
    """A card's title, with the item's language named after it when the group reads another."""
    tag = language_tag(item)
    return title if tag is None else f"{title} · {tag}"
