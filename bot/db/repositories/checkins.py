"""Anonymous check-ins: stored with no user id and no time finer than a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.db.connection import Database


@dataclass(frozen=True)
class CheckIn:
    """One anonymous check-in."""

    id: str
    guild_id: int
    period: str
    day: date
    dimensions: tuple[str, ...]
    intensity: int
    body: str | None
    share_text: bool
    raise_it: bool
    released: bool


_SELECT = "SELECT id, guild_id, period, day, dimensions, intensity, body, share_text, raise_it, released FROM checkins"


def _checkin(row: tuple) -> CheckIn:  # type: ignore[type-arg]
    return CheckIn(
        row[0],
        row[1],
        row[2],
        date.fromisoformat(row[3]),
        tuple(row[4].split(",")),
        row[5],
        row[6],
        bool(row[7]),
        bool(row[8]),
        bool(row[9]),
    )


class CheckInRepository:
    """Store check-ins and the per-period secrets; nothing here can name a member."""

    retention_key = "checkin_days"

    def __init__(self, db: Database) -> None:
        self._db = db

    async def period_secret(self, guild_id: int, period: str, new_secret: bytes) -> bytes | None:
        """Return the period's secret, creating it with new_secret if absent; None once destroyed."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO checkin_periods (guild_id, period, secret) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, period, new_secret),
            )
            async with conn.execute(
                "SELECT secret FROM checkin_periods WHERE guild_id = ? AND period = ?", (guild_id, period)
            ) as cur:
                row = await cur.fetchone()
        return row[0]

    async def save(self, checkin: CheckIn, member_key: str, code_hash: str, weekly_limit: int) -> bool:
        """Store a check-in if the member is under the weekly limit; False (nothing stored) if not."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT used FROM checkin_quota WHERE guild_id = ? AND period = ? AND member_key = ?",
                (checkin.guild_id, checkin.period, member_key),
            ) as cur:
                row = await cur.fetchone()
            if row is not None and row[0] >= weekly_limit:
                return False
            await conn.execute(
                "INSERT INTO checkin_quota (guild_id, period, member_key, used) VALUES (?, ?, ?, 1)"
                " ON CONFLICT (guild_id, period, member_key) DO UPDATE SET used = used + 1",
                (checkin.guild_id, checkin.period, member_key),
            )
            await conn.execute(
                "INSERT INTO checkins (id, guild_id, period, day, dimensions, intensity, body, share_text, raise_it,"
                " code_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    checkin.id,
                    checkin.guild_id,
                    checkin.period,
                    checkin.day.isoformat(),
                    ",".join(checkin.dimensions),
                    checkin.intensity,
                    checkin.body,
                    int(checkin.share_text),
                    int(checkin.raise_it),
                    code_hash,
                ),
            )
        return True

    async def used(self, guild_id: int, period: str, member_key: str) -> int:
        """Return how many check-ins the keyed member has made this period."""
        row = await self._db.fetchone(
            "SELECT used FROM checkin_quota WHERE guild_id = ? AND period = ? AND member_key = ?",
            (guild_id, period, member_key),
        )
        return 0 if row is None else int(row[0])

    async def withdraw(self, guild_id: int, code_hash: str) -> CheckIn | None:
        """Delete the check-in with this code in this server; return it, or None if no such code."""
        async with self._db.transaction() as conn:
            async with conn.execute(f"{_SELECT} WHERE guild_id = ? AND code_hash = ?", (guild_id, code_hash)) as cur:
                row = await cur.fetchone()
            if row is None:
                return None
            await conn.execute("DELETE FROM checkins WHERE id = ?", (row[0],))
        return _checkin(tuple(row))

    async def unreleased(self, guild_id: int) -> list[CheckIn]:
        """Return the server's check-ins not yet shared in a digest (in storage order, not submission order)."""
        rows = await self._db.fetchall(f"{_SELECT} WHERE guild_id = ? AND released = 0", (guild_id,))
        return [_checkin(tuple(r)) for r in rows]

    async def mark_released(self, ids: list[str]) -> None:
        """Mark check-ins as shared."""
        async with self._db.transaction() as conn:
            await conn.executemany("UPDATE checkins SET released = 1 WHERE id = ?", [(i,) for i in ids])

    async def released_in(self, guild_id: int, periods: list[str]) -> list[CheckIn]:
        """Return the server's check-ins in the given periods that a digest has already shared."""
        marks = ",".join("?" * len(periods))
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE guild_id = ? AND released = 1 AND period IN ({marks})", (guild_id, *periods)
        )
        return [_checkin(tuple(r)) for r in rows]

    async def close_periods_before(self, guild_id: int, current: str, roll_over: bool) -> tuple[int, int]:
        """Destroy the secrets and quotas of earlier periods, and roll over or drop their unshared check-ins.

        Returns (periods closed, check-ins rolled over or dropped).
        """
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT period FROM checkin_periods WHERE guild_id = ? AND period < ? AND secret IS NOT NULL",
                (guild_id, current),
            ) as cur:
                closing = [r[0] for r in await cur.fetchall()]
            await conn.execute(
                "UPDATE checkin_periods SET secret = NULL WHERE guild_id = ? AND period < ?", (guild_id, current)
            )
            await conn.execute("DELETE FROM checkin_quota WHERE guild_id = ? AND period < ?", (guild_id, current))
            if roll_over:
                sql = "UPDATE checkins SET period = ? WHERE guild_id = ? AND period < ? AND released = 0"
                args: tuple[object, ...] = (current, guild_id, current)
            else:
                sql = "DELETE FROM checkins WHERE guild_id = ? AND period < ? AND released = 0"
                args = (guild_id, current)
            async with conn.execute(sql, args) as cur:
                moved = cur.rowcount
        return len(closing), moved

    async def guilds_with_open_periods(self) -> list[int]:
        """Return the servers that still hold a period secret."""
        rows = await self._db.fetchall("SELECT DISTINCT guild_id FROM checkin_periods WHERE secret IS NOT NULL")
        return [r[0] for r in rows]

    async def purge_before(self, cutoff: datetime) -> int:
        """Delete check-ins older than the cutoff day."""
        return await self._db.execute("DELETE FROM checkins WHERE day < ?", (cutoff.date().isoformat(),))
