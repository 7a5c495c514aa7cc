-- Anonymous countertransference check-ins. Nothing here holds a user id or a time finer than a day.

-- One secret per server and period, for keyed hashes of user ids (the weekly limit). It is
-- destroyed when the period closes, after which nothing can be linked to anyone.
CREATE TABLE checkin_periods (
    guild_id  INTEGER NOT NULL,
    period    TEXT    NOT NULL,                 -- ISO week in the group's zone, e.g. 2026-W48
    secret    BLOB,                             -- NULL once destroyed
    PRIMARY KEY (guild_id, period)
);

CREATE TABLE checkin_quota (
    guild_id    INTEGER NOT NULL,
    period      TEXT    NOT NULL,
    member_key  TEXT    NOT NULL,               -- HMAC of the user id under the period's secret
    used        INTEGER NOT NULL,
    PRIMARY KEY (guild_id, period, member_key)
) WITHOUT ROWID;

-- WITHOUT ROWID and a random primary key: rows are stored in an order unrelated to insertion.
CREATE TABLE checkins (
    id          TEXT    PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    period      TEXT    NOT NULL,
    day         TEXT    NOT NULL,               -- local date only
    dimensions  TEXT    NOT NULL,               -- comma-separated dimension ids
    intensity   INTEGER NOT NULL CHECK (intensity BETWEEN 1 AND 5),
    body        TEXT,
    share_text  INTEGER NOT NULL,
    raise_it    INTEGER NOT NULL,
    code_hash   TEXT    NOT NULL UNIQUE,
    released    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX checkins_guild_period ON checkins (guild_id, period);
