"""/about through the sandbox: the wiring end to end."""

from __future__ import annotations

from tests.e2e.conftest import embed_text


async def test_about_shows_version_uptime_and_privacy_pointer(make_harness) -> None:
    async with make_harness(cogs=("about", "admin", "quiz")) as h:
        response = await h.run(h.group.trainees[0], "about")
        assert response.ephemeral
        text = embed_text(response.embeds)
        assert "0.1.0" in text
        assert "Uptime" in text and "Gateway latency" in text
        assert "/privacy info" in text
