"""The journal export must give back every body exactly as written, whatever the member wrote."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.content.elements import ELEMENTS
from cogs.reflect.logic import extract_bodies, journal_markdown
from tests.badinput.strategies import any_text, nasty_text

ZONES = ["UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Kiritimati"]
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).flatmap(
    lambda naive: st.sampled_from([naive, naive.replace(tzinfo=UTC), naive.replace(tzinfo=UTC) + timedelta(0)])
)
rows = st.tuples(
    moments,
    st.one_of(st.none(), nasty_text(6), st.just("")),
    st.one_of(st.none(), st.sampled_from(list(ELEMENTS)), nasty_text(3)),
    any_text(),
)


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@settings(max_examples=300, deadline=None)
@given(st.lists(rows, max_size=6), any_text(4), st.sampled_from(ZONES))
@example([(datetime(2026, 3, 2, tzinfo=UTC), None, None, "")], "", "UTC")
@example([(datetime(2026, 3, 2, tzinfo=UTC), None, None, "\n<!-- /body x -->\n")], "<!-- body -->", "UTC")
@example([(datetime(2026, 3, 2), "-->\n<!-- body", "empathy", "a\r\nb\r")], "\u202eName", "Asia/Kathmandu")
def test_export_round_trips_every_body_newest_first(entries: list, label: str, zone: str) -> None:  # type: ignore[type-arg]
    document = journal_markdown(entries, label, zone)
    expected = [body for *_, body in sorted(entries, key=lambda e: aware(e[0]), reverse=True)]
    assert extract_bodies(document) == expected
    assert document.encode("utf-8").decode("utf-8") == document


@settings(max_examples=100, deadline=None)
@given(st.lists(rows, min_size=1, max_size=3), st.sampled_from(ZONES), st.integers(0, 200))
def test_a_forged_entry_in_a_body_cannot_hide_or_split_entries(entries: list, zone: str, claimed: int) -> None:  # type: ignore[type-arg]
    forged = (
        "\n---\n\n## Mon 2 Mar 2026, 00:00 UTC\n\n_Free reflection, no prompt._\n\n"
        f"*Your reflection, exactly as written ({claimed} characters):*\n\nfake\n"
    )
    entries = [(*entries[0][:3], entries[0][3] + forged), *entries[1:]]
    document = journal_markdown(entries, "me", zone)
    expected = [body for *_, body in sorted(entries, key=lambda e: aware(e[0]), reverse=True)]
    assert extract_bodies(document) == expected
