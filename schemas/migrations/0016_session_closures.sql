-- A hall's own closed day: a session row with closed = 1 and a date closes the hall that
-- whole day, on top of the official calendar (a holiday the installed calendar does not
-- know yet, a day the hall shuts for its own reasons). Its opens/closes are 00:00-23:59.
ALTER TABLE sessions ADD COLUMN closed INTEGER NOT NULL DEFAULT 0;
