"""A copy of the message catalogues that the bot reads instead of its own, for tests that change a translation.

Not a stub: the loader (`bot.i18n.translations`) reads the copied `.mo` files exactly as it reads the shipped
ones; only the folder it looks in moves. Use as a context manager:

    with catalogue_copy(tmp_path) as folder:
        edit_catalogue(folder, "de", lambda catalog: catalog.delete("Some msgid"))
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot import i18n


@contextlib.contextmanager
def catalogue_copy(tmp_path: Path) -> Iterator[Path]:
    """Copy bot/locales into tmp_path and point the loader at the copy for the duration."""
    shipped = i18n.LOCALES_DIR
    folder = tmp_path / "locales"
    shutil.copytree(shipped, folder)
    i18n.LOCALES_DIR = folder
    i18n.translations.cache_clear()  # catalogues already loaded from the shipped folder must be read again
    try:
        yield folder
    finally:
        i18n.LOCALES_DIR = shipped
        i18n.translations.cache_clear()


def edit_catalogue(folder: Path, locale: str, change: Callable[[Catalog], None]) -> None:
    """Change a language's messages.po in a copied folder, compile it, and make the loader read it anew."""
    po = folder / locale / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with po.open("rb") as f:
        catalog = read_po(f, locale=locale, domain=i18n.DOMAIN)
    change(catalog)
    with po.open("wb") as f:
        write_po(f, catalog)
    with po.with_suffix(".mo").open("wb") as f:
        write_mo(f, catalog)
    i18n.translations.cache_clear()


def set_translation(msgid: str, translation: str, context: str | None = None) -> Callable[[Catalog], None]:
    """An edit that gives one message a translation (adding the message if the catalogue lacks it)."""

    def change(catalog: Catalog) -> None:
        message = catalog.get(msgid, context)
        if message is None:
            catalog.add(msgid, translation, context=context)
        else:
            message.string = translation
            message.flags.discard("fuzzy")

    return change


def remove_message(msgid: str, context: str | None = None) -> Callable[[Catalog], None]:
    """An edit that takes one message out of the catalogue, as if it had never been translated."""

    def change(catalog: Catalog) -> None:
        assert catalog.get(msgid, context) is not None, f"{msgid!r} is not in the catalogue"
        catalog.delete(msgid, context)

    return change
