"""Discord limits: violations are refused with Discord's error and recorded for the fixture."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from discord_sandbox import Sandbox, limits


async def test_too_long_content_is_rejected_and_recorded(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    ix = await sandbox.invoke(world["guild"], world["members"][0], "toolong")
    assert (await ix.response()).content == "error 50035"
    assert bot.errors == [50035]
    assert ix.rejected and ix.rejected[0][0] == 400
    violations = sandbox.take_violations()
    assert len(violations) == 1 and "data.content" in violations[0] and "2000" in violations[0]


async def test_second_initial_response_is_rejected_and_recorded(
    sandbox: Sandbox, world: dict[str, Any], bot: Any
) -> None:
    ix = await sandbox.invoke(world["guild"], world["members"][0], "twice")
    assert (await ix.response()).content == "first"
    assert (await ix.next_followup()).content == "error 40060"
    assert bot.errors == [40060]
    [violation] = sandbox.take_violations()
    assert "second initial response" in violation
    assert [m.content for m in sandbox.messages(ix.channel)] == ["first"]


async def test_late_initial_response_is_unknown_interaction(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    sandbox.interactions.deadline = 0.0  # every answer is "late" without waiting three seconds
    ix = await sandbox.invoke(world["guild"], world["members"][0], "ping")
    await sandbox.wait_for(lambda: ix.rejected, what="the late answer")
    assert ix.rejected[0][0] == 404 and ix.initial is None
    [violation] = sandbox.take_violations()
    assert "10062" in violation


async def test_invalid_command_registration_is_refused(sandbox: Sandbox, world: dict[str, Any], bot: Any) -> None:
    bad = [{"name": "Bad Name", "description": "", "type": 1}]
    with pytest.raises(discord.HTTPException) as info:
        await bot.http.bulk_upsert_global_commands(sandbox.application_id, bad)
    assert info.value.code == 50035
    violations = sandbox.take_violations()
    assert any("name" in v for v in violations) and any("description" in v for v in violations)


def _row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


def _button(i: int, label: str = "ok") -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": label, "custom_id": f"b{i}"}


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"content": "x" * 2001}, "content"),
        ({"embeds": [{"title": "t"}] * 11}, "embeds"),
        ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, "embeds"),
        ({"embeds": [{"title": "t" * 257}]}, "embeds.0.title"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "embeds.0.fields.0.value"),
        ({"embeds": [{"footer": {"text": "f" * 2049}}]}, "embeds.0.footer.text"),
        ({"components": [_row(_button(i)) for i in range(6)]}, "components"),
        ({"components": [_row(*[_button(i) for i in range(6)])]}, "components.0.components"),
        ({"components": [_row(_button(1, "l" * 81))]}, "components.0.components.0.label"),
        ({"components": [_row({"type": 2, "style": 1, "label": "x", "custom_id": "c" * 101})]}, "custom_id"),
        ({"components": [_row(_button(1), {"type": 2, "style": 1, "label": "y", "custom_id": "b1"})]}, "custom_id"),
        (
            {
                "components": [
                    _row({"type": 3, "custom_id": "s", "options": [{"label": "o", "value": str(i)} for i in range(26)]})
                ]
            },
            "components.0.components.0.options",
        ),
    ],
)
def test_message_limits(body: dict[str, Any], path: str) -> None:
    problems = limits.check_message(body)
    assert problems and any(path in p for p, _, _ in problems)


def test_limits_accept_a_full_but_legal_message() -> None:
    body = {
        "content": "x" * 2000,
        "embeds": [{"title": "t" * 256, "description": "d" * 4096, "footer": {"text": "f" * 1000}}],
        "components": [_row(*[_button(r * 5 + i) for i in range(5)]) for r in range(5)],
    }
    assert limits.check_message(body) == []


def test_modal_and_autocomplete_limits() -> None:
    text_input = {"type": 4, "custom_id": "t", "label": "l" * 46, "style": 1}
    modal = {"title": "m" * 46, "custom_id": "m", "components": [_row(text_input)]}
    paths = [p for p, _, _ in limits.check_modal(modal)]
    assert "data.title" in paths and "data.components.0.components.0.label" in paths
    choices = {"choices": [{"name": str(i), "value": str(i)} for i in range(26)]}
    assert [p for p, _, _ in limits.check_autocomplete(choices)] == ["data.choices"]


def test_command_limits() -> None:
    option = {"type": 3, "name": "o", "description": "d"}
    too_many = {"name": "big", "description": "d", "options": [dict(option, name=f"o{i}") for i in range(26)]}
    choices = {
        "type": 3,
        "name": "c",
        "description": "d",
        "choices": [{"name": "n", "value": str(i)} for i in range(26)],
    }
    problems = limits.check_commands([too_many, {"name": "ok", "description": "d", "options": [choices]}])
    paths = [p for p, _, _ in problems]
    assert "0.options" in paths and "1.options.0.choices" in paths
    assert limits.check_commands([{"name": "x" * 33, "description": "d"}])
    assert limits.check_commands([{"name": "fine-name_1", "description": "d"}]) == []


def test_command_localizations_follow_the_default_names_rules() -> None:
    good = {
        "name": "week",
        "description": "d",
        "name_localizations": {"de": "woche", "fr": "semaine"},
        "description_localizations": {"de": "Die Woche"},
        "options": [
            {
                "type": 3,
                "name": "element",
                "description": "d",
                "name_localizations": {"de": "element"},
                "choices": [{"name": "Empathy", "value": "empathy", "name_localizations": {"de": "Empathie"}}],
            }
        ],
    }
    assert limits.check_commands([good]) == []
    bad = {
        "name": "week",
        "description": "d",
        # Upper case, a space, an unknown locale, and a description past 100.
        "name_localizations": {"de": "Woche", "fr": "la semaine", "xx": "week"},
        "description_localizations": {"de": "d" * 101},
        "options": [
            {"type": 3, "name": "first", "description": "d", "name_localizations": {"de": "zeit"}},
            # Its German name is the same as its sibling's German name.
            {"type": 3, "name": "second", "description": "d", "name_localizations": {"de": "zeit"}},
            {
                "type": 3,
                "name": "third",
                "description": "d",
                "choices": [{"name": "n", "value": "n", "name_localizations": {"de": ""}}],
            },
        ],
    }
    codes = {(p, code) for p, code, _ in limits.check_commands([bad])}
    assert ("0.name_localizations.de", "APPLICATION_COMMAND_INVALID_NAME") in codes
    assert ("0.name_localizations.fr", "APPLICATION_COMMAND_INVALID_NAME") in codes
    assert ("0.name_localizations.xx", "BASE_TYPE_CHOICES") in codes
    assert ("0.description_localizations.de", "BASE_TYPE_BAD_LENGTH") in codes
    assert ("0.options.1.name_localizations.de", "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME") in codes
    assert ("0.options.2.choices.0.name_localizations.de", "BASE_TYPE_BAD_LENGTH") in codes
    # Two commands whose German names collide, though their default names differ.
    twins = [
        {"name": "one", "description": "d", "name_localizations": {"de": "eins"}},
        {"name": "eins", "description": "d"},
    ]
    assert [code for _, code, _ in limits.check_commands(twins)] == ["APPLICATION_COMMANDS_DUPLICATE_NAME"]
