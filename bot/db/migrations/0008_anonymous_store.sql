-- Check-ins move to the anonymous store (bot/db/anonymous.py), a separate file per server that is
-- rebuilt in key order on every write. Before this runs, bot/db/upgrade.py has copied every row there;
-- after it, the database is vacuumed and its WAL truncated, so no page or frame keeps the old rows.
-- The per-week secrets and quota rows go for good: the weekly limit is now counted in memory only.
DROP TABLE IF EXISTS checkin_quota;
DROP TABLE IF EXISTS checkin_periods;
DROP TABLE IF EXISTS checkins;
