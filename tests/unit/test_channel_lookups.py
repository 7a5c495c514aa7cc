"""Channels are looked up in their own server: discord.py's Client.get_channel searches every server in turn.

At 10,000 servers a weekly fan-out that found each post's channel through the client spent most of its CPU
in that search (bench/analysis.md). Read with ast, so a new call is named with its file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOOKUPS = ("get_channel", "get_channel_or_thread")


def _receiver(node: ast.expr) -> str:
    """The name a method is called on: 'guild' for guild.get_channel, 'bot' for self.bot.get_channel."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def client_lookups(source: str) -> list[int]:
    """Lines that look a channel up on anything but a guild."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in LOOKUPS
        and not _receiver(node.func.value).endswith("guild")
    ]


def test_no_channel_is_looked_up_through_the_client() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in ("bot", "cogs")
        for path in sorted((ROOT / package).rglob("*.py"))
        for line in client_lookups(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "look channels up with bot.channels.server_channel(client, guild_id, channel_id)"


def test_the_check_tells_a_client_lookup_from_a_server_s() -> None:
    source = "a = self.bot.get_channel(1)\nb = guild.get_channel(1)\nc = interaction.guild.get_channel(1)\n"
    assert client_lookups(source) == [1]
