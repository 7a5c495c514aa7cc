"""Parent side of a bot host process: spawn it, time it to ready, send commands, stop it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.host import TOKEN_ENV
from discord_sandbox import Sandbox

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class BotProcess:
    """One bot in its own process; `started`/`ready` are parent monotonic times."""

    kind: str
    proc: asyncio.subprocess.Process
    stderr_path: Path
    db: Path
    started: float
    ready: float = 0.0
    memory: dict[str, int] = field(default_factory=dict)
    allocations: list[tuple[str, int]] = field(default_factory=list)

    @property
    def start_seconds(self) -> float:
        return self.ready - self.started

    async def _event(self, timeout: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        try:
            line = await asyncio.wait_for(self.proc.stdout.readline(), timeout)
        except TimeoutError:
            raise RuntimeError(f"{self.kind} bot: no answer within {timeout:g}s{self._stderr_tail()}") from None
        if not line:
            raise RuntimeError(f"{self.kind} bot exited (code {await self.proc.wait()}){self._stderr_tail()}")
        return json.loads(line)

    def _stderr_tail(self) -> str:
        text = self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""
        return "\n--- bot stderr (tail) ---\n" + text[-3000:] if text.strip() else ""

    async def call(self, timeout: float = 120, **command: Any) -> dict[str, Any]:
        """Send one command and return its reply; errors in the child are raised here."""
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(command) + "\n").encode())
        await self.proc.stdin.drain()
        reply = await self._event(timeout)
        if "error" in reply:
            raise RuntimeError(f"{self.kind} bot failed {command['cmd']}: {reply['error']}{self._stderr_tail()}")
        return reply

    async def quit(self, timeout: float = 60) -> None:
        """Ask the bot to close cleanly and wait for the process to end."""
        if self.proc.returncode is None:
            assert self.proc.stdin is not None
            with contextlib.suppress(ConnectionError):
                self.proc.stdin.write(b'{"cmd": "quit"}\n')
                await self.proc.stdin.drain()
            try:
                await asyncio.wait_for(self.proc.wait(), timeout)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


async def spawn(
    kind: str,
    sb: Sandbox,
    workdir: Path,
    *,
    guilds: int,
    clock: str = "manual",
    db: Path | None = None,
    profile: Path | None = None,
    what_if: str = "",
    trace_memory: bool = False,
    ready_timeout: float = 300,
    global_rate: float | None = None,
    speed: bool = True,
) -> BotProcess:
    """Start `python -m bench.host` for one bot and wait until it reports ready."""
    stamp = time.monotonic_ns()
    db = db or workdir / f"{kind}-{stamp}.sqlite3"
    args = ["-m", "bench.host", "--kind", kind, "--api-base", sb.api_base, "--db", str(db), "--guilds", str(guilds)]
    args += ["--clock", clock, "--what-if", what_if]
    if global_rate is not None:
        args += ["--global-rate", str(global_rate)]
    if profile is not None:
        args += ["--profile", str(profile)]
    if trace_memory:
        args.append("--tracemalloc")
    if not speed:
        args.append("--without-speed")
    env = dict(os.environ, **{TOKEN_ENV: sb.token}, PYTHONPATH=str(REPO_ROOT))
    stderr_path = workdir / f"{kind}-{stamp}.stderr"
    started = time.monotonic()
    with stderr_path.open("wb") as stderr:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            *args,
            cwd=REPO_ROOT,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
            limit=1 << 20,
        )
    bot = BotProcess(kind, proc, stderr_path, db, started)
    try:
        event = await bot._event(ready_timeout)
    except BaseException:
        await bot.quit(5)
        raise
    bot.ready = time.monotonic()
    bot.memory = {k: v for k, v in event.items() if k.endswith("_kb")}
    bot.allocations = [(str(f), int(k)) for f, k in event.get("allocations", [])]
    return bot
