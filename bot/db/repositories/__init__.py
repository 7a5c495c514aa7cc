"""Repositories: all SQL lives here, parameterised, returning dataclasses."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from bot.db.connection import Database
from bot.db.repositories.fires import FireRepository
from bot.db.repositories.meta import MetaRepository
from bot.db.repositories.schedules import ScheduleRepository
from bot.db.repositories.settings import GuildSettingsRepository


@runtime_checkable
class MemberDataRepository(Protocol):
    """A repository that stores data about a member must let that member export and erase it."""

    member_data_label: str

    async def export_member(self, guild_id: int, user_id: int) -> list[dict[str, Any]]: ...

    async def delete_member(self, guild_id: int, user_id: int) -> int: ...


class Repositories:
    """Every repository, built on one database connection."""

    def __init__(self, db: Database, default_timezone: str = "UTC") -> None:
        self.db = db
        self.settings = GuildSettingsRepository(db, default_timezone)
        self.schedules = ScheduleRepository(db)
        self.fires = FireRepository(db)
        self.meta = MetaRepository(db)

    def all(self) -> list[object]:
        """Return every repository."""
        return [v for v in vars(self).values() if v is not self.db]

    def member_data(self) -> list[MemberDataRepository]:
        """Return the repositories that hold member data."""
        return [r for r in self.all() if isinstance(r, MemberDataRepository)]
