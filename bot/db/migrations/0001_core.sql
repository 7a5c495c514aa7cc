-- Core tables: per-server settings, schedules, claimed fires, and bot bookkeeping.
-- Timestamps are UTC unix seconds (INTEGER); local times are text with their IANA zone beside them.

CREATE TABLE guild_settings (
    guild_id            INTEGER PRIMARY KEY,
    timezone            TEXT    NOT NULL DEFAULT 'UTC',
    supervisor_role_id  INTEGER,
    prompts_channel_id  INTEGER,
    quiz_channel_id     INTEGER,
    digest_channel_id   INTEGER,
    meeting_weekday     INTEGER CHECK (meeting_weekday BETWEEN 0 AND 6),
    meeting_time        TEXT,
    updated_at          INTEGER NOT NULL
);

CREATE TABLE schedules (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    weekdays      TEXT    NOT NULL,          -- comma-separated, Monday = 0
    local_time    TEXT    NOT NULL,          -- HH:MM in `timezone`
    timezone      TEXT    NOT NULL,
    channel_id    INTEGER,
    enabled       INTEGER NOT NULL DEFAULT 1,
    paused_until  INTEGER,                   -- fires before this instant are skipped
    active_from   INTEGER NOT NULL,          -- no fire before this instant is run or caught up
    UNIQUE (guild_id, kind)
);

-- A fire is claimed here before any work, so a restart or a second process never repeats it.
CREATE TABLE fires (
    id             INTEGER PRIMARY KEY,
    job            TEXT    NOT NULL,         -- 'schedule:<id>' or a system job name
    schedule_id    INTEGER REFERENCES schedules (id) ON DELETE CASCADE,
    guild_id       INTEGER,
    kind           TEXT    NOT NULL,
    scheduled_for  INTEGER NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('claimed', 'posted', 'skipped', 'failed')),
    detail         TEXT,
    claimed_at     INTEGER NOT NULL,
    finished_at    INTEGER,
    UNIQUE (job, scheduled_for)
);
CREATE INDEX fires_guild_recent ON fires (guild_id, scheduled_for);

CREATE TABLE bot_meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
