"""Sync slash commands only when the command tree changed, since Discord rate-limits syncing."""

from __future__ import annotations

import hashlib
import json
import logging

import discord
from discord import app_commands

from bot.db.repositories.meta import MetaRepository
from bot.i18n import catalogues_digest

log = logging.getLogger(__name__)


async def tree_payload(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None = None) -> list[dict]:
    """The JSON Discord would receive for the tree's commands in a scope, localisations included."""
    commands = tree.get_commands(guild=guild)
    translator = tree.translator
    if translator is None:
        payload = [cmd.to_dict(tree) for cmd in commands]
    else:
        payload = [await cmd.get_translated_payload(tree, translator) for cmd in commands]
    return sorted(payload, key=lambda c: c["name"])


async def tree_hash(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None = None) -> str:
    """Hash what decides what Discord would receive for a scope: the commands, and the catalogues that translate them.

    The catalogues go in as their files, not as the 18,000 strings discord.py would ask the translator for: at
    every start that finds nothing changed, the bot then reads no catalogue at all (a German or French one is
    read when first spoken). A changed translation still syncs, as a changed command does; so does any other
    change to a catalogue, which only an upgrade brings.
    """
    commands = sorted((cmd.to_dict(tree) for cmd in tree.get_commands(guild=guild)), key=lambda c: c["name"])
    text = json.dumps(commands, sort_keys=True)
    if tree.translator is not None:
        text += catalogues_digest()
    return hashlib.sha256(text.encode()).hexdigest()


async def sync_commands(
    tree: app_commands.CommandTree,
    meta: MetaRepository,
    application_id: int,
    dev_guilds: tuple[int, ...] = (),
    *,
    force: bool = False,
    only_guild: int | None = None,
) -> list[str]:
    """Sync each scope whose hash differs from the last synced one; return the scopes synced.

    With development servers configured, commands go to those servers only (instantly) and the
    global scope is left alone, so nobody sees each command twice.
    """
    if only_guild is not None:
        scopes: list[int | None] = [only_guild]
    else:
        scopes = list(dev_guilds) if dev_guilds else [None]
    synced = []
    for guild_id in scopes:
        guild = discord.Object(guild_id) if guild_id is not None else None
        if guild is not None:
            tree.copy_global_to(guild=guild)
        digest = await tree_hash(tree, guild)
        key = f"command_hash:{application_id}:{guild_id or 'global'}"
        if not force and await meta.get(key) == digest:
            continue
        await tree.sync(guild=guild)
        await meta.set(key, digest)
        scope = f"server {guild_id}" if guild_id else "global"
        log.info("synced slash commands (%s)", scope)
        synced.append(scope)
    return synced
