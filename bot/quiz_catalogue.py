"""The items a server can draw on: the bundled bank plus its own, minus those it switched off."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.content.banks import ENGLISH, QuizItem, quiz_item_from
from bot.content.localise import content_language, quiz_items_in, shown_in
from bot.db.repositories import Repositories
from bot.languages import group_locale


@dataclass(frozen=True)
class Catalogue:
    """Every item a server knows, and which of them may be chosen for new quizzes."""

    items: dict[str, QuizItem]
    disabled: frozenset[str]
    custom: frozenset[str]
    paused: frozenset[str] = frozenset()

    def get(self, item_id: str) -> QuizItem | None:
        """Return an item by id, even if it is switched off (old quizzes still show it)."""
        return self.items.get(item_id)

    def element_of(self, item_id: str) -> str | None:
        """Return an item's element, if the item is known."""
        item = self.items.get(item_id)
        return None if item is None else item.element

    def selectable(self, element: str | None = None) -> list[QuizItem]:
        """Return the items that may be used, optionally only one element's."""
        return [
            item
            for item in self.items.values()
            if item.id not in self.disabled
            and item.id not in self.paused
            and (element is None or item.element == element)
        ]


async def load_catalogue(repos: Repositories, guild_id: int, locale: str | None = None) -> Catalogue:
    """Build a server's catalogue from the bundled bank and its stored items, its texts in `locale`'s language.

    An item with no translation keeps its own text and is tagged with its language where shown; ids, and so
    history, review schedules and statistics, are the same in every language. No locale means English.
    """
    language = content_language(locale)
    items = dict(quiz_items_in(language))
    custom = await repos.quiz_bank.custom_items(guild_id)
    for c in custom:
        # An import declares its language at its top (kept in the stored table); none means English.
        own = quiz_item_from(c.table, c.element, c.table.get("locale", ENGLISH))
        items[c.item_id] = shown_in(own, {}, language)
    return Catalogue(
        items,
        frozenset(await repos.quiz_bank.disabled(guild_id)),
        frozenset(c.item_id for c in custom),
        frozenset(await repos.quiz_reports.paused(guild_id)),
    )


async def group_catalogue(repos: Repositories, guild_id: int, guild: discord.Guild | None) -> Catalogue:
    """The server's catalogue in its group's language: for group posts and what members open from them."""
    return await load_catalogue(repos, guild_id, await group_locale(repos, guild_id, guild))
