-- The supervision meeting: each meeting's record, who attended and who confirmed it (the trainee's hours log),
-- a server's meeting defaults, and the DMs members and supervisors asked for. Feedback on a meeting is anonymous
-- and lives in the anonymous store, never here.

CREATE TABLE meeting_settings (
    guild_id          INTEGER PRIMARY KEY,
    minutes           INTEGER NOT NULL DEFAULT 90 CHECK (minutes BETWEEN 10 AND 480),
    mode              TEXT    NOT NULL DEFAULT 'in_person' CHECK (mode IN ('in_person', 'online')),
    attendance_hours  INTEGER NOT NULL DEFAULT 3 CHECK (attendance_hours BETWEEN 1 AND 48)
);

-- About the group, not about anyone: when, how long, in what format, and an optional topic (never client material).
CREATE TABLE meetings (
    id                INTEGER PRIMARY KEY,
    guild_id          INTEGER NOT NULL,
    starts_at         INTEGER NOT NULL,          -- UTC unix seconds
    minutes           INTEGER NOT NULL CHECK (minutes BETWEEN 10 AND 480),
    format            TEXT    NOT NULL CHECK (format IN ('group', 'individual')),
    mode              TEXT    NOT NULL CHECK (mode IN ('in_person', 'online')),
    topic             TEXT,
    timezone          TEXT    NOT NULL,          -- the group's zone when recorded; dates in the hours log read in it
    attendance_until  INTEGER,                   -- "Mark me present" takes clicks until then
    feedback_until    INTEGER,                   -- feedback is taken until then; results show only after
    created_at        INTEGER NOT NULL
);
-- One group meeting per start time, so a retried attendance post finds the meeting it made.
CREATE UNIQUE INDEX meetings_group_start ON meetings (guild_id, starts_at) WHERE format = 'group';
CREATE INDEX meetings_guild_start ON meetings (guild_id, starts_at);

-- A member at a meeting: marked by their own click or added by a supervisor, then confirmed by a supervisor.
CREATE TABLE meeting_attendance (
    meeting_id         INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    guild_id           INTEGER NOT NULL,
    user_id            INTEGER NOT NULL,
    source             TEXT    NOT NULL CHECK (source IN ('button', 'supervisor')),
    recorded_at        INTEGER NOT NULL,
    confirmer_user_id  INTEGER,                  -- the confirming supervisor; cleared if they erase their data
    confirmed_by_name  TEXT,                     -- their name as it stood then: part of the trainee's record
    confirmed_at       INTEGER,
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_attendance_member ON meeting_attendance (guild_id, user_id);
CREATE INDEX meeting_attendance_confirmer ON meeting_attendance (guild_id, confirmer_user_id);

-- Who asked for DMs: supervisors for the pre-meeting brief, members for the feedback questions.
CREATE TABLE meeting_dm_optins (
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    kind      TEXT    NOT NULL CHECK (kind IN ('brief', 'feedback')),
    PRIMARY KEY (guild_id, user_id, kind)
);

-- Each DM claimed before it is sent, so a retry, a restart or a second process never sends it twice. A member
-- who presses "Later (1 h)" on a feedback DM gets it once more at resend_at; "Skip this one" ends it.
CREATE TABLE meeting_dms (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('brief', 'feedback')),
    about      INTEGER NOT NULL,                 -- brief: its scheduled time (unix); feedback: the meeting id
    status     TEXT    NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'snoozed', 'resending', 'skipped')),
    resend_at  INTEGER,
    at         INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id, kind, about)
);
CREATE INDEX meeting_dms_snoozed ON meeting_dms (status, resend_at);
