-- Indexes the wait estimate (console/engine/estimate.py) and the low-position rule of the
-- calling policy read through, so neither grows with the years of history behind them.
-- The last N finished tickets of a service, newest first: the handling-time sample.
CREATE INDEX tickets_done_recent ON tickets(service_id, finished_at) WHERE status = 'done';
-- Waiting low-position tickets in queue order: taken first at a low-position counter.
CREATE INDEX tickets_low_waiting ON tickets(queued_at)
    WHERE status = 'waiting' AND low_position = 1;
-- Green-channel tickets issued today per service: the rate at which they overtake.
CREATE INDEX tickets_green_issued ON tickets(service_id, issued_at)
    WHERE green_reason IS NOT NULL;
