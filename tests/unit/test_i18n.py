"""Speaking the reader's language: plural forms, per-string fallback to English, unknown locales, and numbers,
percentages, dates and lists formatted by Babel for the language of the words around them."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from discord import app_commands

from bot import i18n
from bot.content.elements import ELEMENTS, element_name
from bot.errors import NotSupervisor, message_for
from bot.expired import expired_text
from bot.time_input import describe_weekdays, parse_weekdays
from bot.uptime import format_uptime
from bot.user_error import UserFacingError
from tests.support.catalogues import catalogue_copy, edit_catalogue, remove_message

# A plural message of the code (bot/errors.py, the reply to a command on cooldown).
SLOW_DOWN = ("Slow down: try again in {n} second.", "Slow down: try again in {n} seconds.")
ONLY_SUPERVISORS = NotSupervisor().args[0]


def cooldown(seconds: float) -> app_commands.CommandOnCooldown:
    return app_commands.CommandOnCooldown(app_commands.Cooldown(1, 60), seconds)


@pytest.mark.parametrize(
    ("n", "german", "english"),
    [
        (0, "Nicht so schnell: Versuch es in 0 Sekunden noch einmal.", "Slow down: try again in 0 seconds."),
        (1, "Nicht so schnell: Versuch es in 1 Sekunde noch einmal.", "Slow down: try again in 1 second."),
        (2, "Nicht so schnell: Versuch es in 2 Sekunden noch einmal.", "Slow down: try again in 2 seconds."),
        (5, "Nicht so schnell: Versuch es in 5 Sekunden noch einmal.", "Slow down: try again in 5 seconds."),
    ],
)
def test_german_plural_forms_for_0_1_2_and_5(n: int, german: str, english: str) -> None:
    with i18n.speaking("de"):
        assert i18n.ngettext(*SLOW_DOWN, n).format(n=n) == german
    assert i18n.ngettext(*SLOW_DOWN, n).format(n=n) == english


def test_the_cooldown_reply_counts_whole_seconds_in_the_members_language() -> None:
    with i18n.speaking("de"):
        assert message_for(cooldown(1.0), "/x") == "Nicht so schnell: Versuch es in 1 Sekunde noch einmal."
        assert message_for(cooldown(1.2), "/x") == "Nicht so schnell: Versuch es in 2 Sekunden noch einmal."
    with i18n.speaking("fr"):
        # French puts 0 and 1 in the singular; the bot never says 0, it rounds up.
        assert message_for(cooldown(0.4), "/x") == "Doucement : réessayez dans 1 seconde."
        assert message_for(cooldown(4.5), "/x") == "Doucement : réessayez dans 5 secondes."
        # CLDR's third French form, for a million: filled too, so never English.
        assert i18n.ngettext(*SLOW_DOWN, 1_000_000) == "Doucement : réessayez dans {n} secondes."


def test_a_string_missing_from_the_german_catalogue_falls_back_to_english_alone(tmp_path: Path) -> None:
    with catalogue_copy(tmp_path) as folder:
        with i18n.speaking("de"):
            assert str(NotSupervisor()).startswith("Das können nur Supervisor:innen")
        edit_catalogue(folder, "de", remove_message(ONLY_SUPERVISORS))
        with i18n.speaking("de"):
            assert str(NotSupervisor()) == ONLY_SUPERVISORS  # English, whole, not empty
            assert element_name("working_alliance") == "Arbeitsbündnis"  # the rest is still German
            with pytest.raises(UserFacingError, match="„blub“ ist kein Wochentag"):
                parse_weekdays("Mo, blub")
    with i18n.speaking("de"):
        assert str(NotSupervisor()).startswith("Das können nur Supervisor:innen")  # the shipped catalogue again


def test_a_language_whose_catalogue_is_gone_speaks_english(tmp_path: Path) -> None:
    with catalogue_copy(tmp_path) as folder:
        (folder / "de" / "LC_MESSAGES" / "messages.mo").unlink()
        i18n.translations.cache_clear()
        assert not i18n.known("de")
        with i18n.speaking("de"):
            assert str(NotSupervisor()) == ONLY_SUPERVISORS
            assert i18n.number(1234.5, 1) == "1,234.5"


@pytest.mark.parametrize("locale", ["ja", "pt-BR", "es-ES", "", None])
def test_an_unknown_or_missing_locale_gets_english_words_and_english_numbers(locale: str | None) -> None:
    assert not i18n.known(locale)
    with i18n.speaking(locale):
        assert i18n.current() == (locale or i18n.SOURCE)
        assert str(NotSupervisor()) == ONLY_SUPERVISORS
        assert [element_name(e) for e in ELEMENTS] == list(ELEMENTS.values())
        assert expired_text("sv:v:gone:00").startswith("This control has expired.")
        assert describe_weekdays((0, 3)) == "Mon, Thu"
        assert format_uptime(timedelta(days=2, hours=3, minutes=4)) == "2 d 3 h 4 min"
        assert i18n.number(1234.5, 1) == "1,234.5"
        assert i18n.day(date(2026, 12, 2)) == "Dec 2, 2026"


def test_english_variants_keep_english_words_with_their_own_date_order() -> None:
    assert i18n.known("en-GB")
    with i18n.speaking("en-GB"):
        assert str(NotSupervisor()) == ONLY_SUPERVISORS
        assert i18n.day(date(2026, 12, 2)) == "2 Dec 2026"


def test_element_names_follow_the_glossary_in_german() -> None:
    with i18n.speaking("de"):
        names = {key: element_name(key) for key in ELEMENTS}
    assert names == {
        "empathy": "Empathie",
        "congruence": "Kongruenz (Echtheit)",
        "unconditional_positive_regard": "Bedingungslose positive Wertschätzung",
        "working_alliance": "Arbeitsbündnis",
        "transference": "Übertragung",
        "countertransference": "Gegenübertragung",
        "rupture_repair": "Ruptur und Reparatur",
    }
    assert element_name("supervision") == "Supervision and reflective practice"
    with i18n.speaking("de"):
        assert element_name("supervision") == "Supervision und reflexive Praxis"
        assert element_name("a_custom_topic") == "A custom topic"  # not ours to name: shown as given


@pytest.mark.parametrize(
    ("locale", "number", "decimal", "percent", "day", "long_day", "listing"),
    [
        ("en-US", "1,234", "3.5", "75%", "Dec 2, 2026", "December 2, 2026", "a, b, and c"),
        ("de", "1.234", "3,5", "75\xa0%", "02.12.2026", "2. Dezember 2026", "a, b und c"),
    ],
)
def test_numbers_percentages_dates_and_lists_in_german_and_english(
    locale: str, number: str, decimal: str, percent: str, day: str, long_day: str, listing: str
) -> None:
    with i18n.speaking(locale):
        assert i18n.number(1234) == number
        assert i18n.number(3.5, 1) == decimal
        assert i18n.percent(0.75) == percent
        assert i18n.day(date(2026, 12, 2)) == day
        assert i18n.day(date(2026, 12, 2), "long") == long_day
        assert i18n.listing(["a", "b", "c"]) == listing
        assert i18n.listing(["a"]) == "a"


def test_the_language_is_the_tasks_own_and_returns_after_a_block() -> None:
    assert i18n.current() == i18n.SOURCE
    with i18n.speaking("de"):
        with i18n.speaking("fr"):
            assert element_name("empathy") == "Empathie" and i18n.current() == "fr"
            assert element_name("working_alliance") == "Alliance de travail"
        assert element_name("working_alliance") == "Arbeitsbündnis"
        assert i18n.in_language("en-US", "Working alliance") == "Working alliance"
        assert i18n.in_language("fr", "Working alliance") == "Alliance de travail"
    assert element_name("working_alliance") == "Working alliance"


def test_german_weekdays_are_read_and_named_in_german() -> None:
    with i18n.speaking("de"):
        assert parse_weekdays("Mo, Do") == (0, 3)
        assert parse_weekdays("Dienstag und Freitag") == (1, 4)
        assert parse_weekdays("Mo., Mi.") == (0, 2)
        assert parse_weekdays("werktags") == (0, 1, 2, 3, 4)
        assert parse_weekdays("mon, thu") == (0, 3)  # English still works
        assert describe_weekdays((0, 3)) == "Mo., Do."
        assert describe_weekdays(tuple(range(7))) == "jeden Tag"
        for days in [(0,), (1, 4), (5, 6), (0, 2, 4)]:
            assert parse_weekdays(describe_weekdays(days)) == days
        with pytest.raises(UserFacingError, match="Nutze Namen wie Mo, Dienstag oder Do"):
            parse_weekdays("Funtag")
    with i18n.speaking("fr"):
        assert parse_weekdays("lun., jeu.") == (0, 3)
        assert parse_weekdays("mardi et vendredi") == (1, 4)
        assert describe_weekdays((0, 3)) == "lun., jeu."
    with pytest.raises(UserFacingError, match="is not a weekday"):
        parse_weekdays("Mo, Do, Di")  # "Di" is German: an English reader is told, not misread
