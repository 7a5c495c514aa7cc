"""Pointing the real discord.py at a Discord-compatible server (the sandbox, or Discord itself)."""

from __future__ import annotations

from collections.abc import Callable

import discord
import yarl
from discord.gateway import DiscordWebSocket

DISCORD_API_BASE = "https://discord.com/api/v10"
DISCORD_GATEWAY = "wss://gateway.discord.gg/"


def point_discord_at(api_base: str, gateway_url: str | None = None) -> Callable[[], None]:
    """Set discord.py's REST base (and gateway URL); returns a function restoring the previous values."""
    # A plain discord.Client never asks GET /gateway/bot: it connects to DiscordWebSocket.DEFAULT_GATEWAY,
    # so the gateway URL must be set too (or discovered with use_discovered_gateway()). Both are
    # process-wide class attributes: one process talks to one Discord at a time.
    old_base, old_gateway = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = api_base
    if gateway_url is not None:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)

    def restore() -> None:
        discord.http.Route.BASE = old_base
        DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    return restore


async def use_discovered_gateway(client: discord.Client) -> str:
    """Ask GET /gateway/bot (after login, e.g. in setup_hook) and connect to the URL it returns."""
    _, url, _ = await client.http.get_bot_gateway()
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
    return url


def reset_discord_target() -> None:
    """Back to the real Discord endpoints."""
    discord.http.Route.BASE = DISCORD_API_BASE
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(DISCORD_GATEWAY)
