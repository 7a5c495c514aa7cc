"""The installed command runs the bot against the sandbox and shuts down cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.db.migrate import bundled_migrations
from discord_sandbox import Sandbox
from tests.e2e.conftest import embed_text


async def test_run_answers_and_sigterm_shuts_down_cleanly(sandbox: Sandbox, tmp_path: Path) -> None:
    guild = sandbox.create_guild("Process group")
    member = sandbox.create_member(guild, "Trainee A")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[discord]\napi_base = "{sandbox.api_base}"\n[storage]\ndatabase = "bot.sqlite3"\n[bot]\nlog_level = "INFO"\n'
    )
    env = {**os.environ, "DISCORD_TOKEN": sandbox.token, "PYTHONWARNINGS": "always"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--config",
        str(config),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        ix = await sandbox.invoke(guild, member, "about", timeout=30)
        assert "Gateway latency" in embed_text((await ix.response(timeout=10)).embeds)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Unclosed" not in log and "Traceback" not in log and sandbox.token not in log
    assert (tmp_path / "bot.sqlite3").exists()


async def test_migrate_and_forced_sync_from_the_command_line(sandbox: Sandbox, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[discord]\napi_base = "{sandbox.api_base}"\n[bot]\ncogs = ["about"]\n')
    env = {**os.environ, "DISCORD_TOKEN": sandbox.token}

    async def cli(*args: str) -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *args,
            "--config",
            str(config),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
        return process.returncode or 0, out.decode()

    code, out = await cli("migrate")
    every = [m.version for m in bundled_migrations()]
    assert code == 0 and f"applied {every}" in out and every[-1] >= 8
    code, out = await cli("migrate")
    assert code == 0 and "already up to date" in out
    code, out = await cli("sync")
    assert code == 0 and "synced: global" in out, out
    assert sorted(c["name"] for c in sandbox.registered_commands()) == ["about", "help"]
