-- The city's own database (`qconsole city serve --db city.db`): what it saw of each hall.
-- Every figure is the hall's as read, replaced when read again, never added to: a
-- notice or a snapshot seen twice counts nothing twice.

-- The city's name (city.toml's `name`), for its pages and reports.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The halls as city.toml lists them (refreshed at each start; a hall dropped from the list
-- keeps its rows here, for the reports of the days it was followed).
CREATE TABLE halls (
    key      TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    district TEXT NOT NULL DEFAULT '',
    address  TEXT NOT NULL DEFAULT '',
    lat      REAL,
    lon      REAL,
    listed   INTEGER NOT NULL DEFAULT 1          -- in city.toml now
);

-- The latest figures of each hall and the state of the city's link to it.
CREATE TABLE hall_now (
    hall            TEXT PRIMARY KEY REFERENCES halls(key),
    snapshot        TEXT,                        -- JSON, /api/v1/city/snapshot as read
    seen_at         REAL,                        -- the city's clock when it was read
    last_event      INTEGER NOT NULL DEFAULT 0,  -- its as_of_event: the stream resumes here
    catalogue       TEXT,                        -- JSON, /api/v1/city/catalogue
    catalogue_event INTEGER,
    reachable       INTEGER NOT NULL DEFAULT 0,
    link_since      REAL,                        -- when the link last went up or down
    problem         TEXT                         -- why it is down
);

-- Per hall and day: today's totals as last seen (ended = 0), replaced by the hall's own
-- ended day's totals once it has ended (ended = 1: what the city's report reads).
CREATE TABLE hall_days (
    hall     TEXT NOT NULL REFERENCES halls(key),
    day      TEXT NOT NULL,
    ended    INTEGER NOT NULL,
    services TEXT NOT NULL,                      -- JSON {code: figures}
    seen_at  REAL NOT NULL,
    PRIMARY KEY (hall, day)
) WITHOUT ROWID;
CREATE INDEX hall_days_day ON hall_days(day) WHERE ended = 1;
