-- DM deliveries that failed (e.g. a member closed their DMs), shown in /status and to the member.

CREATE TABLE dm_failures (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    feature     TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    failed_at   INTEGER NOT NULL,
    notified    INTEGER NOT NULL DEFAULT 0   -- whether the member has been told
);
CREATE INDEX dm_failures_guild_time ON dm_failures (guild_id, failed_at);
CREATE INDEX dm_failures_member ON dm_failures (guild_id, user_id);

-- What each daily retention purge removed, so supervisors can see retention is enforced.
CREATE TABLE purge_log (
    id        INTEGER PRIMARY KEY,
    ran_at    INTEGER NOT NULL,
    summary   TEXT    NOT NULL
);
