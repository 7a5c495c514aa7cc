-- Weekly element quizzes: settings, the week's questions, counted answers, and custom items.

CREATE TABLE quiz_settings (
    guild_id     INTEGER PRIMARY KEY,
    rotation     TEXT    NOT NULL DEFAULT '',   -- comma-separated element ids; empty = mixed
    questions    INTEGER,                       -- NULL = the config default
    leaderboard  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE quiz_weeks (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    week        TEXT    NOT NULL,               -- ISO date of the Monday of the group's local week
    focus       TEXT,                           -- element id, or NULL for a mixed quiz
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER,
    opened_at   INTEGER NOT NULL,
    closes_at   INTEGER,
    closed_at   INTEGER,
    UNIQUE (guild_id, week)
);

CREATE TABLE quiz_week_items (
    quiz_id   INTEGER NOT NULL REFERENCES quiz_weeks (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    item_id   TEXT    NOT NULL,
    PRIMARY KEY (quiz_id, position),
    UNIQUE (quiz_id, item_id)
);

-- One counted answer per member per question: the primary key is the guarantee.
CREATE TABLE quiz_answers (
    quiz_id      INTEGER NOT NULL REFERENCES quiz_weeks (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    guild_id     INTEGER NOT NULL,
    choice       INTEGER NOT NULL,
    correct      INTEGER NOT NULL,
    answered_at  INTEGER NOT NULL,
    PRIMARY KEY (quiz_id, position, user_id)
);
CREATE INDEX quiz_answers_member ON quiz_answers (guild_id, user_id);

-- Items a server wrote or imported; they belong to that server only.
CREATE TABLE quiz_custom_items (
    guild_id    INTEGER NOT NULL,
    item_id     TEXT    NOT NULL,
    element     TEXT    NOT NULL,
    body        TEXT    NOT NULL,               -- the validated item as JSON
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, item_id)
);

-- Items (bundled or custom) a server has switched off.
CREATE TABLE quiz_disabled_items (
    guild_id  INTEGER NOT NULL,
    item_id   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, item_id)
);
