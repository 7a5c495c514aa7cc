"""Direct reads of a bot's database file, beside the bot's own connection."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Protocol


class HasDatabaseFile(Protocol):
    """Anything that knows where its database file is (the end-to-end harness does)."""

    @property
    def db_path(self) -> Path: ...


def db_rows(where: Path | str | HasDatabaseFile, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Run a read on its own short-lived connection (the bot's WAL is visible to it)."""
    path = where if isinstance(where, str | Path) else where.db_path
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()
