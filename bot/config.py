"""Load the bot's TOML config into frozen dataclasses, with one-line errors."""

from __future__ import annotations

import dataclasses
import difflib
import os
import reprlib
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.db.anonymous import store_folder
from bot.timezones import is_timezone

KNOWN_COGS = ("about", "admin", "quiz", "checkin", "reflect", "meeting")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(Exception):
    """A config problem, phrased as one line naming the file, key, value and what was expected."""

    def __init__(self, path: Path | str, key: str, message: str) -> None:
        self.path = str(path)
        self.key = key
        super().__init__(f"{self.path}: {key}: {message}" if key else f"{self.path}: {message}")


def _setting(
    expected: str,
    check: Callable[[Any], bool] | None = None,
    normalise: Callable[[Any], Any] | None = None,
    **kwargs: Any,
) -> Any:
    """Declare a config field: what valid values look like, an optional check, and how to normalise a value first."""
    return field(metadata={"expected": expected, "check": check, "normalise": normalise}, **kwargs)


_SHOW = reprlib.Repr()
_SHOW.maxstring, _SHOW.maxother, _SHOW.maxlevel, _SHOW.maxlist = 60, 60, 3, 8


def _show(value: Any) -> str:
    """A short, one-line rendering of a bad value (reprlib never recurses without bound)."""
    return _SHOW.repr(value)


def _name(key: str) -> str:
    """A key as written, or quoted if it holds spaces or control characters, so the error stays one line."""
    return key if key.isprintable() and " " not in key and len(key) <= 60 else _show(key)


def _is_snowflake_list(value: Any) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)


@dataclass(frozen=True)
class DiscordConfig:
    """How to reach Discord."""

    token_env: str = _setting("the name of an environment variable", lambda v: bool(v), default="DISCORD_TOKEN")
    api_base: str = _setting(
        "an http(s) URL such as http://127.0.0.1:8080/api/v10, or empty for Discord itself",
        lambda v: v == "" or v.startswith(("http://", "https://")),
        default="",
    )
    dev_guilds: tuple[int, ...] = _setting("a list of server ids (whole numbers)", _is_snowflake_list, default=())
    give_up_after_seconds: int = _setting(
        "a whole number of seconds from 1 to 3600", lambda v: 1 <= v <= 3600, default=300
    )
    # Scheduled posts and DMs are spaced just under this many requests per second, so a fan-out never
    # meets Discord's global rate limit; 0 turns the pacing off (a bot Discord granted a higher limit).
    global_rate_limit: int = _setting(
        "a whole number of requests per second from 0 (no pacing) to 10000", lambda v: 0 <= v <= 10000, default=50
    )


@dataclass(frozen=True)
class StorageConfig:
    """Where the SQLite database lives."""

    database: str = _setting("a file path", lambda v: bool(v.strip()), default="supervision-bot.sqlite3")


@dataclass(frozen=True)
class BotConfig:
    """Which features run and how much the bot logs."""

    cogs: tuple[str, ...] = _setting(
        f"a list drawn from {', '.join(KNOWN_COGS)}, each at most once",
        lambda v: all(c in KNOWN_COGS for c in v) and len(set(v)) == len(v),
        default=KNOWN_COGS,
    )
    log_level: str = _setting(
        f"one of {', '.join(LOG_LEVELS)} (any case)", lambda v: v in LOG_LEVELS, default="INFO", normalise=str.upper
    )
    default_timezone: str = _setting("an IANA timezone such as Europe/London", is_timezone, default="UTC")


@dataclass(frozen=True)
class SchedulerConfig:
    """How schedules behave around downtime."""

    grace_hours: int = _setting("a whole number of hours from 0 to 168", lambda v: 0 <= v <= 168, default=12)


@dataclass(frozen=True)
class QuizConfig:
    """Weekly quiz defaults."""

    questions: int = _setting("a whole number of questions from 1 to 10", lambda v: 1 <= v <= 10, default=5)
    # k for quiz results: no share, accuracy or chart point is shown from fewer members than this.
    min_group_size: int = _setting("a whole number from 1 to 50", lambda v: 1 <= v <= 50, default=3)


@dataclass(frozen=True)
class CheckinConfig:
    """Anonymous check-in safeguards."""

    min_digest_size: int = _setting(
        "a whole number from 2 to 20 (smaller groups are easier to re-identify)", lambda v: 2 <= v <= 20, default=3
    )
    weekly_limit: int = _setting("a whole number from 1 to 20", lambda v: 1 <= v <= 20, default=3)
    below_threshold: str = _setting(
        '"rollover" (keep them for the next digest) or "drop"', lambda v: v in ("rollover", "drop"), default="rollover"
    )


@dataclass(frozen=True)
class MeetingConfig:
    """The supervision meeting's anonymous feedback."""

    # k for meeting feedback: no mean, spread, chart point or words from fewer answers than this.
    min_feedback_answers: int = _setting(
        "a whole number from 2 to 20 (smaller groups are easier to re-identify)", lambda v: 2 <= v <= 20, default=3
    )


def _days(v: int) -> bool:
    return 1 <= v <= 3650


@dataclass(frozen=True)
class RetentionConfig:
    """How long each kind of data is kept before the daily purge removes it."""

    fire_history_days: int = _setting("a whole number of days from 1 to 3650", _days, default=180)
    delivery_failure_days: int = _setting("a whole number of days from 1 to 3650", _days, default=30)
    checkin_days: int = _setting("a whole number of days from 1 to 3650", _days, default=90)
    dm_delivery_days: int = _setting("a whole number of days from 1 to 3650", _days, default=30)
    shared_entry_days: int = _setting("a whole number of days from 1 to 3650", _days, default=180)
    # Trainees need their supervised-hours record for registration, often years later; they should export it too.
    meeting_record_days: int = _setting("a whole number of days from 1 to 3650", _days, default=2555)
    meeting_feedback_days: int = _setting("a whole number of days from 1 to 3650", _days, default=365)

    def days_for(self, key: str) -> int:
        """Return the retention in days for a repository's retention_key."""
        return int(getattr(self, key))


@dataclass(frozen=True)
class Config:
    """The whole config file."""

    path: str
    discord: DiscordConfig = field(default_factory=DiscordConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    bot: BotConfig = field(default_factory=BotConfig)
    scheduler: SchedulerConfig = field(default_factory=SchedulerConfig)
    quiz: QuizConfig = field(default_factory=QuizConfig)
    checkin: CheckinConfig = field(default_factory=CheckinConfig)
    meeting: MeetingConfig = field(default_factory=MeetingConfig)
    retention: RetentionConfig = field(default_factory=RetentionConfig)

    @property
    def database_path(self) -> Path:
        """The database file, relative paths taken from the config file's folder."""
        db = Path(self.storage.database)
        return db if db.is_absolute() else Path(self.path).resolve().parent / db

    @property
    def anonymous_store_path(self) -> Path:
        """The anonymous store's folder, beside the database file."""
        return store_folder(self.database_path)


SECTIONS: dict[str, type] = {
    # Every section field has a default_factory (its class); mypy cannot see that through dataclasses.fields().
    f.name: f.default_factory  # type: ignore[misc]
    for f in dataclasses.fields(Config)
    if f.name != "path"
}

_TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false", float: "a number"}


def _nearest(name: str, options: list[str]) -> str:
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else f"; valid keys: {', '.join(options)}"


def _coerce(path: Path, key: str, value: Any, annotation: str, expected: str) -> Any:
    """Check a TOML value against a field's declared type and return it in the dataclass's shape."""
    bad = ConfigError(path, key, f"{_show(value)} is not valid; expected {expected}")
    if annotation.startswith("tuple["):
        item_type = {"str": str, "int": int}[annotation[6:].split(",")[0]]
        if not isinstance(value, list) or not all(isinstance(v, item_type) and not isinstance(v, bool) for v in value):
            raise bad
        return tuple(value)
    wanted = {"str": str, "int": int, "bool": bool, "float": float}[annotation]
    if isinstance(value, bool) and wanted is not bool:
        raise bad
    if wanted is float and isinstance(value, int):
        value = float(value)
    if not isinstance(value, wanted):
        raise ConfigError(path, key, f"{_show(value)} is not {_TYPE_NAMES[wanted]}; expected {expected}")
    return value


def _load_section(path: Path, name: str, cls: type, raw: Any) -> Any:
    if not isinstance(raw, Mapping):
        raise ConfigError(path, f"[{name}]", f"{_show(raw)} is not a table; expected a [{name}] section")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        full = f"[{name}] {_name(key)}"
        if key not in fields:
            raise ConfigError(path, full, f"unknown key{_nearest(key, list(fields))}")
        spec = fields[key]
        expected = spec.metadata["expected"]
        value = given = _coerce(path, full, value, str(spec.type), expected)
        if spec.metadata["normalise"] is not None:
            value = spec.metadata["normalise"](value)
        check = spec.metadata["check"]
        if check is not None and not check(value):
            shown = list(given) if isinstance(given, tuple) else given
            raise ConfigError(path, full, f"{_show(shown)} is not valid; expected {expected}")
        values[key] = value
    return cls(**values)


def parse_config(text: str, path: Path | str) -> Config:
    """Parse config text; raise ConfigError with a one-line message on any problem."""
    path = Path(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts "(at line L, column C)" in its message; keep it on one line.
        raise ConfigError(path, "", f"invalid TOML: {exc}") from None
    except RecursionError:
        # tomllib recurses per nesting level; thousands of nested brackets exhaust the stack.
        raise ConfigError(path, "", "invalid TOML: values are nested too deeply") from None
    sections: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in SECTIONS:
            raise ConfigError(path, f"[{_name(name)}]", f"unknown section{_nearest(name, list(SECTIONS))}")
        sections[name] = _load_section(path, name, SECTIONS[name], value)
    return Config(path=str(path), **sections)


def load_config(path: Path | str) -> Config:
    """Read and validate the config file at path."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found; copy config.example.toml to this path or pass --config") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, "", f"cannot read the file ({exc.__class__.__name__})") from None
    return parse_config(text, path)


def resolve_token(config: Config, environ: Mapping[str, str] | None = None) -> str:
    """Return the bot token from the environment variable the config names."""
    environ = os.environ if environ is None else environ
    name = config.discord.token_env
    token = environ.get(name, "").strip()
    if not token:
        raise ConfigError(
            config.path,
            "[discord] token_env",
            f"environment variable {name} is empty or unset; expected the bot token in it",
        )
    return token
