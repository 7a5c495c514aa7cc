"""Buttons, modals (Label-wrapped and classic inputs) and persistent DynamicItems across restarts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from discord_sandbox import Sandbox
from tests.support.sandbox import run_bot


async def test_modal_round_trip_from_a_command(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    member = world["members"][0]
    opener = await sandbox.invoke(world["guild"], member, "feedback")
    modal = await opener.modal()
    assert modal["title"] == "Session feedback"
    submit = await sandbox.submit_modal(member, opener, {"feedback_text": "good alliance", "feedback_mood": "calm"})
    assert (await submit.response()).content == "thanks: good alliance / mood=calm"


async def test_modal_opened_by_a_button(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    member = world["members"][1]
    post = await sandbox.invoke(world["guild"], member, "feedback_button")
    message = await post.original_message()
    opener = await sandbox.click(member, message, "open_feedback")
    submit = await sandbox.submit_modal(member, opener, {"feedback_text": "ruptures repaired"})
    assert (await submit.response()).content == "thanks: ruptures repaired / mood=-"
    assert submit.payload["message"]["id"] == str(message.id)


async def test_dynamic_item_button_survives_a_bot_restart(
    sandbox: Sandbox, world: dict[str, Any], make_bot: Callable[[], Any]
) -> None:
    member = world["members"][0]
    async with run_bot(make_bot(), sandbox):
        post = await sandbox.invoke(world["guild"], member, "vote")
        message = await post.original_message()
    assert not sandbox.connected

    async with run_bot(make_bot(), sandbox) as second:
        click = await sandbox.click(member, message, "vote:yes")
        response = await click.response()
        assert response.content == f"voted yes (bot #{second.serial})" and response.ephemeral
    assert sandbox.hub.identifies == 2


async def test_string_select_updates_the_message(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    member = world["members"][0]
    post = await sandbox.invoke(world["guild"], member, "topics", channel=world["quiz"])
    message = await post.original_message()
    pick = await sandbox.select(member, message, "topics", ["empathy", "rupture"])
    response = await pick.response()
    assert response.type == 7
    updated = sandbox.message(message.id)
    assert updated.content == "picked empathy, rupture" and updated.components == []
    assert updated.history[0]["content"] == "Pick topics"


async def test_user_select_resolves_members(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    member, buddy = world["members"][0], world["members"][1]
    post = await sandbox.invoke(world["guild"], member, "topics")
    message = await post.original_message()
    pick = await sandbox.select(member, message, "buddy", [buddy])
    assert (await pick.response()).content == "buddy Trainee B"
    assert pick.payload["data"]["resolved"]["members"][str(buddy.id)]["roles"] == []


async def test_commands_work_in_dms(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    ix = await sandbox.invoke(None, world["members"][0], "ping")
    assert (await ix.response()).content == "pong"
    assert ix.payload["context"] == 1 and "user" in ix.payload and "member" not in ix.payload
    assert sandbox.dms(world["members"][0])[0].content == "pong"
