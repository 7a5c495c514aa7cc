"""/about through the sandbox: the wiring end to end."""

from __future__ import annotations

from dataclasses import replace

from tests.e2e.conftest import embed_text, running


async def test_about_shows_version_uptime_and_privacy_pointer(make_harness) -> None:
    async with make_harness(cogs=("about", "admin", "quiz")) as h:
        response = await h.run(h.group.trainees[0], "about")
        assert response.ephemeral
        text = embed_text(response.embeds)
        assert "0.1.0" in text
        assert "Uptime" in text and "Gateway latency" in text
        assert "/privacy info" in text


async def test_commands_sync_only_when_the_tree_changes(make_harness, sandbox) -> None:
    path = f"/applications/{sandbox.application_id}/commands"
    async with make_harness(cogs=("about",)) as h:
        config, clock = h.bot.config, h.clock
        assert len(sandbox.requests("PUT", path)) == 1
    # Same commands on restart: no sync. A different tree: one more sync.
    async with running(sandbox, config, clock):
        assert len(sandbox.requests("PUT", path)) == 1
    bigger = replace(config, bot=replace(config.bot, cogs=("about", "admin")))
    async with running(sandbox, bigger, clock):
        assert len(sandbox.requests("PUT", path)) == 2
        assert {c["name"] for c in sandbox.registered_commands()} >= {"about", "setup", "schedule", "privacy"}
