-- A scheduled action is a short sequence of steps (post, then thread; digest batch 1..n). Each step is
-- recorded the moment it is done, so a retry resumes at the first step not done and never repeats one.

CREATE TABLE fire_steps (
    fire_id  INTEGER NOT NULL REFERENCES fires (id) ON DELETE CASCADE,
    step     TEXT    NOT NULL,
    value    TEXT    NOT NULL DEFAULT '',   -- what the step made that later steps need (a message id)
    PRIMARY KEY (fire_id, step)
) WITHOUT ROWID;

-- The timer asks for the earliest pending retry after every pass.
CREATE INDEX fires_pending_retry ON fires (retry_at) WHERE status = 'failed' AND retry_at IS NOT NULL;
