"""The supervision-bot command line: run, check, migrate, sync, demo."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.config import Config, ConfigError, load_config, resolve_token

EXIT_USAGE = 2
# Discord could not be reached at start within [discord] give_up_after_seconds (sysexits' EX_UNAVAILABLE).
EXIT_UNAVAILABLE = 69
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
    check = command("check", "Validate the config file and the bundled prompt and quiz banks, and lint the quiz bank.")
    check.add_argument("--bank", metavar="FILE", help="also check a quiz bank file as an import would")
    check.add_argument("--item-stats", metavar="DB", help="print item statistics from a bot database's answers")
    command("migrate", "Apply pending database migrations and exit.")
    backup = command("backup", "Copy the database and the anonymous store, consistently, while the bot runs.")
    backup.add_argument("path", help="a new (or empty) folder to write the backup into")
    sync = command("sync", "Push the slash commands to Discord now, whether or not they changed.")
    sync.add_argument("--guild", type=int, metavar="ID", help="sync to this server only (instant)")
    demo = sub.add_parser(
        "demo",
        help="Play a supervision week offline: local Discord emulator, no token, no network.",
        description="Play a scripted supervision week against a local Discord emulator and write a transcript.",
    )
    demo.add_argument("--output", default="demo-output", help="folder for transcript.html and charts")
    demo.add_argument(
        "--locale",
        default="en-US",
        choices=("en-US", "de"),
        help="the members' Discord language and the server's preferred one (de: the week in German)",
    )
    return parser


def _fail(message: str) -> int:
    print(f"supervision-bot: {message}", file=sys.stderr)
    return EXIT_USAGE


async def _run(config: Config, token: str) -> None:
    from bot.client import SupervisionBot
    from bot.connect import login_with_retry

    bot = SupervisionBot(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_signal(number: int) -> None:
        if stop.is_set():
            # A second Ctrl+C or SIGTERM while stopping: stop at once. SQLite and the anonymous
            # store's rename are crash-safe, so nothing half-written survives this.
            print("supervision-bot: stopping now", file=sys.stderr)
            os._exit(128 + number)
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal, sig)

    async def start() -> None:
        await login_with_retry(bot, token, config.discord.give_up_after_seconds)
        await bot.connect(reconnect=True)

    async with bot:
        running = asyncio.create_task(start())
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        # Close in this task, so everything (background work, the database) is done before exit.
        await bot.close()
        if not running.done():
            # Still logging in, or asleep between reconnect attempts: nothing there needs to finish.
            running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running


def _require_database_folder(config: Config) -> None:
    """A database path whose folder is missing is a typo, not a request for a new, empty database."""
    folder = config.database_path.parent
    if not folder.is_dir():
        raise ConfigError(
            config.path,
            "[storage] database",
            f"{config.storage.database!r}: the folder {folder} does not exist; create it or fix the path",
        )


async def _migrate(config: Config) -> list[int]:
    from bot.db.anonymous import AnonymousStore
    from bot.db.connection import Database
    from bot.db.upgrade import upgrade

    db = await Database.open(config.database_path)
    try:
        return await upgrade(db, AnonymousStore(config.anonymous_store_path))
    finally:
        await db.close()


def _backup(config: Config, destination: Path) -> str:
    """Back up every file the bot keeps into destination; return a one-line summary."""
    from bot.db.anonymous import AnonymousStore

    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise ConfigError(destination, "", "already exists and is not an empty folder; name a new folder")
    if not config.database_path.exists():
        raise ConfigError(
            config.path, "[storage] database", f"{config.database_path} does not exist; nothing to back up"
        )
    destination.mkdir(parents=True, exist_ok=True)
    copy = destination / config.database_path.name
    source = sqlite3.connect(f"{config.database_path.as_uri()}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(copy)
        try:
            source.backup(target)  # SQLite's online backup: one consistent snapshot, even mid-write
        finally:
            target.close()
    finally:
        source.close()
    store = AnonymousStore(config.anonymous_store_path)
    files = asyncio.run(store.backup(destination / config.anonymous_store_path.name))
    return f"backed up {config.database_path.name} and {files} anonymous store file(s) to {destination}"


async def _sync(config: Config, token: str, guild: int | None) -> list[str]:
    from bot.client import SupervisionBot
    from bot.command_sync import sync_commands
    from bot.connect import login_with_retry

    bot = SupervisionBot(config, sync_only=True)
    async with bot:
        await login_with_retry(bot, token, config.discord.give_up_after_seconds)
        assert bot.application_id is not None
        return await sync_commands(
            bot.tree,
            bot.repos.meta,
            bot.application_id,
            config.discord.dev_guilds,
            force=True,
            only_guild=guild,
        )


def _check(config: Config, bank: str | None = None, item_stats: str | None = None) -> int:
    from bot.content.check_report import bundled_problems, bundled_summary, import_report, item_stats_report

    errors, notes = bundled_problems(), list[str]()
    if bank is not None:
        bank_errors, notes = import_report(bank)
        errors += bank_errors
    if item_stats is not None and not errors:
        stats_errors, lines = item_stats_report(item_stats, config.quiz.min_group_size)
        errors += stats_errors
        notes += lines
    for line in errors + [n for n in notes if "lint warning" in n]:
        print(f"supervision-bot: {line}", file=sys.stderr)
    if errors:
        return EXIT_USAGE
    print(f"{config.path}: ok. {bundled_summary()}")
    for line in notes:
        if "lint warning" not in line:
            print(line)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from bot.demo import DEMO_INSTALL_HINT, demo_installed

        if not demo_installed():
            print(DEMO_INSTALL_HINT, file=sys.stderr)
            return 2
        from bot.demo.run import main as demo

        return demo(args.output, args.locale)
    try:
        config = load_config(args.config)
        if args.command == "check":
            return _check(config, args.bank, args.item_stats)
        if args.command == "backup":
            print(_backup(config, Path(args.path)))
            return 0
        if args.command in ("run", "migrate", "sync"):
            _require_database_folder(config)
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
    except (OSError, sqlite3.Error) as exc:
        if args.command != "backup":
            raise
        return _fail(f"backup to {args.path} failed: {exc}")
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        import discord

        from bot.connect import DiscordUnreachable

        if isinstance(exc, DiscordUnreachable):
            print(f"supervision-bot: {exc}", file=sys.stderr)
            return EXIT_UNAVAILABLE
        if isinstance(exc, discord.LoginFailure):
            return _fail(f"[discord] token_env: Discord rejected the token in ${config.discord.token_env}")
        if isinstance(exc, discord.PrivilegedIntentsRequired):
            return _fail(
                "Discord refused a privileged intent, which this bot never asks for; check you are running "
                "supervision-bot itself. See README, 'Create the Discord application'"
            )
        raise
