"""The items a server can draw on: the bundled bank plus its own, minus those it switched off."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.banks import QuizItem, quiz_bank, quiz_item_from
from bot.db.repositories import Repositories


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


async def load_catalogue(repos: Repositories, guild_id: int) -> Catalogue:
    """Build a server's catalogue from the bundled bank and its stored items."""
    items = {item.id: item for item in quiz_bank()}
    custom = await repos.quiz_bank.custom_items(guild_id)
    for c in custom:
        items[c.item_id] = quiz_item_from(c.table, c.element)
    return Catalogue(
        items,
        frozenset(await repos.quiz_bank.disabled(guild_id)),
        frozenset(c.item_id for c in custom),
        frozenset(await repos.quiz_reports.paused(guild_id)),
    )
