"""Frozen dataclasses for the rows the core repositories return."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import overload

# A claim (a scheduled fire, a DM) not renewed or settled within this long belongs to a process that stopped
# mid-way; another process, or the same one restarted, may take it over. Sends carry a nonce, so if the first
# one did land within Discord's nonce window, Discord returns it rather than making a second.
CLAIM_LEASE = timedelta(minutes=3)


@overload
def from_unix(seconds: int) -> datetime: ...
@overload
def from_unix(seconds: None) -> None: ...
@overload
def from_unix(seconds: int | None) -> datetime | None: ...
def from_unix(seconds: int | None) -> datetime | None:
    """Turn stored UTC unix seconds into an aware datetime."""
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


@overload
def to_unix(moment: datetime) -> int: ...
@overload
def to_unix(moment: None) -> None: ...
@overload
def to_unix(moment: datetime | None) -> int | None: ...
def to_unix(moment: datetime | None) -> int | None:
    """Turn an aware datetime into UTC unix seconds for storage."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetime; every datetime in the bot must be timezone-aware")
    return int(moment.timestamp())


@dataclass(frozen=True, slots=True)
class GuildSettings:
    """A server's group settings."""

    guild_id: int
    timezone: str = "UTC"
    supervisor_role_id: int | None = None
    prompts_channel_id: int | None = None
    quiz_channel_id: int | None = None
    digest_channel_id: int | None = None
    meeting_weekday: int | None = None
    meeting_time: str | None = None
    support_line: str | None = None
    supervisor_channel_id: int | None = None
    digest_opt_in: bool = False
    locale: str | None = None  # the group's language (a Discord locale); None: the server's preferred locale


@dataclass(frozen=True, slots=True)
class Schedule:
    """A weekly schedule: fire at local_time on weekdays (Monday = 0) in timezone."""

    id: int
    guild_id: int
    kind: str
    weekdays: tuple[int, ...]
    local_time: str
    timezone: str
    channel_id: int | None
    enabled: bool
    paused_until: datetime | None
    active_from: datetime

    @property
    def job_id(self) -> str:
        """The stable id used for the in-memory timer and the fires table."""
        return f"schedule:{self.id}"


@dataclass(frozen=True, slots=True)
class Fire:
    """One claimed (or skipped) run of a schedule or system job."""

    id: int
    job: str
    schedule_id: int | None
    guild_id: int | None
    kind: str
    scheduled_for: datetime
    status: str
    detail: str | None
    channel_id: int | None = None
    attempts: int = 1
    retry_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class QuizSettings:
    """A server's quiz preferences."""

    guild_id: int
    rotation: tuple[str, ...] = ()
    questions: int | None = None
    leaderboard: bool = False


@dataclass(frozen=True, slots=True)
class QuizWeek:
    """One week's quiz in a server."""

    id: int
    guild_id: int
    week: str
    focus: str | None
    channel_id: int
    message_id: int | None
    opened_at: datetime
    closes_at: datetime | None
    closed_at: datetime | None
    item_ids: tuple[str, ...]

    @property
    def is_open(self) -> bool:
        """Whether answers still count."""
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class RecordedAnswer:
    """A member's counted answer to one question."""

    position: int
    choice: int
    correct: bool


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One entry of a member's data export: labelled values, in the order the member reads them."""

    fields: tuple[tuple[str, object], ...]

    @classmethod
    def of(cls, values: Mapping[str, object]) -> ExportRow:
        """Build an entry from labels and values, keeping their order."""
        return cls(tuple(values.items()))

    def as_dict(self) -> dict[str, object]:
        """The entry as the export document holds it."""
        return dict(self.fields)
