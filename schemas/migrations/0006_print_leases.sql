-- Printing you can trust on a LAN: a worker holds a job on a lease of a few
-- seconds it keeps renewing, a job whose printer never confirmed it is
-- "unconfirmed" (it may not have printed), and a job keeps its warning.
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt.

CREATE TABLE print_jobs_new (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
    kind        TEXT NOT NULL CHECK (kind IN ('ticket', 'receipt')),
    printer     TEXT,
    status      TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'printing', 'done', 'failed', 'unconfirmed')),
    error       TEXT,
    created_at  REAL NOT NULL,
    updated_at  REAL NOT NULL,
    warning     TEXT,                            -- a done job's caveat (paper near end ...)
    worker      TEXT,                            -- the station (or server) that claimed it
    lease_until REAL                             -- a "printing" job's claim ends here unless renewed
);
INSERT INTO print_jobs_new (id, ticket_id, kind, printer, status, error, created_at, updated_at)
    SELECT id, ticket_id, kind, printer, status, error, created_at, updated_at FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_new RENAME TO print_jobs;
CREATE INDEX print_jobs_pending ON print_jobs(status) WHERE status IN ('queued', 'printing');
-- Print jobs of one status in id order (the worker's next job, an expired lease,
-- `printers jobs --status failed`): rebuilt with the table.
CREATE INDEX print_jobs_status ON print_jobs(status, id);
