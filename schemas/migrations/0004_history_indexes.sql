-- Indexes that keep every operation of a hall day independent of how much history the
-- hall holds (tests/engine/test_query_plans.py proves each statement is answered from
-- an index): a year of a busy hall is about 2,000,000 tickets.

-- A counter's parked tickets, in the order they were called (the desk's parked list).
CREATE INDEX tickets_parked ON tickets(counter_number, called_at) WHERE status = 'parked';

-- The wait estimate's recent handling times: a service's newest finished tickets.
CREATE INDEX tickets_done_finished ON tickets(service_id, finished_at) WHERE status = 'done';

-- One day's tickets in issue order (the ticket lists of the screens and the CLI).
CREATE INDEX tickets_day_issued ON tickets(day, issued_at);

-- Print jobs of one status in id order: the worker's next job, `printers jobs --status failed`.
CREATE INDEX print_jobs_status ON print_jobs(status, id);
