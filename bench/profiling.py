"""Profiles of our bot's process: cProfile (main thread, exact counts) and py-spy (every thread, sampled)."""

from __future__ import annotations

import asyncio
import contextlib
import pstats
import shutil
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

TOP = 15
RATE = 200
REPO_ROOT = str(Path(__file__).resolve().parent.parent) + "/"


def pyspy_path() -> str | None:
    """The py-spy executable beside this Python, or on PATH (optional: `pip install py-spy`)."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


@contextlib.asynccontextmanager
async def pyspy(pid: int, out: Path) -> AsyncIterator[None]:
    """Sample every thread of `pid` while it is busy (idle waits left out); raw collapsed stacks go to `out`."""
    exe = pyspy_path()
    if exe is None:
        yield
        return
    args = ["record", "--pid", str(pid), "--rate", str(RATE), "--threads", "--nonblocking", "--full-filenames"]
    proc = await asyncio.create_subprocess_exec(
        exe, *args, "--format", "raw", "-o", str(out),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(proc.wait(), 60)
        except TimeoutError:
            proc.kill()
            await proc.wait()


def maybe_pyspy(pid: int, out: Path | None) -> contextlib.AbstractAsyncContextManager[None]:
    """py-spy around a block when `out` is given, else nothing."""
    return pyspy(pid, out) if out is not None else contextlib.nullcontext()


def short_path(file: str) -> str:
    """A path without the machine-specific part: 'bot/db/x.py', 'discord/http.py', 'asyncio/events.py'."""
    if file.startswith(REPO_ROOT):
        return file.removeprefix(REPO_ROOT)
    for marker in ("site-packages/", "lib/python3.11/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file.rsplit("/", 1)[-1]


def _ours(file: str) -> bool:
    short = short_path(file)
    return short.startswith(("bot/", "cogs/"))


def _frame_name(frame: str, line: bool = False) -> tuple[str, str]:
    """'func (path/to/module.py:12)' -> ('func (module path[:12])', full file)."""
    name, _, where = frame.partition(" (")
    file, _, number = where.rstrip(")").rpartition(":")
    shown = short_path(file) + (f":{number}" if line else "")
    return f"{name} ({shown})", file


def summarize_pyspy(raw: Path, top: int = TOP) -> str:
    """Busy samples per thread, our functions by inclusive share, and the busiest leaves (with line numbers)."""
    if not raw.exists():
        return "(py-spy not available: `pip install py-spy` to get an every-thread profile)"
    threads: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    total = 0
    for text in raw.read_text(errors="replace").splitlines():
        stack, _, count_text = text.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count, frames = int(count_text), stack.split(";")
        total += count
        threads[frames[0].split(": ", 1)[-1]] += count
        named = [_frame_name(f) for f in frames[1:]]
        for name in {n for n, file in named if _ours(file)}:
            inclusive[name] += count
        if len(frames) > 1:
            leaves[_frame_name(frames[-1], line=True)[0]] += count
    if not total:
        return "(py-spy recorded no busy samples)"
    busy = ", ".join(f"{t} {c / RATE:.2f} s" for t, c in threads.most_common())
    lines = [f"{total} busy samples at {RATE}/s; busy time by thread: {busy}"]
    lines.append("\nour code (bot/, cogs/), share of busy samples including callees:")
    lines += [f"  {100 * c / total:5.1f}%  {name}" for name, c in inclusive.most_common(top)]
    lines.append("\nbusiest leaves (own share of busy samples):")
    lines += [f"  {100 * c / total:5.1f}%  {name}" for name, c in leaves.most_common(top)]
    return "\n".join(lines)


def summarize_cprofile(path: Path, top: int = TOP) -> str:
    """Main thread: our functions by cumulative time, then every function by own time (idle polling left out)."""
    if not path.exists():
        return "(no cProfile output)"
    stats = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    rows = [(file, line, func, nc, tt, ct) for (file, line, func), (_, nc, tt, ct, _) in stats.items()]
    header = f"{'calls':>9} {'own s':>8} {'cum s':>8}  function"

    def fmt(row: tuple[str, int, str, int, float, float]) -> str:
        file, line, func, nc, tt, ct = row
        return f"{nc:>9} {tt:>8.3f} {ct:>8.3f}  {func} ({short_path(file)}:{line})"

    ours = sorted((r for r in rows if _ours(r[0])), key=lambda r: -r[5])[:top]
    busy = sorted((r for r in rows if "poll" not in r[2] and "select" not in r[2]), key=lambda r: -r[4])[:top]
    lines = ["our code by cumulative time:", header, *map(fmt, ours)]
    lines += ["", "all functions by own time (epoll waits left out):", header, *map(fmt, busy)]
    return "\n".join(lines)
