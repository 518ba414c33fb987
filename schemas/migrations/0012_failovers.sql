-- A standby took over from a restored replica (`qconsole restore`): when, from which event
-- of the lost primary's log, and the first ticket number each prefix may hand out that day,
-- so a number printed in the last seconds before the crash is never given to a second citizen.
CREATE TABLE failovers (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    at REAL NOT NULL,
    from_event INTEGER NOT NULL,
    event_id INTEGER NOT NULL,
    gap INTEGER NOT NULL,
    floors TEXT NOT NULL DEFAULT '{}',
    replica TEXT NOT NULL DEFAULT ''
);
CREATE INDEX failovers_day ON failovers(day, id);
