-- Wrong-PIN limit per station: every login attempt through the hall server takes a row
-- here before its PIN is checked (a right PIN gives it back), so racing attempts are all
-- counted and a server restart does not forget them.

CREATE TABLE station_login_attempts (
    id         INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
    at         REAL NOT NULL                      -- Unix seconds
);
CREATE INDEX station_login_attempts_station ON station_login_attempts(station_id, at);
