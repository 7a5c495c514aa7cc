"""Slash commands end to end: registration, public and ephemeral answers, defers, autocomplete."""

from __future__ import annotations

from typing import Any

import pytest

from discord_sandbox import CommandUsageError, Sandbox


async def test_registers_commands_and_answers_publicly(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    names = {c["name"] for c in sandbox.registered_commands()}
    assert {"ping", "secret", "schedule", "feedback"} <= names

    ix = await sandbox.invoke(world["guild"], world["members"][0], "ping", channel=world["quiz"])
    response = await ix.response()
    assert response.type == 4 and response.content == "pong" and not response.ephemeral
    msg = await ix.original_message()
    assert msg.content == "pong"
    assert sandbox.messages(world["quiz"]) == [msg]


async def test_ephemeral_answer_is_not_visible_in_the_channel(
    sandbox: Sandbox, world: dict[str, Any], bot: Any
) -> None:
    ix = await sandbox.invoke(world["guild"], world["members"][0], "secret", channel=world["quiz"])
    response = await ix.response()
    assert response.ephemeral and response.content == "only you can see this"
    assert (await ix.original_message()).ephemeral
    assert sandbox.messages(world["quiz"]) == []


async def test_allowed_mentions_are_recorded_as_sent(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    target = world["members"][1]
    ix = await sandbox.invoke(world["guild"], world["members"][0], "echo", options={"text": f"hi {target.mention}"})
    msg = await ix.original_message()
    assert msg.content == f"hi {target.mention}"
    assert msg.allowed_mentions == {"parse": []}
    assert msg.mentions == []


async def test_thinking_defer_then_followup_replaces_the_loading_message(
    sandbox: Sandbox, world: dict[str, Any], bot: Any
) -> None:
    ix = await sandbox.invoke(world["guild"], world["members"][0], "slow")
    assert (await ix.response()).type == 5
    followup = await ix.next_followup()
    assert followup.id == ix.original_id
    msg = await ix.original_message(predicate=lambda m: m.edited_at is not None and "edited" in m.content)
    assert msg.content == "done thinking (edited)"
    assert [m.content for m in sandbox.messages(world["guild"].channels[msg.channel_id])] == [msg.content]


async def test_subcommand_options_are_typed_and_resolved(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    quiz = world["quiz"]
    ix = await sandbox.invoke(
        world["guild"],
        world["members"][0],
        "schedule set",
        options={"kind": "quiz_opens", "hour": 9, "where": quiz},
    )
    assert (await ix.response()).content == f"quiz_opens at 9h in <#{quiz.id}>"
    data = ix.payload["data"]
    assert data["options"][0]["type"] == 1 and data["options"][0]["name"] == "set"
    assert str(quiz.id) in data["resolved"]["channels"]


async def test_invalid_option_values_are_refused_before_reaching_the_bot(
    sandbox: Sandbox, world: dict[str, Any], bot: Any
) -> None:
    guild, member = world["guild"], world["members"][0]
    with pytest.raises(CommandUsageError, match="not a choice"):
        await sandbox.invoke(guild, member, "schedule set", options={"kind": "nope", "hour": 1, "where": world["quiz"]})
    with pytest.raises(CommandUsageError, match="outside"):
        await sandbox.invoke(
            guild, member, "schedule set", options={"kind": "quiz_opens", "hour": 30, "where": world["quiz"]}
        )
    with pytest.raises(CommandUsageError, match="unknown option"):
        await sandbox.invoke(guild, member, "ping", options={"loud": True})


async def test_autocomplete_offers_matching_choices(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    choices = await sandbox.autocomplete(
        world["guild"], world["members"][0], "setup", focused="timezone", value="Europe/L"
    )
    assert [c["name"] for c in choices] == ["Europe/London", "Europe/Lisbon"]
