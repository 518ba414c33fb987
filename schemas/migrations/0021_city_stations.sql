-- A station may be the city's (a city office following its halls): its token opens only the
-- read-only city routes (/api/v1/city/), which carry no personal field.
-- SQLite cannot change a CHECK constraint in place, so the stations table is rebuilt.
-- Dropping it cascades to the clerk sessions and login attempts that name a station
-- (foreign keys are on), so those are kept aside and put back with the same ids.

CREATE TEMP TABLE kept_sessions AS SELECT * FROM server_sessions;
CREATE TEMP TABLE kept_attempts AS SELECT * FROM station_login_attempts;

CREATE TABLE stations_new (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL,                    -- sha256 of the bearer token
    created_at REAL NOT NULL,
    revoked_at REAL,
    role       TEXT NOT NULL DEFAULT 'station'
        CHECK (role IN ('station', 'admin', 'kiosk', 'city'))  -- city: read the city's figures
);
INSERT INTO stations_new (id, name, token_hash, created_at, revoked_at, role)
    SELECT id, name, token_hash, created_at, revoked_at, role FROM stations;
DROP TABLE stations;
ALTER TABLE stations_new RENAME TO stations;

INSERT INTO server_sessions SELECT * FROM kept_sessions;
INSERT INTO station_login_attempts SELECT * FROM kept_attempts;
DROP TABLE kept_sessions;
DROP TABLE kept_attempts;
