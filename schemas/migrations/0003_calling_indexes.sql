-- Indexes that let each rule of the calling policy (console/engine/policy.py) read
-- the queue in order instead of sorting it: call-next costs the same with 40 or
-- 40,000 tickets waiting.
CREATE INDEX tickets_directed ON tickets(directed_counter, queued_at) WHERE status = 'waiting';
CREATE INDEX tickets_green_waiting ON tickets(queued_at)
    WHERE status = 'waiting' AND green_reason IS NOT NULL;
