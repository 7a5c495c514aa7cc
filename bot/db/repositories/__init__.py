"""Repositories: all SQL lives here, parameterised, returning dataclasses."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from bot.db.anonymous import AnonymousStore, store_folder
from bot.db.cache import one_look
from bot.db.connection import Database
from bot.db.models import ExportRow
from bot.db.repositories.checkin_replies import CheckInReplyRepository
from bot.db.repositories.checkins import CheckInRepository
from bot.db.repositories.deliveries import DeliveryFailureRepository
from bot.db.repositories.fires import FireRepository
from bot.db.repositories.journal import JournalRepository
from bot.db.repositories.journal_shares import JournalShareRepository
from bot.db.repositories.meeting_dms import MeetingDmRepository
from bot.db.repositories.meeting_feedback import MeetingFeedbackRepository
from bot.db.repositories.meetings import MeetingRepository
from bot.db.repositories.member_locales import MemberLocaleRepository
from bot.db.repositories.meta import MetaRepository
from bot.db.repositories.purges import PurgeLogRepository
from bot.db.repositories.quiz import QuizRepository
from bot.db.repositories.quiz_bank import QuizBankRepository
from bot.db.repositories.quiz_reports import QuizReportRepository
from bot.db.repositories.quiz_reviews import QuizReviewRepository
from bot.db.repositories.quiz_settings import QuizSettingsRepository
from bot.db.repositories.reflect import ReflectRepository
from bot.db.repositories.reminders import ReminderRepository
from bot.db.repositories.schedules import ScheduleRepository
from bot.db.repositories.settings import GuildSettingsRepository
from bot.db.repositories.subscriptions import SubscriptionRepository


@runtime_checkable
class MemberDataRepository(Protocol):
    """A repository that stores data about a member must let that member export and erase it."""

    member_data_label: str

    async def export_member(self, guild_id: int, user_id: int) -> list[ExportRow]: ...

    async def delete_member(self, guild_id: int, user_id: int) -> int: ...


@runtime_checkable
class RetentionRepository(Protocol):
    """A repository whose rows expire after the number of days configured under retention_key."""

    retention_key: str

    async def purge_before(self, cutoff: datetime) -> int: ...


class Repositories:
    """Every repository, built on one database connection and the anonymous store beside it."""

    def __init__(self, db: Database, default_timezone: str = "UTC", anonymous: AnonymousStore | None = None) -> None:
        self.db = db
        self.anonymous = anonymous or AnonymousStore(store_folder(Path(db.path)))
        self.settings = GuildSettingsRepository(db, default_timezone)
        self.schedules = ScheduleRepository(db)
        self.fires = FireRepository(db)
        self.meta = MetaRepository(db)
        self.deliveries = DeliveryFailureRepository(db)
        self.purges = PurgeLogRepository(db)
        self.quiz = QuizRepository(db)
        self.quiz_settings = QuizSettingsRepository(db)
        self.quiz_bank = QuizBankRepository(db)
        self.quiz_reviews = QuizReviewRepository(db)
        self.quiz_reports = QuizReportRepository(db)
        self.checkins = CheckInRepository(self.anonymous)
        self.checkin_replies = CheckInReplyRepository(self.anonymous)
        self.reflect = ReflectRepository(db)
        self.subscriptions = SubscriptionRepository(db)
        # Shares before the journal: a member's delete erases the shares (their copies on Discord go first)
        # before the entries, whose removal would otherwise take the shares with it uncounted.
        self.journal_shares = JournalShareRepository(db)
        self.journal = JournalRepository(db)
        self.meetings = MeetingRepository(db)
        self.meeting_dms = MeetingDmRepository(db)
        self.meeting_feedback = MeetingFeedbackRepository(self.anonymous)
        self.reminders = ReminderRepository(db)
        self.member_locales = MemberLocaleRepository(db)

    def all(self) -> list[object]:
        """Return every repository."""
        return [v for v in vars(self).values() if v is not self.db and v is not self.anonymous]

    def with_retention(self) -> list[RetentionRepository]:
        """Return the repositories whose old rows a retention purge removes."""
        return [r for r in self.all() if isinstance(r, RetentionRepository)]

    def member_data(self) -> list[MemberDataRepository]:
        """Return the repositories that hold member data."""
        return [r for r in self.all() if isinstance(r, MemberDataRepository)]

    async def warm(self, guild_ids: Collection[int]) -> None:
        """Read many servers' cached values (settings, banks) at once: one read per kind, not one per server each.

        A weekly fan-out reaches hundreds of servers whose values no one has read lately; each would otherwise
        read its own, five or six round trips to the database's thread per post.
        """
        with one_look():
            for repository in (self.settings, self.quiz_settings, self.quiz_bank, self.quiz_reports, self.reflect):
                await repository.warm(guild_ids)
