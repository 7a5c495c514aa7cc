"""Reflective prompts: the group's weekly prompts, custom prompts and the server's prompt settings."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.cache import GuildCache, ids_per_guild
from bot.db.connection import Database
from bot.db.models import from_unix, to_unix


@dataclass(frozen=True)
class GroupPrompt:
    """A prompt posted to the group."""

    id: int
    guild_id: int
    prompt_id: str
    element: str
    channel_id: int
    message_id: int | None
    thread_id: int | None
    posted_at: datetime


@dataclass(frozen=True)
class CustomPrompt:
    """A prompt a server wrote for itself."""

    prompt_id: str
    element: str
    stage: str
    function: str | None
    text: str


class ReflectRepository:
    """Group prompt history, custom prompts and settings."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # Read on every click and every fan-out item, changed by a supervisor now and then.
        self._cache: GuildCache[Any] = GuildCache(db)

    async def lean_toward_weakest(self, guild_id: int) -> bool:
        """Whether the group prompt leans toward the element the group finds hardest (on by default)."""
        row = await self._db.fetchone(
            "SELECT lean_toward_weakest FROM reflect_settings WHERE guild_id = ?", (guild_id,)
        )
        return True if row is None else bool(row["lean_toward_weakest"])

    async def set_lean(self, guild_id: int, lean: bool) -> None:
        """Turn the quiz-aware lean on or off."""
        await self._db.write(
            "INSERT INTO reflect_settings (guild_id, lean_toward_weakest) VALUES (?, ?)"
            " ON CONFLICT (guild_id) DO UPDATE SET lean_toward_weakest = excluded.lean_toward_weakest",
            (guild_id, int(lean)),
        )

    async def record_group_prompt(
        self, guild_id: int, prompt_id: str, element: str, channel_id: int, now: datetime, restart_element: bool
    ) -> int:
        """Record a posted prompt; when its element restarted, earlier uses of it stop counting."""
        async with self._db.transaction() as conn:
            if restart_element:
                await conn.execute(
                    "UPDATE group_prompts SET in_cycle = 0 WHERE guild_id = ? AND element = ?", (guild_id, element)
                )
            async with conn.execute(
                "INSERT INTO group_prompts (guild_id, prompt_id, element, channel_id, posted_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (guild_id, prompt_id, element, channel_id, to_unix(now)),
            ) as cur:
                assert cur.lastrowid is not None  # an INSERT without ON CONFLICT always sets it
                return cur.lastrowid

    async def group_prompt(self, group_prompt_id: int) -> GroupPrompt | None:
        """Return one posted group prompt by its record id."""
        row = await self._db.fetchone(
            "SELECT id, guild_id, prompt_id, element, channel_id, message_id, thread_id, posted_at FROM group_prompts"
            " WHERE id = ?",
            (group_prompt_id,),
        )
        if row is None:
            return None
        return GroupPrompt(
            id=row["id"],
            guild_id=row["guild_id"],
            prompt_id=row["prompt_id"],
            element=row["element"],
            channel_id=row["channel_id"],
            message_id=row["message_id"],
            thread_id=row["thread_id"],
            posted_at=from_unix(row["posted_at"]),
        )

    async def set_posted(self, group_prompt_id: int, message_id: int, thread_id: int | None) -> None:
        """Remember where the prompt and its thread are."""
        await self._db.write(
            "UPDATE group_prompts SET message_id = ?, thread_id = ? WHERE id = ?",
            (message_id, thread_id, group_prompt_id),
        )

    async def elements_in_order(self, guild_id: int) -> list[str]:
        """Return the elements of the server's group prompts, oldest first."""
        rows = await self._db.fetchall(
            "SELECT element FROM group_prompts WHERE guild_id = ? ORDER BY posted_at, id", (guild_id,)
        )
        return [r["element"] for r in rows]

    async def used_in_cycle(self, guild_id: int) -> set[str]:
        """Return prompt ids used since each element last restarted."""
        rows = await self._db.fetchall(
            "SELECT prompt_id FROM group_prompts WHERE guild_id = ? AND in_cycle = 1", (guild_id,)
        )
        return {r["prompt_id"] for r in rows}

    async def latest_group_prompt(self, guild_id: int) -> GroupPrompt | None:
        """Return the most recent group prompt (its thread is where journal entries can be shared)."""
        row = await self._db.fetchone(
            "SELECT id, guild_id, prompt_id, element, channel_id, message_id, thread_id, posted_at FROM group_prompts"
            " WHERE guild_id = ? ORDER BY posted_at DESC, id DESC LIMIT 1",
            (guild_id,),
        )
        if row is None:
            return None
        return GroupPrompt(
            id=row["id"],
            guild_id=row["guild_id"],
            prompt_id=row["prompt_id"],
            element=row["element"],
            channel_id=row["channel_id"],
            message_id=row["message_id"],
            thread_id=row["thread_id"],
            posted_at=from_unix(row["posted_at"]),
        )

    async def add_custom(
        self, guild_id: int, prompt_id: str, element: str, stage: str, function: str | None, text: str, now: datetime
    ) -> None:
        """Store a server's own prompt."""
        try:
            await self._add_custom(guild_id, prompt_id, element, stage, function, text, now)
        finally:
            self._cache.invalidate(guild_id)

    async def _add_custom(
        self, guild_id: int, prompt_id: str, element: str, stage: str, function: str | None, text: str, now: datetime
    ) -> None:
        await self._db.write(
            "INSERT INTO custom_prompts (guild_id, prompt_id, element, stage, function, text, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (guild_id, prompt_id, element, stage, function, text, to_unix(now)),
        )

    async def custom_prompts(self, guild_id: int) -> list[CustomPrompt]:
        """Return the server's own prompts, oldest first."""
        value: list[CustomPrompt] = await self._cache.get_from(guild_id, "custom", self._custom_prompts_many)
        return value

    async def _custom_prompts_many(self, guild_ids: list[int]) -> dict[int, list[CustomPrompt]]:
        rows = await self._db.fetchall(
            "SELECT guild_id, prompt_id, element, stage, function, text FROM custom_prompts"
            f" WHERE guild_id IN ({','.join('?' * len(guild_ids))}) ORDER BY created_at, prompt_id",
            guild_ids,
        )
        found: dict[int, list[CustomPrompt]] = {g: [] for g in guild_ids}
        for r in rows:
            found[r["guild_id"]].append(
                CustomPrompt(r["prompt_id"], r["element"], r["stage"], r["function"], r["text"])
            )
        return found

    async def disable(self, guild_id: int, prompt_id: str) -> bool:
        """Switch a prompt off for the server; False if it already was."""
        try:
            return await self._disable(guild_id, prompt_id)
        finally:
            self._cache.invalidate(guild_id)

    async def _disable(self, guild_id: int, prompt_id: str) -> bool:
        return (
            await self._db.execute(
                "INSERT INTO disabled_prompts (guild_id, prompt_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (guild_id, prompt_id),
            )
            == 1
        )

    async def disabled(self, guild_id: int) -> set[str]:
        """Return the prompt ids the server switched off."""
        value: set[str] = await self._cache.get_from(guild_id, "disabled", self._disabled_many)
        return value

    async def _disabled_many(self, guild_ids: list[int]) -> dict[int, set[str]]:
        return await ids_per_guild(self._db, "disabled_prompts", "prompt_id", guild_ids)

    async def warm(self, guild_ids: Collection[int]) -> None:
        """Read many servers' own and switched-off prompts in one go (a DM batch's servers) into the cache."""
        await self._cache.warm(guild_ids, "custom", self._custom_prompts_many)
        await self._cache.warm(guild_ids, "disabled", self._disabled_many)
