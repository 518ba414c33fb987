-- The hall database, version 1. Times are Unix seconds (REAL); days are the
-- hall's local date 'YYYY-MM-DD'. Applied by console/store/migrations.py.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL              -- JSON
);

CREATE TABLE services (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    prefix          TEXT NOT NULL,
    target_wait_min INTEGER NOT NULL DEFAULT 30 CHECK (target_wait_min > 0),
    handling_min    REAL NOT NULL DEFAULT 8 CHECK (handling_min > 0),
    active          INTEGER NOT NULL DEFAULT 1,
    materials       TEXT NOT NULL DEFAULT '[]'   -- JSON list: what a citizen may need to bring
);

CREATE TABLE clerks (
    id              INTEGER PRIMARY KEY,
    staff_no        TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL DEFAULT 'clerk' CHECK (role IN ('clerk', 'manager', 'admin')),
    pin_hash        TEXT NOT NULL,               -- argon2id
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    REAL,
    active          INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE printers (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    connection     TEXT NOT NULL CHECK (connection IN ('usb', 'network', 'serial', 'file', 'cups')),
    address        TEXT NOT NULL,
    width_dots     INTEGER NOT NULL DEFAULT 384 CHECK (width_dots IN (384, 576)),
    mode           TEXT NOT NULL DEFAULT 'text' CHECK (mode IN ('text', 'raster')),
    encoding       TEXT NOT NULL DEFAULT 'gb18030' CHECK (encoding IN ('gb18030', 'gbk')),
    station        TEXT,
    counter_number INTEGER,
    purpose        TEXT NOT NULL DEFAULT 'ticket' CHECK (purpose IN ('ticket', 'receipt'))
);

CREATE TABLE counters (
    id            INTEGER PRIMARY KEY,
    number        INTEGER NOT NULL UNIQUE CHECK (number > 0),
    name          TEXT NOT NULL,
    green_channel INTEGER NOT NULL DEFAULT 0,
    low_position  INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1,
    state         TEXT NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open', 'paused')),
    pause_reason  TEXT,
    state_since   REAL,
    clerk_id      INTEGER REFERENCES clerks(id),
    green_streak  INTEGER NOT NULL DEFAULT 0,    -- green-channel calls in a row (anti-starvation)
    printer_id    INTEGER REFERENCES printers(id) ON DELETE SET NULL
);
-- A clerk works at one counter at a time.
CREATE UNIQUE INDEX counters_one_per_clerk ON counters(clerk_id) WHERE state != 'closed';

CREATE TABLE counter_services (
    counter_id INTEGER NOT NULL REFERENCES counters(id) ON DELETE CASCADE,
    service_id INTEGER NOT NULL REFERENCES services(id),
    tier       INTEGER NOT NULL,                 -- calling order: lower tiers first
    PRIMARY KEY (counter_id, service_id)
);

CREATE TABLE sessions (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    opens    TEXT NOT NULL,                      -- HH:MM
    closes   TEXT NOT NULL,                      -- HH:MM, after opens
    weekdays TEXT NOT NULL DEFAULT '1234567',    -- ISO weekdays of a daily session
    date     TEXT,                               -- set for a one-day extra session
    active   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE appointments (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    service_id   INTEGER NOT NULL REFERENCES services(id),
    day          TEXT NOT NULL,
    slot         TEXT,                           -- HH:MM
    name         TEXT,
    green_reason TEXT,
    ticket_id    INTEGER REFERENCES tickets(id),
    imported_at  REAL NOT NULL
);

CREATE TABLE tickets (
    id               INTEGER PRIMARY KEY,
    day              TEXT NOT NULL,
    prefix           TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    number           TEXT NOT NULL,
    service_id       INTEGER NOT NULL REFERENCES services(id),
    status           TEXT NOT NULL CHECK (status IN
                       ('waiting', 'called', 'serving', 'parked', 'done', 'no_show', 'cancelled', 'expired')),
    issued_at        REAL NOT NULL,
    queued_at        REAL NOT NULL,
    green_reason     TEXT,
    green_note       TEXT,
    low_position     INTEGER NOT NULL DEFAULT 0,
    directed_counter INTEGER,                    -- counter number a transfer sent it to
    counter_number   INTEGER,                    -- counter holding it (called, serving, parked)
    clerk_staff_no   TEXT,
    called_at        REAL,
    served_at        REAL,
    finished_at      REAL,
    recall_count     INTEGER NOT NULL DEFAULT 0,
    outcome          TEXT CHECK (outcome IN ('done', 'incomplete', 'referred')),
    materials        TEXT NOT NULL DEFAULT '[]',
    rating           INTEGER CHECK (rating BETWEEN 1 AND 5),
    note             TEXT,
    transferred      INTEGER NOT NULL DEFAULT 0,
    session_id       INTEGER REFERENCES sessions(id),
    appointment_code TEXT,
    UNIQUE (day, prefix, seq)
);
-- The database itself refuses a counter holding two tickets at once.
CREATE UNIQUE INDEX tickets_one_active_per_counter
    ON tickets(counter_number) WHERE status IN ('called', 'serving');
CREATE INDEX tickets_waiting ON tickets(service_id, queued_at) WHERE status = 'waiting';
CREATE INDEX tickets_day ON tickets(day, service_id);
CREATE INDEX tickets_open ON tickets(day) WHERE status IN ('waiting', 'called', 'serving', 'parked');

CREATE TABLE events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the change feed's cursor
    at             REAL NOT NULL,
    kind           TEXT NOT NULL,
    ticket_id      INTEGER REFERENCES tickets(id),
    counter_number INTEGER,
    actor          TEXT,
    station        TEXT,
    changes        TEXT NOT NULL DEFAULT '{}'          -- JSON {column: [before, after]}
);
CREATE INDEX events_ticket ON events(ticket_id);
CREATE INDEX events_at ON events(at);

-- Idempotent commands: a repeated key returns the recorded result.
CREATE TABLE commands (
    key    TEXT PRIMARY KEY,
    op     TEXT NOT NULL,
    result TEXT NOT NULL,                        -- JSON
    at     REAL NOT NULL
);

CREATE TABLE print_jobs (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
    kind       TEXT NOT NULL CHECK (kind IN ('ticket', 'receipt')),
    printer    TEXT,
    status     TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'printing', 'done', 'failed')),
    error      TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX print_jobs_pending ON print_jobs(status) WHERE status IN ('queued', 'printing');

CREATE TABLE stations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL,                    -- sha256 of the bearer token
    created_at REAL NOT NULL,
    revoked_at REAL
);
