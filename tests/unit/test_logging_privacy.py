"""The privacy filter strips bodies, payloads and tokens from discord.py's and aiosqlite's debug records."""

from __future__ import annotations

import logging

import pytest

from bot.logging_setup import install_privacy_filter

SECRET = "my private check-in text"


@pytest.fixture
def records(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    install_privacy_filter()
    caplog.set_level(logging.DEBUG)
    return caplog


def test_http_bodies_and_interaction_tokens_are_dropped(records: pytest.LogCaptureFixture) -> None:
    http = logging.getLogger("discord.http")
    url = "http://127.0.0.1:1/api/v10/webhooks/123/aW50ZXJhY3Rpb246dG9rZW4/messages/@original"
    http.debug("%s %s with %s has returned %s", "PATCH", url, {"content": SECRET}, 200)
    http.debug("%s %s has received %s", "POST", url, {"content": SECRET, "author": {"id": "42"}})
    text = records.text
    assert SECRET not in text and "aW50ZXJhY3Rpb246dG9rZW4" not in text and '"42"' not in text
    assert "PATCH http://127.0.0.1:1/api/v10/webhooks/123/<token>/messages/@original has returned 200" in text


def test_gateway_events_keep_only_their_outline(records: pytest.LogCaptureFixture) -> None:
    event = {"op": 0, "t": "INTERACTION_CREATE", "s": 7, "d": {"member": {"user": {"id": "42"}}, "data": SECRET}}
    logging.getLogger("discord.gateway").debug("For Shard ID %s: WebSocket Event: %s", None, event)
    assert SECRET not in records.text and "42" not in records.text
    assert "op=0 t=INTERACTION_CREATE s=7" in records.text


def test_sql_parameters_never_reach_the_logs(records: pytest.LogCaptureFixture) -> None:
    logging.getLogger("aiosqlite").debug("executing %s", ("INSERT INTO checkins VALUES (?)", (SECRET,)))
    logging.getLogger("aiosqlite").warning("connection closed while busy")
    assert SECRET not in records.text
    assert "connection closed while busy" in records.text
