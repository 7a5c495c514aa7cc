"""Channel messages: multipart uploads, threads, permissions computed like discord.py."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from discord_sandbox import Sandbox


async def test_png_upload_is_stored_with_its_bytes(
    sandbox: Sandbox, world: dict[str, Any], bot: Any, tiny_png: bytes
) -> None:
    ix = await sandbox.invoke(world["guild"], world["members"][0], "chart", channel=world["quiz"])
    png = tiny_png
    # The bot read the attachment back through its URL, served by the sandbox.
    assert (await ix.next_followup()).content == f"uploaded {len(png)} bytes"
    [msg] = sandbox.messages(world["quiz"])
    [attachment] = msg.attachments
    assert attachment.filename == "chart.png"
    assert attachment.content_type == "image/png"
    assert attachment.data == png


async def test_thread_creation(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    ix = await sandbox.invoke(
        world["guild"], world["members"][0], "discuss", channel=world["quiz"], options={"name": "Week 1"}
    )
    response = await ix.response()
    thread_id = int(response.content.removeprefix("thread "))
    thread = sandbox.channel(thread_id)
    assert thread.name == "Week 1" and thread.parent_id == world["quiz"].id and thread.type == 11
    assert [m.content for m in sandbox.messages(thread)] == ["Discuss here"]
    assert any(e.method == "SEND" and e.path == "THREAD_CREATE" for e in sandbox.log if e.kind == "gateway")


async def test_thread_creation_refused_without_create_public_threads(
    sandbox: Sandbox, world: dict[str, Any], bot: Any
) -> None:
    sandbox.deny_bot(world["quiz"], "create_public_threads")
    ix = await sandbox.invoke(
        world["guild"], world["members"][0], "discuss", channel=world["quiz"], options={"name": "No"}
    )
    assert (await ix.response()).content == "I may not create threads here"
    assert bot.errors == [50013]
    path = f"/channels/{world['quiz'].id}/threads"
    assert [(e.status, e.response["code"]) for e in sandbox.requests("POST", path)] == [(403, 50013)]


async def test_sending_without_permission_is_forbidden(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    quiz = world["quiz"]
    sandbox.deny_bot(quiz, "send_messages")
    channel = await bot.fetch_channel(quiz.id)
    with pytest.raises(discord.Forbidden) as info:
        await channel.send("hello")
    assert info.value.code == 50013
    sandbox.deny_bot(quiz, "view_channel")
    with pytest.raises(discord.Forbidden) as info:
        await channel.send("hello")
    assert info.value.code == 50001
    assert sandbox.messages(quiz) == []


async def test_permissions_match_discord_py(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    guild = world["guild"]
    role = sandbox.create_role(guild, "Helpers", permissions=discord.Permissions(manage_messages=True))
    member = sandbox.create_member(guild, "Helper", roles=[role])
    ow = discord.PermissionOverwrite
    channels = [
        sandbox.create_text_channel(guild, "open"),
        sandbox.create_text_channel(guild, "hidden", overwrites={"everyone": ow(view_channel=False)}),
        sandbox.create_text_channel(
            guild, "helpers", overwrites={"everyone": ow(view_channel=False), role: ow(view_channel=True)}
        ),
        sandbox.create_text_channel(guild, "readonly", overwrites={"bot": ow(send_messages=False)}),
        sandbox.create_text_channel(guild, "no-embeds", overwrites={"everyone": ow(embed_links=False)}),
    ]
    sandbox.add_roles(sandbox.world.bot_member(guild), role)
    # The bot learns about the new channels and roles over the gateway (GUILDS intent).
    await sandbox.sync_gateway()
    dguild = bot.get_guild(guild.id)
    for ch in channels:
        theirs = bot.get_channel(ch.id).permissions_for(dguild.me).value
        assert sandbox.bot_permissions(ch) == theirs, ch.name
    assert sandbox.permissions_of(member, channels[2]) & discord.Permissions(view_channel=True).value
    assert not sandbox.permissions_of(world["members"][0], channels[2]) & discord.Permissions(view_channel=True).value
