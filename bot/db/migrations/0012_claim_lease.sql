-- A claimed fire is held by a live process, which renews claimed_at while it works. One whose claim has
-- not been renewed for the lease belongs to a process that died mid-way; another takes it over.
CREATE INDEX fires_claimed ON fires (claimed_at) WHERE status = 'claimed';
