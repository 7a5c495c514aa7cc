"""A small toy bot driven end to end through the sandbox, plus the shared `sandbox` fixture."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from discord_sandbox import Sandbox, use_discovered_gateway
from tests.support.sandbox import run_bot, sandbox  # noqa: F401  (the fixture is used by name)


def make_png(width: int = 2, height: int = 3) -> bytes:
    """A valid PNG, built by hand so the tests need no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


class VoteButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"vote:(?P<choice>[a-z]+)"):
    """A persistent button whose state lives in its custom_id, so it survives bot restarts."""

    def __init__(self, choice: str) -> None:
        super().__init__(discord.ui.Button(label=f"Vote {choice}", custom_id=f"vote:{choice}"))
        self.choice = choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: re.Match[str]
    ) -> VoteButton:
        return cls(match["choice"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"voted {self.choice} (bot #{interaction.client.serial})", ephemeral=True
        )


class FeedbackModal(discord.ui.Modal, title="Session feedback"):
    """A modal mixing a Label-wrapped input (discord.py 2.7 style) and a classic TextInput row."""

    def __init__(self) -> None:
        super().__init__(custom_id="feedback_modal")
        self.body = discord.ui.TextInput(custom_id="feedback_text", style=discord.TextStyle.long, max_length=500)
        self.add_item(discord.ui.Label(text="What went well?", component=self.body))
        self.mood = discord.ui.TextInput(label="Mood", custom_id="feedback_mood", required=False)
        self.add_item(self.mood)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.body.value} / mood={self.mood.value or '-'}")


class OpenModalView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Give feedback", custom_id="open_feedback")
    async def open(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_modal(FeedbackModal())


class TopicView(discord.ui.View):
    @discord.ui.select(
        custom_id="topics",
        min_values=1,
        max_values=2,
        options=[discord.SelectOption(label=t.title(), value=t) for t in ("empathy", "alliance", "rupture")],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select[Any]) -> None:
        await interaction.response.edit_message(content=f"picked {', '.join(select.values)}", view=None)

    @discord.ui.select(cls=discord.ui.UserSelect, custom_id="buddy")
    async def buddy(self, interaction: discord.Interaction, select: discord.ui.UserSelect[Any]) -> None:
        await interaction.response.send_message(f"buddy {select.values[0].display_name}", ephemeral=True)


class ToyBot(commands.Bot):
    """Intents: guilds only. Points discord.py at `api_base`, discovers the gateway, syncs its tree."""

    instances = 0

    def __init__(self, api_base: str, intents: discord.Intents | None = None) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents or discord.Intents.none() | discord.Intents(guilds=True),
            guild_ready_timeout=0.05,
        )
        ToyBot.instances += 1
        self.serial = ToyBot.instances
        self.api_base = api_base
        self.events: list[str] = []
        self.errors: list[int] = []
        self.on_interaction_hook: Callable[[discord.Interaction], Any] | None = None
        _register_commands(self)

    async def start(self, token: str, *, reconnect: bool = True) -> None:
        discord.http.Route.BASE = self.api_base  # must be set before login's GET /users/@me
        await super().start(token, reconnect=reconnect)

    async def setup_hook(self) -> None:
        await use_discovered_gateway(self)
        self.add_dynamic_items(VoteButton)
        self.add_view(OpenModalView())
        await self.tree.sync()

    async def on_resumed(self) -> None:
        self.events.append("resumed")

    async def on_message(self, message: discord.Message) -> None:
        if message.author != self.user and message.content == "hello bot":
            await message.channel.send(f"hello {message.author.display_name}")


def _register_commands(bot: ToyBot) -> None:
    tree = bot.tree

    @tree.command(description="Public pong")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    @tree.command(description="An ephemeral answer")
    async def secret(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("only you can see this", ephemeral=True)

    @tree.command(description="Echo text without pinging anyone")
    @app_commands.describe(text="What to repeat")
    async def echo(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(text, allowed_mentions=discord.AllowedMentions.none())

    @tree.command(description="Think, then answer in a followup")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("done thinking")
        await interaction.edit_original_response(content="done thinking (edited)")

    @tree.command(description="Answers with content over the 2000 limit")
    async def toolong(interaction: discord.Interaction) -> None:
        try:
            await interaction.response.send_message("x" * 2001)
        except discord.HTTPException as exc:
            bot.errors.append(exc.code)
            await interaction.response.send_message(f"error {exc.code}", ephemeral=True)

    @tree.command(description="Answers twice (the second must be refused)")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("first")
        route = discord.http.Route(
            "POST",
            "/interactions/{webhook_id}/{webhook_token}/callback",
            webhook_id=interaction.id,
            webhook_token=interaction.token,
        )
        try:
            await bot.http.request(route, json={"type": 4, "data": {"content": "second"}})
        except discord.HTTPException as exc:
            bot.errors.append(exc.code)
            await interaction.followup.send(f"error {exc.code}", ephemeral=True)

    @tree.command(description="Open the feedback modal")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackModal())

    @tree.command(description="Post a message with a feedback button")
    async def feedback_button(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Tell us", view=OpenModalView())

    @tree.command(description="Start a vote with persistent buttons")
    async def vote(interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(VoteButton("yes"))
        view.add_item(VoteButton("no"))
        await interaction.response.send_message("Vote!", view=view)

    @tree.command(description="Post an announcement in this channel")
    @app_commands.describe(text="Announcement text")
    async def announce(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer(ephemeral=True)
        assert isinstance(interaction.channel, discord.abc.Messageable)
        await interaction.channel.send(text)
        await interaction.followup.send("posted", ephemeral=True)

    @tree.command(description="DM each given member")
    async def remind(
        interaction: discord.Interaction, first: discord.Member, second: discord.Member, third: discord.Member
    ) -> None:
        await interaction.response.defer(ephemeral=True)
        sent, skipped = [], []
        for member in (first, second, third):
            try:
                await member.send(f"Reminder for {member.display_name}")
                sent.append(member.id)
            except discord.Forbidden as exc:
                bot.errors.append(exc.code)
                skipped.append(member.id)
        await interaction.followup.send(f"sent {len(sent)}, skipped {len(skipped)}", ephemeral=True)

    @tree.command(description="Upload a chart")
    async def chart(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        assert isinstance(interaction.channel, discord.TextChannel)
        msg = await interaction.channel.send("chart", file=discord.File(_bytes_io(make_png()), "chart.png"))
        data = await msg.attachments[0].read()
        await interaction.followup.send(f"uploaded {len(data)} bytes", ephemeral=True)

    @tree.command(description="Open a discussion thread")
    @app_commands.describe(name="Thread name")
    async def discuss(interaction: discord.Interaction, name: str) -> None:
        assert isinstance(interaction.channel, discord.TextChannel)
        try:
            thread = await interaction.channel.create_thread(name=name, type=discord.ChannelType.public_thread)
        except discord.Forbidden as exc:
            bot.errors.append(exc.code)
            await interaction.response.send_message("I may not create threads here", ephemeral=True)
            return
        await thread.send("Discuss here")
        await interaction.response.send_message(f"thread {thread.id}", ephemeral=True)

    @tree.command(description="Pick a timezone")
    @app_commands.describe(timezone="An IANA timezone")
    async def setup(interaction: discord.Interaction, timezone: str) -> None:
        await interaction.response.send_message(f"timezone {timezone}", ephemeral=True)

    @setup.autocomplete("timezone")
    async def _zones(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        zones = ["Europe/London", "Europe/Lisbon", "Europe/Berlin", "America/New_York"]
        return [app_commands.Choice(name=z, value=z) for z in zones if z.lower().startswith(current.lower())]

    @tree.context_menu(name="Profile")
    async def profile(interaction: discord.Interaction, member: discord.Member) -> None:
        await interaction.response.send_message(f"profile of {member.display_name}", ephemeral=True)

    @tree.command(description="Choose topics from a menu")
    async def topics(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Pick topics", view=TopicView())

    group = app_commands.Group(name="schedule", description="Schedule things")

    @group.command(name="set", description="Set a schedule")
    @app_commands.describe(kind="What to schedule", hour="Hour of day", where="Channel")
    @app_commands.choices(kind=[app_commands.Choice(name="Quiz opens", value="quiz_opens")])
    async def schedule_set(
        interaction: discord.Interaction, kind: str, hour: app_commands.Range[int, 0, 23], where: discord.TextChannel
    ) -> None:
        await interaction.response.send_message(f"{kind} at {hour}h in {where.mention}", ephemeral=True)

    tree.add_command(group)


def _bytes_io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


@pytest.fixture
def tiny_png() -> bytes:
    """The PNG the toy bot's /chart command uploads."""
    return make_png()


@pytest.fixture
def make_bot(sandbox: Sandbox) -> Callable[..., ToyBot]:  # noqa: F811
    """A factory for fresh ToyBot instances pointed at the test's sandbox (optionally other intents)."""
    return lambda intents=None: ToyBot(sandbox.api_base, intents)


@pytest.fixture
def world(sandbox: Sandbox) -> dict[str, Any]:  # noqa: F811
    """A guild with a supervisor role, a #quiz channel and three trainees."""
    guild = sandbox.create_guild("Group")
    supervisor = sandbox.create_role(guild, "Supervisor", permissions=discord.Permissions(manage_guild=True))
    quiz = sandbox.create_text_channel(guild, "quiz")
    members = [sandbox.create_member(guild, f"Trainee {c}") for c in "ABC"]
    return {"guild": guild, "quiz": quiz, "members": members, "supervisor": supervisor}


@pytest.fixture
async def bot(sandbox: Sandbox, world: dict[str, Any], make_bot: Callable[..., ToyBot]) -> AsyncIterator[ToyBot]:  # noqa: F811
    """A running ToyBot connected to the sandbox (closed cleanly after the test)."""
    async with run_bot(make_bot(), sandbox) as running:
        yield running
