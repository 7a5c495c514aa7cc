-- A fire that failed for a passing reason (Discord rate limits or outages) is retried.

ALTER TABLE fires ADD COLUMN retry_at INTEGER;            -- NULL: not to be retried
ALTER TABLE fires ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
