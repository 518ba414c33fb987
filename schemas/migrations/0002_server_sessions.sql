-- The hall server (issue 6): a station may be registered as an admin station,
-- and clerk sessions survive a server restart (tokens are stored hashed).

ALTER TABLE stations ADD COLUMN role TEXT NOT NULL DEFAULT 'station'
    CHECK (role IN ('station', 'admin'));  -- admin: acts as the admin shell without a login

CREATE TABLE server_sessions (
    token_hash TEXT PRIMARY KEY,                 -- sha256 of the bearer session token
    station_id INTEGER NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
    staff_no   TEXT NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX server_sessions_station ON server_sessions(station_id);
