-- A claimed prompt DM is a lease, like a claimed fire (0012): the batch sending it renews claimed_at while it
-- works, and a claim not renewed for the lease belongs to a process that stopped mid-send; the next DM tick of
-- any other process (or of the same one, restarted) takes it over and sends it again with the same nonce.

-- Which batch holds the claim: a random token per DM tick, so a process never takes over its own batch's DMs.
-- '' once the DM is settled.
ALTER TABLE dm_deliveries ADD COLUMN holder TEXT NOT NULL DEFAULT '';
-- When the holder last said it was still sending (unix seconds); NULL once the DM is settled.
ALTER TABLE dm_deliveries ADD COLUMN claimed_at INTEGER;
-- Tries so far: 1 for the first claim, one more for each takeover. Past the bound the DM is failed, not sent.
ALTER TABLE dm_deliveries ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
-- Why the bot gave up on a DM it claimed (English, as dm_failures keeps it); NULL for Discord's own refusals.
ALTER TABLE dm_deliveries ADD COLUMN detail TEXT;

-- Claims left by a process from before this migration have no claim time: they start their lease now, so one
-- still being sent by a process that has not stopped yet is not taken from it, and a lost one is found.
UPDATE dm_deliveries SET claimed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE status = 'claimed';

-- Claimed rows are few (one batch at a time); this keeps renewals and the look for stale ones off the history.
CREATE INDEX dm_deliveries_claimed ON dm_deliveries (holder, claimed_at) WHERE status = 'claimed';
