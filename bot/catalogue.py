"""The message catalogue's maintenance: extract, update, compile, and take in translations.

    python -m bot.catalogue extract       # bot/locales/messages.pot from the code and the command tree
    python -m bot.catalogue init de       # start a language's catalogue
    python -m bot.catalogue update        # merge the template into every language's messages.po
    python -m bot.catalogue compile       # messages.po -> messages.mo, for every language
    python -m bot.catalogue part OUT --locale de --under cogs/quiz   # one share of the messages, to translate
    python -m bot.catalogue absorb FILE --locale de   # copy translations from another .po into a language

`pybabel extract -F babel.cfg`, `pybabel update` and `pybabel compile` do the same for strings in the code;
this module adds the slash commands' names, descriptions, options and choices, which discord.py holds as
plain strings in decorators and asks the tree's translator for at sync. It reads them from the command
tree itself, each under its own gettext context (see bot/command_translator.py), placed at the line of the
command's callback so a translator can find it.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from discord import app_commands

from bot.client import SupervisionBot
from bot.command_translator import CONTEXTS
from bot.config import BotConfig, Config, StorageConfig
from bot.i18n import DOMAIN, LOCALES_DIR

ROOT = LOCALES_DIR.parent.parent
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
SOURCES = ("bot", "cogs")
ALL_COGS = ("about", "admin", "quiz", "checkin", "reflect", "meeting")
CommandString = tuple[str, str, str, int]  # context, message, file, line

# Only a comment that starts so reaches the translator (e.g. `# Translators: {n} is a number of weeks`).
COMMENT_TAGS = ("Translators:",)


def _code_strings() -> Iterator[tuple[str, int, str | tuple[str, ...], list[str], str | None]]:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / source, method_map, options_map, keywords=DEFAULT_KEYWORDS, comment_tags=COMMENT_TAGS
        ):
            yield f"{source}/{filename}", lineno, message, comments, context


def _where(command: app_commands.Command | app_commands.Group) -> tuple[str, int]:
    # A group is placed at its first subcommand: where its cog, and so its translator's context, is.
    while isinstance(command, app_commands.Group) and command.commands:
        command = command.commands[0]
    if not isinstance(command, app_commands.Command):
        return "commands", 0
    target = command.callback
    try:
        file = Path(inspect.getsourcefile(target) or "").resolve().relative_to(ROOT)
        line = inspect.getsourcelines(target)[1]
    except (TypeError, ValueError, OSError):
        return "commands", 0
    return file.as_posix(), line


def command_strings(tree: app_commands.CommandTree) -> list[CommandString]:
    """Every translatable string of a command tree, with its gettext context and where it is defined."""
    loc = app_commands.TranslationContextLocation
    out: list[CommandString] = []
    for command in tree.walk_commands():
        file, line = _where(command)
        if isinstance(command, app_commands.Group):
            out.append((CONTEXTS[loc.group_name], command.name, file, line))
            out.append((CONTEXTS[loc.group_description], command.description, file, line))
            continue
        out.append((CONTEXTS[loc.command_name], command.name, file, line))
        out.append((CONTEXTS[loc.command_description], command.description, file, line))
        for param in command.parameters:
            out.append((CONTEXTS[loc.parameter_name], param.display_name, file, line))
            out.append((CONTEXTS[loc.parameter_description], param.description, file, line))
            out += [(CONTEXTS[loc.choice_name], choice.name, file, line) for choice in param.choices]
    return out


async def load_tree() -> app_commands.CommandTree:
    """The command tree of a bot with every feature, loaded without Discord."""
    # A bot with every feature, on a throwaway database, set up as far as loading its cogs (no Discord).
    with tempfile.TemporaryDirectory() as folder:
        config = Config(
            path=str(Path(folder) / "config.toml"),
            storage=StorageConfig(database=str(Path(folder) / "catalogue.sqlite3")),
            bot=BotConfig(cogs=ALL_COGS),
        )
        bot = SupervisionBot(config, sync_only=True)
        try:
            await bot.setup_hook()
            return bot.tree
        finally:
            if bot.db is not None:
                await bot.db.close()


def template() -> Catalog:
    """The catalogue template: every string in the code and every command string."""
    catalog = Catalog(
        project="supervision-bot",
        version="0.1",
        copyright_holder="the supervision-bot contributors",
        msgid_bugs_address="https://github.com/supervision-bot/supervision-bot/issues",
        domain=DOMAIN,
        charset="utf-8",
        fuzzy=False,
    )
    for filename, lineno, message, comments, context in _code_strings():
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for context, message, file, line in command_strings(asyncio.run(load_tree())):
        catalog.add(message, None, [(file, line)], context=context)
    return catalog


def po_path(locale: str) -> Path:
    """A language's catalogue source (`de` -> bot/locales/de/LC_MESSAGES/messages.po)."""
    return LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    """The languages with a catalogue."""
    return sorted(p.name for p in LOCALES_DIR.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file())


def read(path: Path, locale: str | None = None) -> Catalog:
    """Read a .po or .pot file."""
    with path.open("rb") as f:
        return read_po(f, locale=locale, domain=DOMAIN)


def write(catalog: Catalog, path: Path) -> None:
    """Write a .po or .pot file, sorted by message so that unrelated changes never reorder it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=100, sort_output=True, omit_header=False, include_previous=False)


def extract() -> None:
    write(template(), TEMPLATE)


def init(locale: str) -> None:
    """Start a language's catalogue from the template."""
    catalog = read(TEMPLATE, locale)
    catalog.locale = locale  # Babel parses the code into its Locale
    catalog.fuzzy = False
    write(catalog, po_path(locale))


def update() -> None:
    pot = read(TEMPLATE)
    for locale in languages():
        catalog = read(po_path(locale), locale)
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()  # a removed string's old translation is in git history, not in the file
        write(catalog, po_path(locale))


def compile_all() -> None:
    for locale in languages():
        catalog = read(po_path(locale), locale)
        with po_path(locale).with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)


def part(prefixes: list[str], locale: str, out: Path) -> int:
    """Write the messages found under some source folders to a .po of their own, for one translator's share.

    Translations already in `out` are kept, then those in the language's catalogue; return how many
    messages the part holds.
    """
    catalog = read(po_path(locale), locale)
    earlier = read(out, locale) if out.is_file() else None
    share = Catalog(locale=locale, domain=DOMAIN, charset="utf-8", fuzzy=False)
    for message in catalog:
        if not message.id or not any(f.startswith(tuple(prefixes)) for f, _ in message.locations):
            continue
        kept = earlier.get(message.id, message.context) if earlier is not None else None
        share.add(
            message.id,
            kept.string if kept is not None and kept.string else message.string,
            message.locations,
            auto_comments=message.auto_comments,
            context=message.context,
        )
    write(share, out)
    return len(share)


def absorb(source: Path, locale: str) -> int:
    """Copy the translations in `source` into a language's catalogue, for messages it has; return how many."""
    incoming = read(source, locale)
    catalog = read(po_path(locale), locale)
    copied = 0
    for message in incoming:
        if not message.id or not message.string:
            continue
        target = catalog.get(message.id, message.context)
        if target is not None:
            target.string = message.string
            target.flags.discard("fuzzy")
            copied += 1
    write(catalog, po_path(locale))
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.catalogue", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    sub.add_parser("extract", help="write bot/locales/messages.pot")
    init_parser = sub.add_parser("init", help="start a language's messages.po from the template")
    init_parser.add_argument("locale")
    sub.add_parser("update", help="merge the template into every messages.po")
    sub.add_parser("compile", help="compile every messages.po to messages.mo")
    part_parser = sub.add_parser("part", help="write the messages under some folders to a .po of their own")
    part_parser.add_argument("out", type=Path)
    part_parser.add_argument("--locale", required=True)
    part_parser.add_argument("--under", action="append", required=True, help="a source folder or file, e.g. cogs/quiz")
    absorb_parser = sub.add_parser("absorb", help="copy translations from another .po file")
    absorb_parser.add_argument("file", type=Path)
    absorb_parser.add_argument("--locale", required=True)
    args = parser.parse_args(argv)
    if args.step == "extract":
        extract()
    elif args.step == "init":
        init(args.locale)
    elif args.step == "update":
        update()
    elif args.step == "compile":
        compile_all()
    elif args.step == "part":
        print(f"{part(args.under, args.locale, args.out)} messages in {args.out}")
    else:
        if not po_path(args.locale).is_file():
            print(f"{po_path(args.locale)}: no catalogue for locale {args.locale!r}", file=sys.stderr)
            return 2
        print(f"{absorb(args.file, args.locale)} translations copied")
    return 0


if __name__ == "__main__":
    sys.exit(main())
