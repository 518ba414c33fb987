-- A counter's own finished tickets by service and time: the estimate's share of a
-- counter's past hour that its earlier tiers took reads that counter's hour (bounded by
-- what one clerk serves in an hour), not every ticket of the service finished in the hour
-- at any counter (which grows with the hall's day).
CREATE INDEX tickets_done_counter ON tickets(counter_number, service_id, finished_at)
    WHERE status = 'done';
