"""The demo's stage: a sandbox, the real bot on a temporary database, and helpers to act and record."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.client import SupervisionBot
from bot.config import BotConfig, Config, DiscordConfig, StorageConfig
from bot.demo.transcript import Transcript
from bot.sandbox import Sandbox
from bot.sandbox.models import Member, Message
from bot.scheduling import ManualClock


def component(source: Any, *, label: str | None = None, kind: int | None = None, index: int = 0) -> str:
    """Find a component's custom_id by its label, or the index-th one of a type (2 button, 3 select)."""
    rows = source.components if hasattr(source, "components") else source
    found = [
        comp
        for row in rows or []
        for comp in row.get("components", [])
        if (label is None or comp.get("label", "").startswith(label)) and (kind is None or comp.get("type") == kind)
    ]
    return found[index]["custom_id"]


@dataclass
class Stage:
    """Everything a scene needs."""

    sandbox: Sandbox
    bot: SupervisionBot
    clock: ManualClock
    transcript: Transcript
    output: Path
    names: dict[int, str] = field(default_factory=dict)
    images: int = 0

    def name(self, member: Member) -> str:
        """The name other members see."""
        return self.names.get(member.user.id) or member.nick or member.user.global_name or member.user.name

    async def command(self, guild: Any, member: Member, command: str, **options: Any) -> Any:
        """Run a slash command as a member and record the bot's (possibly deferred) answer."""
        shown = " ".join(f"{k}:{getattr(v, 'name', v)}" for k, v in options.items())
        self.transcript.action(self.name(member), f"/{command} {shown}".strip())
        ix = await self.sandbox.invoke(guild, member, command, options=options)
        response = await ix.response()
        if response.type == 5:  # deferred: the answer arrives as a followup
            message = await ix.original_message(predicate=lambda m: bool(m.content or m.embeds or m.attachments))
            self.show_message(message, private_to=self.name(member) if message.flags & 64 else None)
            return message
        if response.type == 9:
            return ix
        self.show_response(response, member)
        return response

    async def click(self, member: Member, message: Any, custom_id: str, what: str) -> Any:
        """Press a button and record the answer."""
        self.transcript.action(self.name(member), f"presses {what}")
        ix = await self.sandbox.click(member, message, custom_id)
        response = await ix.response()
        if response.type != 9:
            self.show_response(response, member)
        return ix, response

    def show_response(self, response: Any, member: Member) -> None:
        private = self.name(member) if response.ephemeral else None
        self.transcript.bot(
            response.content, embeds=response.embeds, components=response.components, private_to=private
        )

    def show_message(self, message: Message, *, private_to: str | None = None, where: str = "") -> None:
        """Record a message, saving its PNG attachments beside the transcript."""
        images = []
        for attachment in message.attachments:
            if attachment.filename.endswith(".png"):
                self.images += 1
                name = f"{self.images:02d}-{attachment.filename}"
                (self.output / name).write_bytes(attachment.data)
                images.append(name)
        self.transcript.bot(
            message.content,
            embeds=message.embeds,
            components=message.components,
            private_to=private_to,
            where=where,
            images=images,
        )

    async def advance_to(self, moment: datetime) -> None:
        """Move the bot's clock to a moment, in hourly steps, running everything that falls due."""
        while self.clock() < moment:
            step = min(timedelta(hours=1), moment - self.clock())
            fires = await self.bot.scheduler.advance(step)
            await self.bot.scheduler.wait_finished(fires)


@contextlib.asynccontextmanager
async def open_stage(output: Path, start: datetime, workdir: Path, echo: bool = True) -> AsyncIterator[Stage]:
    """Start the sandbox and the real bot (no token, no network), and stop both afterwards."""
    output.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once, before anything runs
    sandbox = Sandbox(validate_schema=False)
    await sandbox.start()
    config = Config(
        path=str(workdir / "demo.toml"),
        discord=DiscordConfig(api_base=sandbox.api_base),
        storage=StorageConfig(database=str(workdir / "demo.sqlite3")),
        bot=BotConfig(log_level="WARNING"),
    )
    clock = ManualClock(start)
    bot = SupervisionBot(config, clock=clock, guild_ready_timeout=0.05)
    task = asyncio.create_task(bot.start(sandbox.token))
    try:
        await sandbox.wait_for_bot(timeout=30)
        await sandbox.sync_gateway()
        await asyncio.wait_for(bot.scheduler_started.wait(), timeout=30)
        yield Stage(sandbox, bot, clock, Transcript(echo), output)
    finally:
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await sandbox.stop()
