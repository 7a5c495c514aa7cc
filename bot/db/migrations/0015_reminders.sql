-- Reminders and snooze: members who asked for a DM before the week's quiz closes, and every reminder DM (that
-- one, and a reflective prompt DM put off with "Later (1 h)"), each claimed once before it is sent.
-- (Numbered 0014 on this branch; it follows the performance work's migration when both land.)

-- Members who asked for a DM some hours before the week's quiz closes, sent only if they haven't finished it.
CREATE TABLE quiz_reminder_optins (
    guild_id      INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    hours_before  INTEGER NOT NULL DEFAULT 6 CHECK (hours_before BETWEEN 1 AND 48),
    timezone      TEXT    NOT NULL,              -- IANA zone the quiet hours are read in
    quiet_start   TEXT,                          -- HH:MM; no reminder comes between quiet_start and quiet_end
    quiet_end     TEXT,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- One row per reminder DM, claimed before it is sent, so a retry, a restart or a second process never sends it
-- twice. kind 'quiz': the reminder before quiz `about` (its id) closes. kind 'prompt': the reflective prompt DM
-- due at `about` (unix), put off or skipped by its member; `prompt_id` is the prompt to send again.
-- "Later (1 h)" sets status 'snoozed' and resend_at; the one re-send ends 'resent'. A claim ('claimed',
-- 'resending') is a lease: one older than a few minutes belongs to a process that stopped, and is taken over.
CREATE TABLE reminder_dms (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('quiz', 'prompt')),
    about      INTEGER NOT NULL,
    prompt_id  TEXT,
    status     TEXT    NOT NULL
               CHECK (status IN ('claimed', 'sent', 'failed', 'snoozed', 'resending', 'resent', 'skipped')),
    resend_at  INTEGER,
    at         INTEGER NOT NULL,                 -- when it was claimed, sent or last changed
    PRIMARY KEY (guild_id, user_id, kind, about)
);
CREATE INDEX reminder_dms_snoozed ON reminder_dms (status, resend_at);
