-- Indexes that keep every operation of a hall day independent of how much history the
-- hall holds (tests/engine/test_query_plans.py proves each statement is answered from
-- an index): a year of a busy hall is about 2,000,000 tickets.

-- A counter's parked tickets, in the order they were called (the desk's parked list).
CREATE INDEX tickets_parked ON tickets(counter_number, called_at) WHERE status = 'parked';

-- One day's tickets in issue order (the ticket lists of the screens and the CLI).
CREATE INDEX tickets_day_issued ON tickets(day, issued_at);
