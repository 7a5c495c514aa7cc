"""The demo's stage: a sandbox, the real bot on a temporary database, and helpers to act and record."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from discord import app_commands

from bot import i18n
from bot.client import SupervisionBot
from bot.command_translator import translate_command_string
from bot.config import BotConfig, Config, DiscordConfig, StorageConfig
from bot.demo.labels import has_label
from bot.demo.lines import LINES, Lines
from bot.demo.page import BOT_NAME
from bot.demo.transcript import Entry, Transcript
from bot.scheduling import ManualClock
from discord_sandbox import Sandbox
from discord_sandbox.models import DM, Member, Message, User

# The zone the transcript shows times in: the demo group's. Discord shows each reader their own.
ZONE = ZoneInfo("Europe/London")


def component(
    source: Any,
    *,
    label: str | None = None,
    kind: int | None = None,
    index: int = 0,
    prefix: str | None = None,
    locale: str = i18n.SOURCE,
) -> str:
    """Find a component's custom_id: by its English label (as a member in `locale` sees it), by the start of its
    custom_id (a persistent control's, which no language changes), or the index-th one of a type (2 button, 3 select).
    """
    rows = source.components if hasattr(source, "components") else source
    found = [
        comp
        for row in rows or []
        for comp in row.get("components", [])
        if (label is None or has_label(comp, label, locale))
        and (kind is None or comp.get("type") == kind)
        and (prefix is None or str(comp.get("custom_id", "")).startswith(prefix))
    ]
    if len(found) <= index:
        labels = [comp.get("label") for row in rows or [] for comp in row.get("components", [])]
        raise LookupError(f"no control {label or prefix or kind!r} (#{index}) among {labels}")
    return str(found[index]["custom_id"])


@dataclass
class Stage:
    """Everything a scene needs."""

    sandbox: Sandbox
    bot: SupervisionBot
    clock: ManualClock
    transcript: Transcript
    output: Path
    locale: str = i18n.SOURCE  # the members' Discord language, and the server's preferred one
    names: dict[int, str] = field(default_factory=dict)
    images: int = 0

    @property
    def lines(self) -> Lines:
        """What the people in the demo type, in its language."""
        return LINES[self.locale]

    def control(self, source: Any, label: str) -> str:
        """A control's custom_id by its English label, as the demo's members see it."""
        return component(source, label=label, locale=self.locale)

    def shown_command(self, command: str, options: dict[str, Any]) -> str:
        """A slash command as the member typed it: its name and options as Discord shows them in their language."""
        loc = app_commands.TranslationContextLocation

        def say(word: str, where: app_commands.TranslationContextLocation) -> str:
            return translate_command_string(word, where, self.locale) or word

        words = " ".join(say(word, loc.command_name) for word in command.split())
        shown = " ".join(f"{say(k, loc.parameter_name)}: {getattr(v, 'name', v)}" for k, v in options.items())
        return f"/{words}{' ' + shown if shown else ''}"

    def name(self, member: Member | User) -> str:
        """The name other members see."""
        if isinstance(member, User):
            user, nick = member, None
        else:
            user, nick = member.user, member.nick
        return self.names.get(user.id) or nick or user.global_name or user.name

    def lookup(self, kind: str, snowflake: int) -> str | None:
        """Resolve a channel, role or user id to the name the Discord client would show."""
        world = self.sandbox.world
        if kind == "channel":
            channel = world.channels.get(snowflake)
            return channel.name if channel else None
        if kind == "role":
            roles = (guild.roles.get(snowflake) for guild in world.guilds.values())
            return next((role.name for role in roles if role), None)
        if snowflake == world.bot_user.id:
            return BOT_NAME
        for guild in world.guilds.values():
            if snowflake in guild.members:
                return self.name(guild.members[snowflake])
        user = world.users.get(snowflake)
        return self.name(user) if user else None

    def place(self, channel_id: int) -> str:
        """The heading Discord shows above a channel or DM."""
        channel = self.sandbox.world.channels[channel_id]
        if channel.type == DM:
            recipient = self.sandbox.world.users[channel.recipient_id or 0]
            return f"Direct messages · {self.name(recipient)}"
        if channel.is_thread and channel.parent_id:
            return f"#{self.sandbox.world.channels[channel.parent_id].name} › {channel.name}"
        return f"#{channel.name}"

    def act(self, member: Member, text: str, channel_id: int) -> None:
        """Record something a person did, where and when."""
        self.transcript.add(Entry("action", text, self.name(member), self.place(channel_id), self.clock()))

    async def command(self, guild: Any, member: Member, command: str, show: bool = True, **options: Any) -> Any:
        """Run a slash command as a member and record the bot's (possibly deferred) answer, unless `show` is off."""
        ix = await self.sandbox.invoke(guild, member, command, options=options)
        self.act(member, f"used `{self.shown_command(command, options)}`", ix.channel.id)
        response = await ix.response()
        if response.type == 5:  # deferred: the answer arrives as a followup
            message = await ix.original_message(predicate=lambda m: bool(m.content or m.embeds or m.attachments))
            if show:
                self.show_message(message)
            return message
        if response.type == 9:
            return ix
        if show:
            self.show_response(response)
        return response

    async def click(self, member: Member, message: Any, custom_id: str, what: str) -> Any:
        """Press a button and record the answer; `what` names it in the narration, its own label in another language."""
        message = getattr(message, "message", None) or message
        if self.locale != i18n.SOURCE:
            what = str((message.find_component(custom_id) or {}).get("label") or what)
        self.act(member, f"pressed **{what}**", message.channel_id)
        ix = await self.sandbox.click(member, message, custom_id)
        response = await ix.response()
        if response.type != 9:
            self.show_response(response)
        return ix, response

    async def select(
        self, member: Member, message: Message, custom_id: str, values: list[str], show: bool = True
    ) -> Any:
        """Choose options in a select menu, record the choice by its labels, and show the updated message."""
        menu = message.find_component(custom_id) or {}
        labels = [o["label"] for o in menu.get("options", []) if o.get("value") in values]
        question = menu.get("placeholder") or "the menu"
        self.act(member, f"chooses **{', '.join(labels)}** in “{question}”", message.channel_id)
        response = await (await self.sandbox.select(member, message, custom_id, values)).response()
        if show:
            self.show_response(response)
        return response

    async def fill_form(self, member: Member, opened: Any, values: dict[str, str]) -> Any:
        """Fill in the form (modal) an interaction opened, record it as the member saw it, and show the answer."""
        modal = await opened.modal()
        inputs = [comp for row in modal.get("components", []) for comp in row.get("components", [])]
        typed = [(comp.get("label", ""), values.get(comp["custom_id"], "")) for comp in inputs]
        place = self.place(opened.channel.id)
        self.transcript.add(Entry("form", modal.get("title", ""), self.name(member), place, self.clock(), fields=typed))
        response = await (await self.sandbox.submit_modal(member, opened, values)).response()
        self.show_response(response)
        return response

    def show_response(self, response: Any) -> None:
        """Record the message an interaction response created or updated, as it now looks."""
        if response.message is not None:
            self.show_message(response.message)

    def show_message(self, message: Message) -> None:
        """Record a message, saving its PNG attachments beside the transcript."""
        images = {}
        for attachment in message.attachments:
            if attachment.filename.endswith(".png"):
                self.images += 1
                name = f"{self.images:02d}-{attachment.filename}"
                (self.output / name).write_bytes(attachment.data)
                images[attachment.filename] = name
        invoker = (message.interaction_metadata or {}).get("user", {}).get("id")
        seen_by = self.lookup("user", int(invoker)) if message.ephemeral and invoker else None
        self.transcript.add(
            Entry(
                "message",
                message.content,
                BOT_NAME,
                self.place(message.channel_id),
                self.clock(),
                embeds=message.embeds,
                components=message.components,
                ephemeral_to=(seen_by or "you") if message.ephemeral else None,
                images=images,
                message_id=message.id,
            )
        )

    async def advance_to(self, moment: datetime) -> None:
        """Move the bot's clock to a moment, in hourly steps, running everything that falls due."""
        while self.clock() < moment:
            step = min(timedelta(hours=1), moment - self.clock())
            fires = await self.bot.scheduler.advance(step)
            await self.bot.scheduler.wait_finished(fires)


@contextlib.asynccontextmanager
async def open_stage(
    output: Path, start: datetime, workdir: Path, echo: bool = True, locale: str = i18n.SOURCE
) -> AsyncIterator[Stage]:
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
        # The transcript shows timestamps as the members' Discord does: British English, or their language.
        shown_in = "en-GB" if locale == i18n.SOURCE else locale
        transcript = Transcript(lambda kind, key: None, ZONE, echo, shown_in)
        stage = Stage(sandbox, bot, clock, transcript, output, locale)
        stage.transcript.lookup = stage.lookup
        yield stage
    finally:
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await sandbox.stop()
