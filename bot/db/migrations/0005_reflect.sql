-- Reflective prompts: the group's weekly prompt, members' DM subscriptions, and private journals.

CREATE TABLE reflect_settings (
    guild_id              INTEGER PRIMARY KEY,
    lean_toward_weakest   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE group_prompts (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    prompt_id    TEXT    NOT NULL,
    element      TEXT    NOT NULL,
    channel_id   INTEGER NOT NULL,
    message_id   INTEGER,
    thread_id    INTEGER,
    posted_at    INTEGER NOT NULL,
    in_cycle     INTEGER NOT NULL DEFAULT 1     -- 0 once the element's prompts were all used and it restarted
);
CREATE INDEX group_prompts_guild ON group_prompts (guild_id, posted_at);

CREATE TABLE custom_prompts (
    guild_id    INTEGER NOT NULL,
    prompt_id   TEXT    NOT NULL,
    element     TEXT    NOT NULL,
    stage       TEXT    NOT NULL,
    function    TEXT,
    text        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, prompt_id)
);

CREATE TABLE disabled_prompts (
    guild_id   INTEGER NOT NULL,
    prompt_id  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, prompt_id)
);

CREATE TABLE subscriptions (
    guild_id      INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    weekdays      TEXT    NOT NULL,
    local_time    TEXT    NOT NULL,
    timezone      TEXT    NOT NULL,
    quiet_start   TEXT,
    quiet_end     TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    paused_until  INTEGER,
    active_from   INTEGER NOT NULL,              -- nothing before this is ever sent
    PRIMARY KEY (guild_id, user_id)
);

-- One row per due prompt per member, claimed before sending so it goes out once.
CREATE TABLE dm_deliveries (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    due_at     INTEGER NOT NULL,
    prompt_id  TEXT    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'skipped')),
    PRIMARY KEY (guild_id, user_id, due_at)
);

CREATE TABLE journal_entries (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    prompt_id   TEXT,
    prompt_text TEXT,
    element     TEXT,
    body        TEXT    NOT NULL,
    written_at  INTEGER NOT NULL,
    shared_message_id INTEGER
);
CREATE INDEX journal_member ON journal_entries (guild_id, user_id, written_at);
