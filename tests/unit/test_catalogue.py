"""The message catalogue: compiled files in step with their sources, the template in step with the code, German
complete with every placeholder kept, and the slash commands' translations valid by Discord's rules.

Each check is a function that lists what is wrong; the tests run it on the shipped catalogue, and on a broken
copy to show that it notices.
"""

from __future__ import annotations

import asyncio
import io
import re
import string
from collections.abc import Iterable
from pathlib import Path

import discord
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo
from discord import app_commands

from bot import catalogue, i18n
from bot.command_sync import tree_hash, tree_payload
from bot.command_translator import CONTEXTS, translate_command_string
from bot.i18n import translations, with_command_names
from tests.support.catalogues import catalogue_copy, edit_catalogue, remove_message, set_translation

LANGUAGES = catalogue.languages()
# Discord's rules for a localised command or option name (the issue's, stricter than Discord's own regex).
COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")
NAMES = {"command name", "option name"}
DESCRIPTIONS = {"command description", "option description"}
Key = tuple[str | None, str | tuple[str, ...]]


def _key(message: Message) -> Key:
    return message.context, message.id if isinstance(message.id, str) else tuple(message.id)


def _messages(catalog: Catalog) -> dict[Key, object]:
    return {_key(m): m.string for m in catalog if m.id}


# --- the checks ------------------------------------------------------------------------------------------------


def mo_drift(po: Path, mo: Path, locale: str) -> list[str]:
    """Messages whose compiled translation differs from what the .po compiles to now."""
    compiled = io.BytesIO()
    write_mo(compiled, catalogue.read(po, locale), use_fuzzy=False)
    compiled.seek(0)
    expected = _messages(read_mo(compiled))
    with mo.open("rb") as f:
        actual = _messages(read_mo(f))
    keys = sorted(set(expected) | set(actual), key=str)
    return [
        f"{k}: .mo has {actual.get(k)!r}, .po says {expected.get(k)!r}"
        for k in keys
        if expected.get(k) != actual.get(k)
    ]


def key_drift(have: Iterable[Key], want: Iterable[Key]) -> list[str]:
    """Messages one side has and the other lacks."""
    have, want = set(have), set(want)
    return [f"missing {k}" for k in sorted(want - have, key=str)] + [f"stale {k}" for k in sorted(have - want, key=str)]


def untranslated(catalog: Catalog) -> list[Key]:
    """Messages with no translation (or only some plural forms, or only a fuzzy guess): these show in English."""
    gaps = []
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(forms):
            gaps.append(_key(message))
    return gaps


def placeholders(text: str) -> set[str]:
    """The `{names}` a str.format call fills in; raises ValueError on a brace that format() would refuse."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def placeholder_errors(catalog: Catalog) -> list[str]:
    """Translations whose placeholders differ from the msgid's: format() would fail, or a value would vanish.

    A singular message's translation has exactly the msgid's. A plural message's forms may each leave out what
    only one English form has ("last month" / "last {n} months"), may add nothing the English lacks, and the
    last form, the one for most numbers, keeps every placeholder of the English plural.
    """
    errors = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        try:
            english = [placeholders(i) for i in ids]
        except ValueError:
            continue  # not a format string (never .format()ted): nothing to keep
        forms = list(message.string) if isinstance(message.string, tuple | list) else [message.string]
        allowed, required = set().union(*english), set.intersection(*english)
        for index, form in enumerate(forms):
            if not form:
                continue
            try:
                found = placeholders(form)
            except ValueError as error:
                errors.append(f"{ids[0]!r}: {form!r} is not a valid format string ({error})")
                continue
            needed = required | (english[-1] if len(ids) > 1 and index == len(forms) - 1 else set())
            if (len(ids) == 1 and found != allowed) or not needed <= found <= allowed:
                errors.append(f"{ids[0]!r}: {form!r} has {sorted(found)}, the msgid {sorted(allowed)}")
    return errors


def plural_gaps(catalog: Catalog) -> list[str]:
    """Plural messages with a form missing, when the language has two forms."""
    gaps = []
    for message in catalog:
        if message.id and message.pluralizable:
            forms = list(message.string) if isinstance(message.string, tuple | list) else [message.string]
            if any(forms) and (len(forms) != catalog.num_plurals or not all(forms)):
                gaps.append(f"{message.id[0]!r}: {forms}")
    return gaps


def command_string_problems(strings: Iterable[catalogue.CommandString], locale: str) -> list[str]:
    """Translated command strings that Discord would refuse: names, descriptions and choice names."""
    locations = {context: location for location, context in CONTEXTS.items()}
    problems = []
    for context, message, file, _ in strings:
        shown = translate_command_string(message, locations[context], locale)
        if shown is None:
            continue
        where = f"{locale} {context} {message!r} ({file})"
        if context in NAMES and (not COMMAND_NAME.match(shown) or shown != shown.lower()):
            problems.append(f"{where}: {shown!r} is not a valid name (lower case, 1-32, letters, digits, - and _)")
        elif context not in NAMES and not 1 <= len(shown) <= 100:
            problems.append(f"{where}: {len(shown)} characters, Discord allows 1 to 100")
    return problems


def duplicate_names(payload: list[dict], locales: Iterable[str]) -> list[str]:
    """Names shown in a locale (localised, else the default) that two siblings share: Discord refuses the sync."""
    problems = []

    def walk(siblings: list[dict], where: str) -> None:
        for locale in locales:
            seen: dict[str, str] = {}
            for item in siblings:
                shown = (item.get("name_localizations") or {}).get(locale, item["name"])
                if shown in seen:
                    problems.append(f"{locale}: {where}{item['name']} and {seen[shown]} are both shown as {shown!r}")
                seen[shown] = item["name"]
        for item in siblings:
            if item.get("type", 1) in (1, 2) and item.get("options"):
                walk(item["options"], f"{where}{item['name']} ")

    walk(payload, "/")
    return problems


# --- fixtures --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tree() -> app_commands.CommandTree:
    return asyncio.run(catalogue.load_tree())


# --- the shipped catalogue -------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LANGUAGES)
def test_each_compiled_catalogue_is_in_step_with_its_source(locale: str) -> None:
    po = catalogue.po_path(locale)
    assert not mo_drift(po, po.with_suffix(".mo"), locale), "run `python -m bot.catalogue compile`"


def test_the_template_is_in_step_with_the_code() -> None:
    drift = key_drift(_messages(catalogue.read(catalogue.TEMPLATE)), _messages(catalogue.template()))
    assert not drift, "run `python -m bot.catalogue extract && python -m bot.catalogue update`:\n" + "\n".join(drift)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_each_language_holds_the_templates_messages(locale: str) -> None:
    want = _messages(catalogue.read(catalogue.TEMPLATE))
    drift = key_drift(_messages(catalogue.read(catalogue.po_path(locale), locale)), want)
    assert not drift, "run `python -m bot.catalogue update`:\n" + "\n".join(drift)


def test_every_message_has_a_german_translation() -> None:
    gaps = untranslated(catalogue.read(catalogue.po_path("de"), "de"))
    listing = "\n".join(f"  {context or ''} {msgid!r}" for context, msgid in gaps[:40])
    assert not gaps, f"{len(gaps)} messages have no German translation, e.g.:\n{listing}"


@pytest.mark.parametrize("locale", LANGUAGES)
def test_translations_keep_every_placeholder(locale: str) -> None:
    errors = placeholder_errors(catalogue.read(catalogue.po_path(locale), locale))
    assert not errors, "\n".join(errors)


def test_german_plurals_have_both_forms() -> None:
    german = catalogue.read(catalogue.po_path("de"), "de")
    assert german.num_plurals == 2 and german.plural_expr == "(n != 1)"
    assert any(m.pluralizable for m in german), "the catalogue has plural messages to check"
    assert not plural_gaps(german), "\n".join(plural_gaps(german))


def test_french_plurals_have_all_three_forms() -> None:
    # CLDR gives French a third form, for millions ("un million de secondes"): gettext picks it for n = 1000000,
    # and an empty third form would put English there.
    french = catalogue.read(catalogue.po_path("fr"), "fr")
    assert french.num_plurals == 3
    assert not plural_gaps(french), "\n".join(plural_gaps(french))


@pytest.mark.parametrize("locale", LANGUAGES)
def test_translated_command_strings_follow_discords_rules(tree: app_commands.CommandTree, locale: str) -> None:
    strings = catalogue.command_strings(tree)
    assert {context for context, *_ in strings} == {*NAMES, *DESCRIPTIONS, "choice name"}
    problems = command_string_problems(strings, locale)
    assert not problems, "\n".join(problems)


async def test_translated_command_names_are_unique_within_their_parent(tree: app_commands.CommandTree) -> None:
    payload = await tree_payload(tree)
    assert not duplicate_names(payload, LANGUAGES), "\n".join(duplicate_names(payload, LANGUAGES))


# --- the checks notice a broken catalogue ----------------------------------------------------------------------


def test_a_compiled_catalogue_left_behind_its_source_is_noticed(tmp_path: Path) -> None:
    with catalogue_copy(tmp_path) as folder:
        po = folder / "de" / "LC_MESSAGES" / "messages.po"
        assert mo_drift(po, po.with_suffix(".mo"), "de") == []
        german = catalogue.read(po, "de")
        german.get("Empathy").string = "Einfühlung"
        catalogue.write(german, po)  # edited, not compiled
        [drift] = mo_drift(po, po.with_suffix(".mo"), "de")
        assert "'Empathie'" in drift and "'Einfühlung'" in drift


def test_a_template_missing_a_string_of_the_code_is_noticed() -> None:
    code = _messages(catalogue.template())
    shipped = dict(code)
    del shipped[(None, "Empathy")]
    shipped[(None, "A string the code no longer has")] = ""
    assert key_drift(shipped, code) == ["missing (None, 'Empathy')", "stale (None, 'A string the code no longer has')"]


def test_the_coverage_check_lists_exactly_the_untranslated_messages() -> None:
    german = Catalog(locale="de")
    german.add("Empathy", "Empathie")
    german.add("Working alliance", "")
    german.add(("{n} check-in", "{n} check-ins"), ("{n} Check-in", ""))
    german.add("Transference", "Übertragung", flags=["fuzzy"])
    german.add("and", "und", context="typed weekdays")
    assert untranslated(german) == [
        (None, "Working alliance"),
        (None, ("{n} check-in", "{n} check-ins")),
        (None, "Transference"),
    ]


def test_the_placeholder_check_finds_a_lost_renamed_or_broken_placeholder() -> None:
    german = Catalog(locale="de")
    german.add("Saved {count} entries.", "{count} Einträge gespeichert.")
    german.add("Saved {count} entries for {name}.", "Einträge gespeichert.")
    german.add("Hello {name}.", "Hallo {Name}.")
    german.add("Code `{code}`.", "Code `{code`.")
    german.add(("{n} week", "{n} weeks"), ("{n} Woche", "{anzahl} Wochen"))
    german.add(("{n} day", "{n} days"), ("{n} Tag", "Tage"))  # the plural form lost its number
    # The English singular names no number, so its German needs none either: not an error.
    german.add(("Attendance · last month", "Attendance · last {n} months"), ("Letzter Monat", "Letzte {n} Monate"))
    errors = placeholder_errors(german)
    assert len(errors) == 5, errors
    assert "['count', 'name']" in errors[0] and "'Hallo {Name}.'" in errors[1]
    assert "not a valid format string" in errors[2] and "'{anzahl} Wochen'" in errors[3]
    assert "'Tage' has []" in errors[4]


def test_the_plural_check_finds_a_missing_form() -> None:
    german = Catalog(locale="de")
    german.add(("{n} week", "{n} weeks"), ("{n} Woche", ""))
    german.add(("{n} day", "{n} days"), ("{n} Tag", "{n} Tage"))
    assert plural_gaps(german) == ["'{n} week': ['{n} Woche', '']"]


def test_the_command_checks_refuse_names_and_descriptions_discord_would_refuse(
    tree: app_commands.CommandTree, tmp_path: Path
) -> None:
    help_command = tree.get_command("help")
    assert isinstance(help_command, app_commands.Command)
    with catalogue_copy(tmp_path) as folder:
        edit_catalogue(folder, "de", set_translation("help", "Hilfe Befehl", "command name"))
        edit_catalogue(folder, "de", set_translation(help_command.description, "x" * 101, "command description"))
        problems = command_string_problems(catalogue.command_strings(tree), "de")
    assert len(problems) == 2
    assert "'Hilfe Befehl' is not a valid name" in problems[0] or "'Hilfe Befehl' is not a valid name" in problems[1]
    assert any("101 characters" in p for p in problems)


async def test_two_siblings_translated_alike_are_noticed(tree: app_commands.CommandTree, tmp_path: Path) -> None:
    # Two top-level commands given the same German name.
    with catalogue_copy(tmp_path) as folder:
        edit_catalogue(folder, "de", set_translation("about", "hilfe", "command name"))
        edit_catalogue(folder, "de", set_translation("help", "hilfe", "command name"))
        problems = duplicate_names(await tree_payload(tree), ["de"])
    assert problems == ["de: /help and about are both shown as 'hilfe'"]


async def test_a_changed_translation_changes_the_tree_hash_so_it_syncs(
    tree: app_commands.CommandTree, tmp_path: Path
) -> None:
    help_command = tree.get_command("help")
    assert isinstance(help_command, app_commands.Command)
    description, context = help_command.description, "command description"
    shipped = await tree_hash(tree)
    with catalogue_copy(tmp_path) as folder:
        assert await tree_hash(tree) == shipped  # the same catalogue, read from another folder: the same hash
        edit_catalogue(folder, "de", set_translation(description, "Alle Befehle und wie eine Woche abläuft", context))
        first = await tree_hash(tree)
        payload = {c["name"]: c for c in await tree_payload(tree)}
        assert payload["help"]["description_localizations"]["de"] == "Alle Befehle und wie eine Woche abläuft"
        edit_catalogue(folder, "de", set_translation(description, "Die Befehle, und wie eine Woche abläuft", context))
        second = await tree_hash(tree)
        edit_catalogue(folder, "fr", remove_message("Empathy", "choice name"))
        third = await tree_hash(tree)
    assert len({shipped, first, second, third}) == 4
    assert await tree_hash(tree) == shipped  # back on the shipped catalogue


def test_discord_locales_and_the_catalogues_agree() -> None:
    # Every language with a catalogue is one Discord sends (or its language part), so members can get it.
    discord_locales = {locale.value for locale in discord.Locale}
    for language in LANGUAGES:
        assert language in discord_locales or any(code.startswith(f"{language}-") for code in discord_locales)
        assert i18n.known(language)
    assert set(i18n.LANGUAGES) - {i18n.SOURCE} == set(LANGUAGES)


def _command_paths(tree: app_commands.CommandTree, locale: str) -> set[str]:
    catalogue_ = translations(locale)
    paths = set()
    for command in tree.walk_commands():
        names, node = [], command
        while node is not None:
            names.append(str(catalogue_.pgettext("command name", node.name)))
            node = node.parent
        paths.add("/" + " ".join(reversed(names)))
    return paths


@pytest.mark.parametrize("locale", LANGUAGES)
def test_every_command_a_translation_names_is_one_the_reader_can_type(
    tree: app_commands.CommandTree, locale: str
) -> None:
    # A translation names commands in backticks, by their English names (swapped for the reader's) or its own;
    # either way the reader must find that command in their Discord, under that name.
    paths = _command_paths(tree, locale)
    wrong = set()
    for message in catalogue.read(catalogue.po_path(locale), locale):
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            for span in re.findall(r"`(/[^`\n]+)`", with_command_names(text, locale)):
                path = re.split(r" (?=[a-z_]+:)", span)[0]
                if ":" not in path and not any(p == path or p.startswith(path + " ") for p in paths):
                    wrong.add(span)
    assert not wrong, f"commands named that {locale} readers cannot find: {sorted(wrong)}"
