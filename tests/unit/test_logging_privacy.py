"""The redacting filter on the log handlers: no token, body, payload or SQL parameter is ever written."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logging_setup import redact, setup_logging

SECRET = "my private check-in text"
TOKEN = "aW50ZXJhY3Rpb24nNMdS_9ylFxUS4EbAqHr11_znCa1H4-1F7d3pFS7THkwGHcUQ8yaKfiLC-Hn46CuYRxEvyWgfhk1Sbnj1WJgG"


@pytest.fixture
def stderr() -> Iterator[io.StringIO]:
    """The production set-up (discord.py's handler at DEBUG, our filter on it) writing to a buffer."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    buffer = io.StringIO()
    setup_logging("DEBUG", buffer)
    yield buffer
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
    root.setLevel(level)


def written(buffer: io.StringIO) -> str:
    return buffer.getvalue()


def test_webhook_callback_urls_lose_their_token(stderr: io.StringIO) -> None:
    url = f"http://127.0.0.1:1/api/v10/interactions/1577497333141209145/{TOKEN}/callback"
    logging.getLogger("discord.webhook.async_").debug(
        "Webhook ID %s with %s %s has returned status code %s", 1577497333141209145, "POST", url, 200
    )
    text = written(stderr)
    assert TOKEN not in text and TOKEN[:20] not in text
    assert "interactions/1577497333141209145/<token>/callback has returned status code 200" in text


def test_http_bodies_and_tokens_are_dropped(stderr: io.StringIO) -> None:
    http = logging.getLogger("discord.http")
    url = "http://127.0.0.1:1/api/v10/webhooks/123/aW50ZXJhY3Rpb246dG9rZW4/messages/@original"
    http.debug("%s %s with %s has returned %s", "PATCH", url, {"content": SECRET}, 200)
    http.debug("%s %s has received %s", "POST", url, {"content": SECRET, "author": {"id": "42"}})
    text = written(stderr)
    assert SECRET not in text and "aW50ZXJhY3Rpb246dG9rZW4" not in text and '"42"' not in text
    assert "PATCH http://127.0.0.1:1/api/v10/webhooks/123/<token>/messages/@original with <payload>" in text


def test_gateway_events_keep_only_their_outline(stderr: io.StringIO) -> None:
    event = {"op": 0, "t": "INTERACTION_CREATE", "s": 7, "d": {"member": {"user": {"id": "42"}}, "data": SECRET}}
    logging.getLogger("discord.gateway").debug("For Shard ID %s: WebSocket Event: %s", None, event)
    text = written(stderr)
    assert SECRET not in text and '"42"' not in text and "'42'" not in text
    assert "op=0 t=INTERACTION_CREATE s=7" in text


def test_sql_parameters_never_reach_the_logs(stderr: io.StringIO) -> None:
    logging.getLogger("aiosqlite").debug("executing %s", ("INSERT INTO checkins VALUES (?)", (SECRET,)))
    logging.getLogger("aiosqlite").warning("connection closed while busy")
    text = written(stderr)
    assert SECRET not in text
    assert "connection closed while busy" in text


def test_a_logger_nobody_thought_of_is_covered_too(stderr: io.StringIO) -> None:
    logging.getLogger("some.library").debug("sent %s to %s", {"body": SECRET}, f"/webhooks/9/{TOKEN}")
    logging.getLogger("aiohttp.client").info("payload=%r", [SECRET, 1])
    text = written(stderr)
    assert SECRET not in text and TOKEN not in text
    assert "sent <payload> to /webhooks/9/<token>" in text


def test_tracebacks_are_redacted_and_plain_lines_kept(stderr: io.StringIO) -> None:
    try:
        raise RuntimeError(f"POST /interactions/5/{TOKEN}/callback failed with {{'content': '{SECRET}'}}")
    except RuntimeError:
        logging.getLogger("bot.client").exception("scheduled %s failed (error id %s)", "quiz_opens", "ab12")
    logging.getLogger("apscheduler.scheduler").info("Scheduler started")
    text = written(stderr)
    assert TOKEN not in text and SECRET not in text
    assert "scheduled quiz_opens failed (error id ab12)" in text and "RuntimeError" in text
    assert "Scheduler started" in text


def test_redact_leaves_ordinary_text_alone() -> None:
    line = "shared 4 check-ins; next run [in 3 days] for guild 1577497329605410829"
    assert redact(line) == line
    assert redact("body {'a': 'x'} and [1, 'b'] end") == "body <payload> and <payload> end"
    assert redact("cut short: {'content': 'unfinish") == "cut short: <payload>"
