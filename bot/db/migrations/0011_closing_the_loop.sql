-- Closing the loop with each member: confidence per quiz answer, each member's own review schedule, reports of
-- quiz items, journal entries shared privately with supervisors, and where those shares and the digest go.

-- 1 guessing, 2 fairly sure, 3 certain; NULL when the member did not say. Never shown to the group.
ALTER TABLE quiz_answers ADD COLUMN confidence INTEGER CHECK (confidence BETWEEN 1 AND 3);

-- When an item comes back in a member's own practice (a confident miss comes back soonest).
CREATE TABLE quiz_reviews (
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    item_id   TEXT    NOT NULL,
    due_at    INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id, item_id)
);

-- One report per member per item; resolved_at is set when a supervisor has looked.
CREATE TABLE quiz_item_reports (
    guild_id     INTEGER NOT NULL,
    item_id      TEXT    NOT NULL,
    user_id      INTEGER NOT NULL,
    reason       TEXT    NOT NULL,
    details      TEXT,
    reported_at  INTEGER NOT NULL,
    resolved_at  INTEGER,
    PRIMARY KEY (guild_id, item_id, user_id)
);

-- Items held back from new quizzes and practice in one server until a supervisor looks at their reports.
CREATE TABLE quiz_paused_items (
    guild_id  INTEGER NOT NULL,
    item_id   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, item_id)
);

-- A journal entry shared with the group's supervisors, under the member's name; its copies are messages.
CREATE TABLE journal_shares (
    entry_id    INTEGER PRIMARY KEY REFERENCES journal_entries (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    shared_at   INTEGER NOT NULL,
    reply       TEXT,
    reply_from  TEXT,                         -- the replying supervisor's display name, as the member sees it
    replied_at  INTEGER
);
CREATE TABLE journal_share_copies (
    entry_id    INTEGER NOT NULL REFERENCES journal_shares (entry_id) ON DELETE CASCADE,
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    PRIMARY KEY (entry_id, message_id)
);
-- Supervisors who asked to receive shared entries by DM.
CREATE TABLE share_dm_recipients (
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

ALTER TABLE guild_settings ADD COLUMN supervisor_channel_id INTEGER;
ALTER TABLE guild_settings ADD COLUMN digest_opt_in INTEGER NOT NULL DEFAULT 0;
