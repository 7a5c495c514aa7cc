"""Fault knobs: 429s, 5xx, blocked DMs, gateway drops with RESUME, a global rate cap."""

from __future__ import annotations

from typing import Any

import pytest

from discord_sandbox import Sandbox

MESSAGES = "/channels/{channel_id}/messages"


async def _announce(sandbox: Sandbox, world: dict[str, Any], text: str) -> None:
    ix = await sandbox.invoke(
        world["guild"], world["members"][0], "announce", channel=world["quiz"], options={"text": text}
    )
    assert (await ix.next_followup()).content == "posted"


async def test_429_then_success_sends_exactly_once(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    sandbox.faults.rate_limit("POST", MESSAGES, times=1, retry_after=0.05)
    await _announce(sandbox, world, "hello")
    assert [m.content for m in sandbox.messages(world["quiz"])] == ["hello"]
    path = f"/channels/{world['quiz'].id}/messages"
    assert [e.status for e in sandbox.requests("POST", path)] == [429, 200]


@pytest.mark.parametrize("status", [500, 502])
async def test_server_error_then_success_sends_exactly_once(
    sandbox: Sandbox, world: dict[str, Any], bot: Any, status: int
) -> None:
    sandbox.faults.server_error("POST", MESSAGES, status=status, times=1)
    await _announce(sandbox, world, f"after {status}")
    assert [m.content for m in sandbox.messages(world["quiz"])] == [f"after {status}"]
    path = f"/channels/{world['quiz'].id}/messages"
    assert [e.status for e in sandbox.requests("POST", path)] == [status, 200]


async def test_blocked_dm_is_skipped_and_others_are_delivered(
    sandbox: Sandbox, world: dict[str, Any], bot: Any
) -> None:
    a, b, c = world["members"]
    sandbox.faults.block_dms(b)
    ix = await sandbox.invoke(world["guild"], a, "remind", options={"first": a, "second": b, "third": c})
    assert (await ix.next_followup()).content == "sent 2, skipped 1"
    assert [m.content for m in sandbox.dms(a)] == ["Reminder for Trainee A"]
    assert sandbox.dms(b) == []
    assert [m.content for m in sandbox.dms(c)] == ["Reminder for Trainee C"]
    assert bot.errors == [50007]


async def test_gateway_drop_resumes_and_replays_missed_events(
    sandbox: Sandbox, world: dict[str, Any], bot: Any
) -> None:
    await sandbox.drop_gateway(pause=True)
    assert not sandbox.connected
    # Sent while the bot is disconnected: it can only arrive through RESUME's replay.
    ix = await sandbox.invoke(world["guild"], world["members"][0], "ping")
    sandbox.release_gateway()
    assert (await ix.response()).content == "pong"
    await sandbox.wait_for_resume()
    assert sandbox.hub.identifies == 1 and sandbox.hub.resumes == 1
    assert "resumed" in bot.events
    connects = [e.path for e in sandbox.log if e.kind == "gateway" and e.method == "CONNECT"]
    assert connects[-1].startswith(sandbox.hub.resume_path)

    # And the resumed session keeps working for new interactions.
    again = await sandbox.invoke(world["guild"], world["members"][1], "ping")
    assert (await again.response()).content == "pong"


async def test_global_rate_cap_answers_429_global_and_leaves_interaction_responses_alone(
    sandbox: Sandbox, world: dict[str, Any], bot: Any
) -> None:
    # Discord does not bind interaction endpoints to the global limit: the callbacks and followups of
    # two quick commands go through at once, while their second channel post meets a global 429 and
    # goes through on discord.py's retry.
    sandbox.faults.limit_global_rate(1)
    await _announce(sandbox, world, "first")
    await _announce(sandbox, world, "second")
    assert [m.content for m in sandbox.messages(world["quiz"])] == ["first", "second"]
    requests = sandbox.requests()
    interaction = [e for e in requests if e.path.startswith(("/interactions/", "/webhooks/"))]
    assert len(interaction) >= 4 and all(e.status != 429 for e in interaction)
    posts = [e.status for e in requests if e.path == f"/channels/{world['quiz'].id}/messages"]
    assert posts.count(200) == 2 and 429 in posts
    assert all(e.response["global"] is True for e in requests if e.status == 429)
