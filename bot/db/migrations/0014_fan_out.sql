-- Fan-out at scale: rate-limited fires stay due, and each member's DM channel is remembered.

-- A fire Discord rate-limited is not failed: it stays claimed with a retry time (StillDue in
-- bot/scheduling.py). The timer's look-up of the earliest pending retry covers both, so its index does too.
DROP INDEX fires_pending_retry;
CREATE INDEX fires_pending_retry ON fires (retry_at) WHERE retry_at IS NOT NULL;

-- Discord's id of the member's DM channel with the bot, learnt on the first DM prompt, so later prompts
-- skip opening the channel again (one request of two per DM). Part of the subscription: exported and
-- erased with it.
ALTER TABLE subscriptions ADD COLUMN dm_channel_id INTEGER;
