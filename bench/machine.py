"""A description of the machine and software the benchmarks ran on."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float:
    """This machine's memory in GiB (NaN when unknown)."""
    try:
        total = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        return int(total.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        return float("nan")


def _memory() -> str:
    gib = memory_gib()
    return "unknown" if gib != gib else f"{gib:.1f} GiB"


def _revision(root: Path) -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True)
        # The benchmarks' own results do not make the code measured any different: a --merge run starts from them.
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/RESULTS.*"],
            cwd=root,
            capture_output=True,
        )
    except OSError:
        return "unknown"
    return head.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def describe(root: Path) -> list[str]:
    """Bullet lines: date, CPU, cores, memory, OS, Python, discord.py, revision."""
    return [
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"CPU: {_cpu_model()}, {os.cpu_count()} logical cores; memory {_memory()}",
        f"OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"Python: {sys.version.split()[0]} ({platform.python_implementation()})",
        f"discord.py: {metadata.version('discord.py')}; aiosqlite {metadata.version('aiosqlite')}; "
        f"APScheduler {metadata.version('APScheduler')}; aiohttp {metadata.version('aiohttp')}",
        f"Bot revision: {_revision(root)}",
    ]
