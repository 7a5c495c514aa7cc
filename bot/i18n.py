"""Every user-facing string, in the language of whoever reads it.

One gettext catalogue (`bot/locales/<language>/LC_MESSAGES/messages.po`, compiled to `.mo` by Babel's tools)
per language, read by the standard library's gettext; dates, numbers, lists and weekday names come from Babel.
The language is a context variable, so the code that builds a reply never passes it around:

- an interaction's handler speaks the member's Discord locale (set by `interaction_locale` below, for every
  command, click, form and autocomplete the process receives);
- a scheduled post speaks the group's language (`speaking(group_locale)` around the fire);
- a DM speaks the member's last-seen locale, else the group's (`speaking(...)` around each DM).

A string missing from a catalogue falls back to its English source, string by string. Log lines stay
English: never wrap them.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import date
from gettext import GNUTranslations, NullTranslations
from pathlib import Path
from typing import TYPE_CHECKING, Literal

# Babel is imported where it is first used, not here: it is 2 MiB and a twentieth of a second that a bot starting
# with thousands of servers need not spend before it serves (bench section 4); the first date or number it
# formats loads it.
if TYPE_CHECKING:
    from babel import Locale

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"

# The source language, as Discord names it. Strings in the code are English.
SOURCE = "en-US"

# The languages a group can choose in /setup, by Discord locale code, each named in itself. English is the
# source; the others have a catalogue under bot/locales/ (named by the language part of the code).
LANGUAGES: dict[str, str] = {
    "en-US": "English",
    "de": "Deutsch",
    "fr": "Français",
}

_current: ContextVar[str] = ContextVar("locale", default=SOURCE)


def catalogue_name(locale: str) -> str:
    """The catalogue directory for a Discord locale ("de" for "de", "fr" for "fr", "es" for "es-ES")."""
    return locale.replace("-", "_").split("_")[0]


@functools.cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalogue for a Discord locale; an empty one (English throughout) if there is none."""
    name = catalogue_name(locale)
    if name == "en":
        return NullTranslations()
    # Read here rather than through gettext.translation(), which keeps every file it read for the process's life:
    # a catalogue compiled again (a test, an operator's fix) must be read again once this cache is cleared.
    path = gettext.find(DOMAIN, LOCALES_DIR, [name])
    if path is None:
        return NullTranslations()
    with open(path, "rb") as catalogue:
        return GNUTranslations(catalogue)


def catalogues_digest() -> str:
    """A hash of every compiled catalogue, without reading one in: it changes when any translation does."""
    digest = hashlib.sha256()
    for name in sorted({catalogue_name(code) for code in LANGUAGES} - {"en"}):
        path = LOCALES_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if path.is_file():
            digest.update(f"{name}:{path.stat().st_size}:".encode() + path.read_bytes())
    return digest.hexdigest()


def known(locale: str | None) -> bool:
    """Whether the bot speaks this Discord locale (itself, or its language)."""
    if not locale:
        return False
    name = catalogue_name(locale)
    return name == "en" or (LOCALES_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()


def current() -> str:
    """The Discord locale the current task speaks."""
    return _current.get()


def enter(locale: str | None) -> Token[str]:
    """Speak `locale` in this task (and the tasks it starts) until `leave`; unknown or empty means English."""
    return _current.set(locale or SOURCE)


def leave(token: Token[str]) -> None:
    """Go back to the language spoken before the matching `enter`."""
    _current.reset(token)


@contextmanager
def speaking(locale: str | None) -> Iterator[None]:
    """Speak `locale` for the duration of a block (a group post, one member's DM)."""
    token = enter(locale)
    try:
        yield
    finally:
        leave(token)


# A command named in running text, in backticks: "`/quiz take`", "`/setup supervisor_role:`", "`journal_dm:True`".
_NAMED_COMMAND = re.compile(r"`(/[^`\n]+|[a-z_]+:[^`\s]*)`")


def _shown(span: str, catalogue: NullTranslations) -> str:
    # "/schedule set kind:Meeting attendance": command words, then options, each `name:` followed by a value that
    # runs to the next option (a choice's name may hold spaces, and is translated as the choice it is).
    head, *options = re.split(r" (?=[a-z_]+:)", span)
    if ":" in head:
        head, options = "", [head, *options]
    words = []
    for word in head.split(" ") if head else []:
        bare = word.removeprefix("/")
        words.append(word[: len(word) - len(bare)] + str(catalogue.pgettext("command name", bare)) if bare else word)
    for option in options:
        name, _colon, value = option.partition(":")
        shown = str(catalogue.pgettext("choice name", value)) if value else value
        words.append(f"{catalogue.pgettext('option name', name)}:{shown}")
    return " ".join(words)


def with_command_names(text: str, locale: str | None = None) -> str:
    """Text with each command it names in backticks as the reader's Discord shows it.

    Messages name commands by their English names ("`/quiz take`", "`/setup timezone:`"), in the catalogue too,
    so a translator never needs another translator's command names; every translation swaps in the names the
    reader's Discord client shows ("`/quiz teilnehmen`" if that is the German name of "take"). Names a
    translation already gives in its own language have no entry of their own and are left as they are.
    """
    locale = locale or current()
    if "`" not in text or catalogue_name(locale) == "en":
        return text
    catalogue = translations(locale)
    return _NAMED_COMMAND.sub(lambda match: f"`{_shown(match[1], catalogue)}`", text)


def _(message: str) -> str:
    """The current language's translation of `message`, or `message` itself."""
    return with_command_names(translations(current()).gettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    """The right plural form for `n` in the current language ("1 check-in", "2 check-ins")."""
    return with_command_names(translations(current()).ngettext(singular, plural, n))


def pgettext(context: str, message: str) -> str:
    """A translation chosen by context, for short words that mean different things in different places."""
    return with_command_names(str(translations(current()).pgettext(context, message)))


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it yet (a constant translated where it is shown)."""
    return message


def in_language(locale: str | None, message: str) -> str:
    """`message` translated into a named language, whatever the current one."""
    return with_command_names(translations(locale or SOURCE).gettext(message), locale or SOURCE)


# Formatting through Babel, in the current language.


def babel_locale(locale: str | None = None) -> Locale:
    """Babel's locale for a Discord locale code; English if Babel does not know it or the bot does not speak it.

    Numbers and dates follow the language of the words around them: a member whose client is in Japanese reads
    English text, so "Dec 2, 2026" rather than "2026/12/02" inside it. English variants keep their own forms.
    """
    from babel import Locale, UnknownLocaleError

    code = locale or current()
    if catalogue_name(code) != "en" and not isinstance(translations(code), GNUTranslations):
        code = SOURCE
    try:
        return Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale("en", "US")


def number(value: float, digits: int = 0, *, pattern: str | None = None) -> str:
    """A number with `digits` decimals ("3.5" in English, "3,5" in German), or in a CLDR `pattern` ("+0.00")."""
    from babel.numbers import format_decimal

    pattern = pattern or "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=babel_locale())


def percent(ratio: float) -> str:
    """A ratio as a whole percentage ("75%" in English, "75 %" in German)."""
    from babel.numbers import format_percent

    return format_percent(ratio, locale=babel_locale())


def day(value: date, form: str = "medium") -> str:
    """A calendar date ("2 Dec 2026" in English, "02.12.2026" in German)."""
    from babel.dates import format_date

    return format_date(value, format=form, locale=babel_locale())


def day_and_month(value: date) -> str:
    """A date without its year, as short as the language writes it ("2 Dec", "2. Dez.")."""
    from babel.dates import format_skeleton

    return format_skeleton("dMMM", value, locale=babel_locale())


def weekday_names(width: Literal["wide", "abbreviated", "short"] = "wide") -> Mapping[int, str]:
    """The weekdays (Monday = 0) named in the current language: "Mittwoch"; "Mi." abbreviated."""
    from babel.dates import get_day_names

    return get_day_names(width, locale=babel_locale())


def language_name(locale: str) -> str | None:
    """A language as Babel names it in itself ("Deutsch" for "de"), or None if Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale, sep="-").get_display_name()
    except (UnknownLocaleError, ValueError):
        return None


def listing(items: Iterable[str]) -> str:
    """Items joined as a sentence would ("a, b and c"; "a, b und c")."""
    from babel.lists import format_list

    return format_list(list(items), locale=babel_locale())
