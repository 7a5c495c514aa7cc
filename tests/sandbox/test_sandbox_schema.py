"""OpenAPI request validation: invalid bodies are refused and recorded; missing spec turns it off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import discord
import pytest

from discord_sandbox import Sandbox
from discord_sandbox.schema import REQUIRE_SPEC_ENV, SPEC_ENV, default_spec_path, validator_for
from tests.support.sandbox import running_sandbox


async def test_invalid_body_is_caught_by_the_schema(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    if not sandbox.schema_validation_enabled:
        pytest.skip("Discord OpenAPI spec (or jsonschema) not available")
    route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=world["quiz"].id)
    with pytest.raises(discord.HTTPException) as info:
        await bot.http.request(route, json={"content": "hi", "tts": "yes please"})
    assert info.value.status == 400 and info.value.code == 50035
    [violation] = sandbox.take_violations()
    assert "schema" in violation and "tts" in violation
    assert sandbox.messages(world["quiz"]) == []


async def test_snowflakes_sent_as_integers_are_accepted(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    # discord.py sends {"recipient_id": <int>}; the spec's SnowflakeType is a string, Discord accepts both.
    dm = await bot.http.start_private_message(world["members"][0].id)
    assert int(dm["id"]) == sandbox.dm_channel(world["members"][0]).id


def test_missing_spec_disables_validation(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(SPEC_ENV, str(tmp_path / "absent.json"))
    assert default_spec_path() is None
    assert validator_for(None) is None


async def test_sandbox_works_without_the_spec(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(SPEC_ENV, str(tmp_path / "absent.json"))
    monkeypatch.delenv(REQUIRE_SPEC_ENV, raising=False)
    async with running_sandbox() as sb:
        assert not sb.schema_validation_enabled
        assert sb.api_base.startswith("http://127.0.0.1:")


async def test_required_spec_that_is_missing_fails_loudly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(SPEC_ENV, str(tmp_path / "absent.json"))
    monkeypatch.setenv(REQUIRE_SPEC_ENV, "1")
    sb = Sandbox()
    with pytest.raises(RuntimeError, match="schema validation required"):
        await sb.start()
    await sb.stop()


def _rich_payloads() -> dict[str, dict[str, Any]]:
    """Message bodies exactly as discord.py builds them, covering embeds, every select, v2 layouts, polls."""
    import datetime

    from discord.http import handle_message_parameters

    embed = discord.Embed(title="t", description="d", colour=discord.Colour.blue(), timestamp=datetime.datetime.now())
    embed.add_field(name="n", value="v").set_footer(text="f").set_author(name="a").set_image(url="https://x.test/i.png")
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="b", custom_id="b", emoji="👍"))
    view.add_item(discord.ui.Button(label="link", url="https://x.test"))
    view.add_item(discord.ui.Select(custom_id="s", options=[discord.SelectOption(label="x", description="d")]))
    view.add_item(discord.ui.UserSelect(custom_id="u"))
    view.add_item(discord.ui.ChannelSelect(custom_id="c", channel_types=[discord.ChannelType.text]))
    layout = discord.ui.LayoutView()
    section = discord.ui.Section(discord.ui.TextDisplay("s"), accessory=discord.ui.Button(label="a", custom_id="a"))
    layout.add_item(discord.ui.Container(discord.ui.TextDisplay("hello"), discord.ui.Separator(), section))
    poll = discord.Poll(question="q?", duration=datetime.timedelta(hours=1))
    poll.add_answer(text="a")
    mentions = discord.AllowedMentions(everyone=False, users=[discord.Object(5)], roles=False, replied_user=False)
    cases = {
        "embed+view": {"content": "hi", "embed": embed, "view": view, "allowed_mentions": mentions},
        "layout": {"view": layout},
        "poll": {"poll": poll},
        "silent": {"content": "s", "flags": discord.MessageFlags(suppress_notifications=True)},
    }
    return {name: handle_message_parameters(**kwargs).payload or {} for name, kwargs in cases.items()}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/channels/1/messages"),
        ("PATCH", "/channels/1/messages/2"),
        ("POST", "/webhooks/1/token"),
        ("PATCH", "/webhooks/1/token/messages/@original"),
    ],
)
def test_discord_py_payloads_pass_the_schema(method: str, path: str) -> None:
    validator = validator_for(None)
    if validator is None:
        pytest.skip("Discord OpenAPI spec (or jsonschema) not available")
    for name, payload in _rich_payloads().items():
        assert validator.validate(method, path, payload) == [], name
