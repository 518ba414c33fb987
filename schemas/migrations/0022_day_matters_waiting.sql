-- The matters someone is waiting for today: the hall view lists those, one row each, so
-- what it reads grows with the queue, not with the matters issued since the morning (a
-- one-stop hall of 1,044 matters has tickets of nearly all of them by mid-morning).
CREATE INDEX day_matters_waiting ON day_matters(day, matter_id) WHERE waiting > 0;
