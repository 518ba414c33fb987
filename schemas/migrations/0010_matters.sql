-- 一窗通办: a hall's catalogue of departments (部门) and matters (事项). A matter is what a
-- citizen comes for; it is called in one of the existing services (the queue line with its
-- prefix, counters and policy) and carries its own materials (the 一次性告知 list),
-- typical handling time and target wait. A hall without matters works as before: the
-- ticket's matter is NULL. Nothing is deleted once a ticket names it: it is retired
-- (active = 0), so history keeps its names.
CREATE TABLE departments (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    active  INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE matters (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    department_id   INTEGER NOT NULL REFERENCES departments(id),
    service_id      INTEGER NOT NULL REFERENCES services(id),   -- the queue it is called in
    materials       TEXT NOT NULL DEFAULT '[]',                 -- JSON list: 一次性告知
    handling_min    REAL NOT NULL DEFAULT 8 CHECK (handling_min > 0),
    target_wait_min INTEGER NOT NULL DEFAULT 30 CHECK (target_wait_min > 0),
    active          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX matters_department ON matters(department_id);
CREATE INDEX matters_service ON matters(service_id);

ALTER TABLE tickets ADD COLUMN matter_id INTEGER REFERENCES matters(id);
-- Reception ranks matters by how often they were issued lately (by issue time); the
-- estimate reads a matter's last finished tickets, and removing a matter asks whether any
-- ticket names it (by matter).
CREATE INDEX tickets_matter_issued ON tickets(issued_at, matter_id) WHERE matter_id IS NOT NULL;
CREATE INDEX tickets_matter ON tickets(matter_id, finished_at) WHERE matter_id IS NOT NULL;
