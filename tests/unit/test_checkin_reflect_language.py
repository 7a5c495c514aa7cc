"""The check-in and reflection wording in German and French: plurals, dates, stored English shown translated, and
the journal export read back in the language it was written in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.i18n import speaking
from cogs.checkin.content_warning import compose_warning, warned_text
from cogs.checkin.detector import describe_flags, find_identifying_details
from cogs.checkin.logic import render_count, weekday_label
from cogs.checkin.render import digest_header
from cogs.reflect.delivery_reasons import (
    CLOSED,
    PAUSED,
    REFUSED,
    STOPPED_EACH_TIME,
    STOPPED_TOO_LONG,
    member_can_help,
    shown_reason,
)
from cogs.reflect.logic import extract_bodies, journal_markdown


def entries(count: int) -> list[tuple[datetime, str | None, str | None, str]]:
    start = datetime(2026, 3, 29, 8, 5, tzinfo=UTC)
    return [(start - timedelta(days=n), None if n % 2 else "Was ist geblieben?", None, "x" * n) for n in range(count)]


@pytest.mark.parametrize("locale", ["de", "fr", "en-US"])
@pytest.mark.parametrize("count", [0, 1, 2, 5])
def test_the_journal_export_round_trips_in_each_language(locale: str, count: int) -> None:
    with speaking(locale):
        document = journal_markdown(entries(count), "Alex", "Europe/Berlin")
        assert extract_bodies(document) == ["x" * n for n in range(count)]


def test_the_german_export_reads_as_german() -> None:
    with speaking("de"):
        document = journal_markdown(entries(2), "Alex", "Europe/Berlin")
    assert document.startswith("# Reflexionsjournal · Alex\n\n2 Einträge, neueste zuerst. Zeiten in Europe/Berlin.")
    assert "## So., 29. März 2026, 10:05 CEST" in document and "_Freie Reflexion, ohne Impuls._" in document
    assert "*Deine Reflexion, genau wie geschrieben (0 Zeichen):*" in document
    with speaking("fr"):
        single = journal_markdown(entries(2)[1:], "Alex", "Europe/Paris")
    assert "1 entrée, la plus récente d'abord." in single and "(1 caractère) :*" in single
    # Read in another language than it was written in, an export is refused rather than misread.
    with pytest.raises(ValueError, match="not a supervision-bot journal export"):
        extract_bodies(document)


@pytest.mark.parametrize(
    ("total", "german"), [(1, "1 Check-in seit"), (2, "2 Check-ins seit"), (5, "5 Check-ins seit")]
)
def test_digest_header_plurals_in_german(total: int, german: str) -> None:
    with speaking("de"):
        assert (digest_header(total).description or "").startswith(german)


def test_counts_days_and_found_details_in_german() -> None:
    with speaking("de"):
        assert render_count(None, 3) == "weniger als 3" and render_count(4, 3) == "4"
        assert weekday_label(date(2026, 12, 1)) == "Dienstag"
        flags = find_identifying_details(
            "Call Jane Smith, 07700 900123, a@b.org, 12/03/2024, www.x.org, 1234567, Dr Ann Lee"
        )
        assert describe_flags(flags).startswith("einen möglichen Namen (Jane Smith), eine Telefonnummer (07700 900123)")
        assert describe_flags(flags).endswith(" und 2 weitere")
        assert describe_flags(flags[:6]).endswith(" und 1 weiteres")


def test_a_stored_warning_shows_its_topic_translated_and_the_members_words_as_written() -> None:
    stored = compose_warning("death", "grief at work")
    assert stored == "Death or loss · grief at work"  # stored in English, whoever wrote it
    with speaking("de"):
        assert warned_text(stored or "", "text").startswith("**CW: Tod oder Verlust · grief at work**\n||")
    with speaking("fr"):
        assert warned_text("Abuse or violence", "text").startswith("**CW : Abus ou violence**")
        assert warned_text("Death or loss-ish words", "t").startswith("**CW : Death or loss-ish words**")


def test_dm_failure_reasons_are_stored_in_english_and_shown_translated() -> None:
    refused, paused = REFUSED.format(status=403), PAUSED.format(count=3)
    assert (refused, paused) == ("Discord refused the message (403)", "subscription paused after 3 failed deliveries")
    with speaking("de"):
        assert shown_reason(CLOSED) == "deine DMs sind für diesen Server geschlossen"
        assert shown_reason(refused) == "Discord hat die Nachricht abgelehnt (403)"
        assert shown_reason(paused) == "Abo nach 3 fehlgeschlagenen Zustellungen pausiert"
        assert shown_reason("something new") == "something new"
    assert shown_reason(refused) == refused


def test_a_dm_the_bot_itself_gave_up_on_says_so_and_asks_nothing_of_the_member() -> None:
    with speaking("de"):
        assert shown_reason(STOPPED_EACH_TIME) == "der Bot wurde bei jedem Versuch beim Senden angehalten"
    with speaking("fr"):
        assert shown_reason(STOPPED_TOO_LONG) == "le bot a été arrêté pendant l'envoi et n'est revenu que trop tard"
    assert not member_can_help(STOPPED_EACH_TIME) and not member_can_help(STOPPED_TOO_LONG)
    assert member_can_help(CLOSED) and member_can_help(REFUSED.format(status=403))
