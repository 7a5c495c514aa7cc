"""The bot in each member's language, through the emulator: localised slash commands as synced, replies in the
member's Discord locale with English per missing string, and DMs in the locale a member last used.

Where the emulator has Discord's OpenAPI spec (CI requires it), the synced commands pass its schema as well as the
emulator's own checks of every localised name and description.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot import i18n
from bot.command_translator import CONTEXTS, translate_command_string
from bot.content.elements import ELEMENTS
from bot.errors import NotSupervisor
from tests.e2e.conftest import embed_text, set_up_group
from tests.support.catalogues import catalogue_copy, edit_catalogue, remove_message
from tests.support.db import db_rows

ALL_COGS = ("about", "admin", "quiz", "checkin", "reflect", "meeting")
LOCATIONS = {context: location for location, context in CONTEXTS.items()}
ONLY_SUPERVISORS = NotSupervisor().args[0]
GERMAN_REFUSAL = (
    "Das können nur Supervisor:innen: Dafür braucht es die Supervisor:innen-Rolle der Gruppe oder die Berechtigung "
    "„Server verwalten“. Es wurde nichts geändert."
)


def localised(item: dict[str, Any], field: str, locale: str) -> str | None:
    return (item.get(field) or {}).get(locale)


def expected(context: str, message: str, locale: str) -> str | None:
    """What the catalogue says Discord should show for a command string in a locale (None: the English one)."""
    return translate_command_string(message, LOCATIONS[context], locale)


def walk(commands: list[dict[str, Any]]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every command, group, subcommand and option in a synced payload, with the contexts of its name and text."""
    for command in commands:
        yield "command name", "command description", command
        stack = list(command.get("options") or [])
        while stack:
            option = stack.pop()
            if option["type"] in (1, 2):  # a subcommand or a group of them
                yield "command name", "command description", option
                stack += option.get("options") or []
            else:
                yield "option name", "option description", option


async def test_synced_commands_carry_every_translation_the_catalogue_has(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS) as h:
        synced = h.sandbox.commands.list(None)
        assert {c["name"] for c in synced} >= {"help", "quiz", "reflect", "checkin", "setup", "privacy"}
        checked = 0
        for name_context, text_context, item in walk(synced):
            for locale in ("de", "fr"):
                assert localised(item, "name_localizations", locale) == expected(name_context, item["name"], locale)
                assert localised(item, "description_localizations", locale) == expected(
                    text_context, item["description"], locale
                )
                for choice in item.get("choices") or []:
                    assert localised(choice, "name_localizations", locale) == expected(
                        "choice name", choice["name"], locale
                    )
                    checked += 1
                checked += 2
        assert checked > 400
        # What a German or French member sees for an element in /quiz bank add, as Discord would show it.
        quiz = next(c for c in synced if c["name"] == "quiz")
        bank = next(o for o in quiz["options"] if o["name"] == "bank")
        add = next(o for o in bank["options"] if o["name"] == "add")
        element = next(o for o in add["options"] if o["name"] == "element")
        alliance = next(c for c in element["choices"] if c["value"] == "working_alliance")
        assert alliance["name"] == "Working alliance"
        assert alliance["name_localizations"] == {"de": "Arbeitsbündnis", "fr": "Alliance de travail"}
        regard = next(c for c in element["choices"] if c["value"] == "unconditional_positive_regard")
        assert regard["name_localizations"]["de"] == "Bedingungslose positive Wertschätzung"
        # The sandbox checked every localised string on the way in (its fixture fails the test on a violation).
        assert not h.sandbox.violations


async def test_each_member_is_answered_in_their_own_discord_locale(make_harness) -> None:
    async with make_harness(cogs=ALL_COGS, trainees=3) as h:
        await set_up_group(h)
        german, english, japanese = h.group.trainees
        german.user.locale, japanese.user.locale = "de", "ja"
        refused = await h.run(german, "schedule list")
        assert refused.ephemeral and refused.content == GERMAN_REFUSAL
        assert (await h.run(english, "schedule list")).content == ONLY_SUPERVISORS
        assert (await h.run(japanese, "schedule list")).content == ONLY_SUPERVISORS  # no Japanese: English
        wrong_day = await h.run(german, "reflect subscribe", days="Mo, Blubtag", time="08:00")
        assert wrong_day.content == (
            "„blubtag“ ist kein Wochentag. Nutze Namen wie Mo, Dienstag oder Do, durch Kommas getrennt, "
            "oder „werktags“ / „täglich“."
        )
        wrong_time = await h.run(german, "reflect subscribe", days="Mo", time="25:00")
        assert wrong_time.content == "„25:00“: Die Stunde muss zwischen 0 und 23 liegen."
        # German day names are read as German: Monday and Thursday.
        await h.run(german, "reflect subscribe", days="Mo, Do", time="08:00")
        assert db_rows(h, "SELECT weekdays FROM subscriptions WHERE user_id = ?", german.id) == [("0,3",)]
        # The same words from an English member are refused in English ("Do" is no English weekday).
        english_refusal = await h.run(english, "reflect subscribe", days="Mo, Do", time="08:00")
        assert english_refusal.content.startswith("“do” is not a weekday.")
        # Each member's locale is kept for DMs, from their slash commands.
        rows = db_rows(h, "SELECT user_id, locale FROM member_locales WHERE guild_id = ?", h.group.guild.id)
        assert {(german.id, "de"), (english.id, "en-US"), (japanese.id, "ja")} <= set(rows)


async def test_a_dm_speaks_the_locale_the_member_last_used(make_harness) -> None:
    """A German member of an English-speaking group gets their prompt DM in German; an English member in English.

    The prompt DM is the reflect feature's; its element name comes from the core (bot/content/elements.py).
    """
    async with make_harness(cogs=ALL_COGS, trainees=2) as h:
        await set_up_group(h)
        german, english = h.group.trainees
        german.user.locale = "de"
        await h.run(german, "reflect subscribe", days="Mo", time="08:00")
        await h.run(english, "reflect subscribe", days="Mon", time="08:00")
        assert db_rows(h, "SELECT locale FROM member_locales WHERE user_id = ?", german.id) == [("de",)]
        await h.advance(timedelta(minutes=10))
        [german_dm], [english_dm] = h.sandbox.dms(german), h.sandbox.dms(english)
        with i18n.speaking("de"):
            german_names = [i18n._(name) for name in ELEMENTS.values()]
        # The footer's first line names the prompt's element (its source, below, is cited as published).
        german_footer = german_dm.embeds[0]["footer"]["text"].splitlines()[0]
        english_footer = english_dm.embeds[0]["footer"]["text"].splitlines()[0]
        assert any(name in german_footer for name in german_names), german_footer
        assert not any(name in german_footer for name in ELEMENTS.values()), german_footer
        assert any(name in english_footer for name in ELEMENTS.values()), english_footer
        assert not any(name in english_footer for name in german_names), english_footer


async def test_a_string_missing_from_german_appears_in_english_and_nothing_breaks(make_harness, tmp_path: Path) -> None:
    with catalogue_copy(tmp_path) as folder:
        edit_catalogue(folder, "de", remove_message(ONLY_SUPERVISORS))
        async with make_harness(cogs=ALL_COGS, trainees=1) as h:
            await set_up_group(h)
            [german] = h.group.trainees
            german.user.locale = "de"
            refused = await h.run(german, "schedule list")
            assert refused.ephemeral and refused.content == ONLY_SUPERVISORS  # whole, in English, not empty
            wrong_day = await h.run(german, "reflect subscribe", days="Blubtag", time="08:00")
            assert wrong_day.content.startswith("„blubtag“ ist kein Wochentag.")  # the rest stays German
            help_reply = await h.run(german, "help")
            assert help_reply.embeds and "error id" not in embed_text(help_reply.embeds)
