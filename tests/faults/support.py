"""Helpers shared by the fault tests: SQLite inspection, a real bot subprocess, and a disk that fills up."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from bot.client import SupervisionBot
from discord_sandbox import Sandbox
from tests.support.db import db_rows

# The repository root, so `python -m bot` runs the checked-out code.
ROOT = Path(__file__).resolve().parents[2]
# How long a freshly started bot process may take to import, migrate, sync and IDENTIFY.
PROCESS_START_TIMEOUT = 60


def integrity(path: Path | str) -> list[tuple[Any, ...]]:
    """PRAGMA integrity_check; [("ok",)] for a healthy file."""
    return db_rows(path, "PRAGMA integrity_check")


def dump_tables(path: Path | str, skip: Iterable[str] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (sorted), to show that an action changed nothing."""
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        skipped = set(skip)
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
            if name not in skipped and not name.startswith("sqlite_")
        }
    finally:
        conn.close()


def toml_string(value: str) -> str:
    """A TOML basic string for any text without surrogates."""
    out = []
    for ch in value:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def write_config(folder: Path, sb: Sandbox, cogs: Sequence[str], *, grace_hours: int | None = None) -> Path:
    """A config file pointing at the sandbox, with the database beside it."""
    lines = [
        "[discord]",
        f"api_base = {toml_string(sb.api_base)}",
        "[storage]",
        'database = "bot.sqlite3"',
        "[bot]",
        "cogs = [" + ", ".join(toml_string(c) for c in cogs) + "]",
        'log_level = "INFO"',
    ]
    if grace_hours is not None:
        lines += ["[scheduler]", f"grace_hours = {grace_hours}"]
    path = folder / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class BotProcess:
    """`python -m bot run` in a child process, talking to the in-test sandbox."""

    def __init__(self, proc: asyncio.subprocess.Process, log_path: Path) -> None:
        self.proc = proc
        self.log_path = log_path

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    async def kill(self) -> int:
        """SIGKILL: no shutdown code runs, exactly like a crash or an OOM kill."""
        if self.proc.returncode is None:
            self.proc.kill()
        return await self.proc.wait()

    async def stop(self, timeout: float = 20) -> int:
        """SIGTERM, the clean shutdown path; SIGKILL if it does not finish in time."""
        if self.proc.returncode is None:
            self.proc.terminate()
        try:
            async with asyncio.timeout(timeout):
                return await self.proc.wait()
        except TimeoutError:
            return await self.kill()


async def start_bot_process(sb: Sandbox, config: Path, name: str = "bot") -> BotProcess:
    """Start the real command line against the sandbox; return once it has connected and caught up."""
    env = dict(os.environ, DISCORD_TOKEN=sb.token, PYTHONUNBUFFERED="1")
    env.pop("SUPERVISION_BOT_CONFIG", None)
    log_path = config.parent / f"{name}.log"
    before = sb.hub.identifies
    with log_path.open("ab") as log:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(config), cwd=ROOT, env=env, stdout=log, stderr=log
        )
    child = BotProcess(proc, log_path)
    exited = asyncio.ensure_future(proc.wait())
    connected = asyncio.ensure_future(sb.wait_for_bot(identifies=before + 1, timeout=PROCESS_START_TIMEOUT))
    try:
        done, _ = await asyncio.wait({exited, connected}, return_when=asyncio.FIRST_COMPLETED)
        if connected not in done:
            raise AssertionError(f"the bot process exited with {proc.returncode}:\n{child.log_tail()}")
        await connected
        await sb.sync_gateway(timeout=15)
    except BaseException:
        await child.kill()
        raise
    finally:
        connected.cancel()
        exited.cancel()
    return child


@contextlib.asynccontextmanager
async def bot_process(sb: Sandbox, config: Path, name: str = "bot") -> AsyncIterator[BotProcess]:
    """A started bot process, stopped with SIGTERM (or already killed by the test) on exit."""
    child = await start_bot_process(sb, config, name)
    try:
        yield child
    finally:
        await child.stop()


def fill_until_next_write_grows(
    path: Path | str,
    probe: tuple[str, Sequence[Any]],
    filler: Callable[[int], tuple[str, Sequence[Any]]],
    limit: int = 20000,
) -> int:
    """Add filler rows until `probe` (the exact write the bot will make) would need a new page.

    Returns the page count to pass to PRAGMA max_page_count: with it, the probe's write hits
    SQLITE_FULL exactly as on a full disk, while reads and in-place writes keep working.
    Each probe runs inside a transaction that is rolled back, so only the filler stays.
    """
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        for number in range(limit):
            conn.execute("BEGIN IMMEDIATE")
            try:
                before = conn.execute("PRAGMA page_count").fetchone()[0]
                conn.execute(probe[0], probe[1])
                grew = conn.execute("PRAGMA page_count").fetchone()[0] > before
            finally:
                conn.execute("ROLLBACK")
            if grew:
                return int(before)
            sql, params = filler(number)
            conn.execute(sql, params)
        raise AssertionError(f"the probe write still fitted after {limit} filler rows")
    finally:
        conn.close()


def last_fire_id(db_path: Path | str) -> int:
    """The newest fire's id (0 before any), to tell apart the fires a bot claims after it."""
    if not Path(db_path).exists():
        return 0
    return db_rows(db_path, "SELECT MAX(id) FROM fires")[0][0] or 0


async def wait_for_dispatched(bot: SupervisionBot, after_id: int = 0, timeout: float = 30) -> None:
    """Run the catch-up now and wait until every fire claimed since after_id has recorded its outcome.

    Claims are exclusive, so calling run_due() here is harmless whether or not the bot's own start-up
    catch-up has run yet; once it returns, every fire due now has been claimed by one of the two.
    """
    await bot.scheduler.run_due()
    claimed = []
    for (job,) in await bot.repos.db.fetchall("SELECT DISTINCT job FROM fires WHERE id > ?", (after_id,)):
        claimed += [f for f in await bot.repos.fires.for_job(job) if f.id > after_id and f.status != "skipped"]
    await bot.scheduler.wait_finished(claimed, timeout=timeout)
