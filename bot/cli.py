"""The supervision-bot command line: run, check, migrate, sync, demo."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Sequence

from bot import __version__
from bot.config import Config, ConfigError, load_config, resolve_token

EXIT_USAGE = 2
DEFAULT_CONFIG = "config.toml"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="supervision-bot",
        description="A Discord bot for clinical supervision groups.",
    )
    parser.add_argument("--version", action="version", version=f"supervision-bot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        cmd.add_argument(
            "--config",
            default=os.environ.get("SUPERVISION_BOT_CONFIG", DEFAULT_CONFIG),
            help=f"path to the TOML config (default: $SUPERVISION_BOT_CONFIG or {DEFAULT_CONFIG})",
        )
        return cmd

    command("run", "Connect to Discord and run the bot until stopped (Ctrl+C or SIGTERM).")
    command("check", "Validate the config file and the bundled prompt and quiz banks.")
    command("migrate", "Apply pending database migrations and exit.")
    sync = command("sync", "Push the slash commands to Discord now, whether or not they changed.")
    sync.add_argument("--guild", type=int, metavar="ID", help="sync to this server only (instant)")
    demo = sub.add_parser(
        "demo",
        help="Play a supervision week offline: local Discord emulator, no token, no network.",
        description="Play a scripted supervision week against a local Discord emulator and write a transcript.",
    )
    demo.add_argument("--output", default="demo-output", help="folder for transcript.html and charts")
    return parser


def _fail(message: str) -> int:
    print(f"supervision-bot: {message}", file=sys.stderr)
    return EXIT_USAGE


async def _run(config: Config, token: str) -> None:
    from bot.client import SupervisionBot

    bot = SupervisionBot(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with bot:
        running = asyncio.create_task(bot.start(token))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        # Close in this task, so everything (background work, the database) is done before exit.
        await bot.close()
        await running


async def _migrate(config: Config) -> list[int]:
    from bot.db.connection import Database
    from bot.db.migrate import migrate

    db = await Database.open(config.database_path)
    try:
        return await migrate(db)
    finally:
        await db.close()


async def _sync(config: Config, token: str, guild: int | None) -> list[str]:
    from bot.client import SupervisionBot
    from bot.command_sync import sync_commands

    bot = SupervisionBot(config, sync_only=True)
    async with bot:
        await bot.login(token)
        assert bot.application_id is not None
        return await sync_commands(
            bot.tree,
            bot.repos.meta,
            bot.application_id,
            config.discord.dev_guilds,
            force=True,
            only_guild=guild,
        )


def _check(config: Config) -> int:
    from bot.content.banks import prompt_bank, quiz_bank, validate_bundled

    problems = validate_bundled()
    for problem in problems:
        print(f"supervision-bot: {problem}", file=sys.stderr)
    if problems:
        return EXIT_USAGE
    print(f"{config.path}: ok. Quiz bank: {len(quiz_bank())} items ok. Prompt bank: {len(prompt_bank())} prompts ok.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from bot.demo.run import main as demo

        return demo(args.output)
    try:
        config = load_config(args.config)
        if args.command == "check":
            return _check(config)
        if args.command == "migrate":
            applied = asyncio.run(_migrate(config))
            print(f"{config.database_path}: " + (f"applied {applied}" if applied else "already up to date"))
            return 0
        token = resolve_token(config)
        from bot.logging_setup import setup_logging

        setup_logging(config.bot.log_level)
        if args.command == "sync":
            scopes = asyncio.run(_sync(config, token, args.guild))
            print("synced: " + ", ".join(scopes))
            return 0
        asyncio.run(_run(config, token))
        return 0
    except ConfigError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        import discord

        if isinstance(exc, discord.LoginFailure):
            return _fail(f"[discord] token_env: Discord rejected the token in ${config.discord.token_env}")
        if isinstance(exc, discord.PrivilegedIntentsRequired):
            return _fail(
                "Discord refused a privileged intent, which this bot never asks for; check you are running "
                "supervision-bot itself. See README, 'Create the Discord application'"
            )
        raise
