"""The bot process when Discord is unreachable, drops the connection, or the bot is told to stop.

Each test runs `python -m bot run` as an operator would and reads its log: one line per attempt,
never a traceback for an expected network condition, and a prompt exit on SIGTERM in every state.
The exit bounds are generous (seconds, not milliseconds), so these are not timing tests.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from discord_sandbox import Sandbox

# Well beyond what any state needs, well inside the 10 s a service manager waits before SIGKILL.
PROMPT_EXIT_SECONDS = 5
START_TIMEOUT = 60


def closed_port() -> int:
    """A local port nothing listens on: bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(folder: Path, api_base: str, give_up_after: int = 300) -> Path:
    path = folder / "config.toml"
    path.write_text(
        f'[discord]\napi_base = "{api_base}"\ngive_up_after_seconds = {give_up_after}\n'
        '[storage]\ndatabase = "bot.sqlite3"\n[bot]\nlog_level = "info"\n'
    )
    return path


class BotProcess:
    """A running `python -m bot run` whose stderr is read line by line as it comes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []

    async def wait_for_line(self, text: str, count: int = 1, timeout: float = START_TIMEOUT) -> None:
        """Read the log until `count` lines contain text."""

        async def read() -> None:
            assert self.process.stderr is not None
            while sum(text in line for line in self.lines) < count:
                line = await self.process.stderr.readline()
                if not line:
                    raise AssertionError(f"the bot exited before logging {text!r}:\n" + "".join(self.lines))
                self.lines.append(line.decode())

        await asyncio.wait_for(read(), timeout)

    async def stop(self, signals: int = 1) -> int:
        """Send SIGTERM (twice when asked) and return the exit code, which must come promptly."""
        for _ in range(signals):
            self.process.send_signal(signal.SIGTERM)
        return await self.finish(PROMPT_EXIT_SECONDS)

    async def finish(self, timeout: float) -> int:
        _, rest = await asyncio.wait_for(self.process.communicate(), timeout)
        self.lines += rest.decode().splitlines(keepends=True)
        return self.process.returncode or 0

    @property
    def log(self) -> str:
        return "".join(self.lines)


@asynccontextmanager
async def bot_process(config: Path, token: str) -> AsyncIterator[BotProcess]:
    env = {**os.environ, "DISCORD_TOKEN": token}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config), env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        yield BotProcess(process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_unreachable_at_start_gives_one_line_per_attempt_then_a_clean_exit(tmp_path: Path) -> None:
    config = write_config(tmp_path, f"http://127.0.0.1:{closed_port()}/api/v10", give_up_after=3)
    async with bot_process(config, "token-that-never-leaves") as bot:
        code = await bot.finish(timeout=START_TIMEOUT)
    lines = bot.log.splitlines()
    attempts = [line for line in lines if "Discord unreachable" in line]
    assert code == 69, bot.log
    assert len(attempts) >= 2 and all("WARNING" in line and "next try in" in line for line in attempts)
    assert lines[-1].startswith("supervision-bot: could not reach Discord for 3 s (cannot connect to 127.0.0.1:")
    assert "Traceback" not in bot.log and "token-that-never-leaves" not in bot.log
    assert sum("logging in" in line for line in lines) == 1
    assert not (tmp_path / "bot.sqlite3").exists(), "nothing is created before Discord answers"


async def test_sigterm_while_still_trying_to_reach_discord_exits_promptly(tmp_path: Path) -> None:
    config = write_config(tmp_path, f"http://127.0.0.1:{closed_port()}/api/v10")
    async with bot_process(config, "a-token") as bot:
        await bot.wait_for_line("Discord unreachable")
        assert await bot.stop() == 0, bot.log
    assert "Traceback" not in bot.log


async def test_a_dropped_gateway_logs_one_line_per_reconnect_and_sigterm_exits_promptly(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    guild = sandbox.create_guild("Network group")
    sandbox.create_member(guild, "Trainee A")
    async with bot_process(write_config(tmp_path, sandbox.api_base), sandbox.token) as bot:
        await bot.wait_for_line("ready as Sandbox Bot: 1 server, 0 schedules")
        await sandbox.stop()  # Discord is gone: the connection drops and every reconnect is refused
        await bot.wait_for_line("Discord connection lost", count=2)
        assert await bot.stop() == 0, bot.log
    reconnects = [line for line in bot.lines if "Discord connection lost" in line]
    assert all("WARNING" in line and "reconnecting in" in line for line in reconnects)
    assert "Traceback" not in bot.log and "Attempting a reconnect" not in bot.log
    assert "voice will NOT be supported" not in bot.log
    # Start-up, two reconnects and shutdown: a screenful, not hundreds of lines.
    assert len(bot.lines) < 40, bot.log


async def test_sigterm_when_connected_and_a_second_one_while_stopping_both_exit_promptly(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    sandbox.create_guild("Stopping group")
    async with bot_process(write_config(tmp_path, sandbox.api_base), sandbox.token) as bot:
        await bot.wait_for_line("ready as")
        code = await bot.stop(signals=2)
    # The first signal starts a clean shutdown; the second, if it lands before that is done, stops at once.
    assert code in (0, 128 + signal.SIGTERM), bot.log
    assert "Traceback" not in bot.log
