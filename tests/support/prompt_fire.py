"""The weekly group prompt as scheduled work: set it up, and read what members see of it and what /status says."""

from __future__ import annotations

from tests.e2e.conftest import Harness, embed_text, set_up_group
from tests.support.db import db_rows

REFLECT_COGS = ("about", "admin", "reflect")
CHECKIN_COGS = ("about", "admin", "checkin")
THREADS = "/channels/{channel_id}/messages/{message_id}/threads"
MESSAGES = "/channels/{channel_id}/messages"
# discord.py retries a 429 on its own five times; one more outlasts it.
DISCORD_PY_TRIES = 5


def prompt_posts(h: Harness) -> list:  # type: ignore[type-arg]
    return [
        m
        for m in h.sandbox.messages(h.group.channels["prompts"])
        if m.embeds and "reflective prompt" in m.embeds[0]["title"]
    ]


def threads(h: Harness) -> list:  # type: ignore[type-arg]
    guild = h.group.guild
    return [c for c in h.sandbox.world.channels.values() if c.guild_id == guild.id and c.is_thread]


def fire(h: Harness, kind: str) -> tuple[str, str]:
    rows = db_rows(h.db_path, "SELECT status, detail FROM fires WHERE kind = ?", kind)
    assert len(rows) == 1, rows
    return rows[0]


async def status_text(h: Harness) -> str:
    return embed_text((await h.run(h.group.supervisor, "status")).embeds)


async def weekly_prompt(h: Harness) -> None:
    await set_up_group(h)
    await h.run(h.group.supervisor, "schedule set", kind="reflective_prompt", days="Mon", time="10:00")
