-- Idempotency keys, scoped and checked: a key belongs to one station and clerk (scope),
-- remembers a fingerprint of the arguments it was first used with, and is kept for a day
-- (the index on `at` answers the pruning query).
CREATE TABLE commands_scoped (
    scope       TEXT NOT NULL DEFAULT '',
    key         TEXT NOT NULL,
    op          TEXT NOT NULL,
    fingerprint TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL,                   -- JSON
    at          REAL NOT NULL,
    PRIMARY KEY (scope, key)
);
INSERT INTO commands_scoped (key, op, result, at) SELECT key, op, result, at FROM commands;
DROP TABLE commands;
ALTER TABLE commands_scoped RENAME TO commands;
CREATE INDEX commands_at ON commands(at);
