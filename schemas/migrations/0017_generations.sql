-- Generations of the hall: a restore from a replica (`qconsole restore`) starts a new one,
-- numbered above the database's own and above the one written in the replica. Stations and
-- servers compare the numbers: a server on an older generation (an old primary restarted
-- after a failover) is refused, so the hall never forks into two databases. Generation 1
-- (no row) is the hall as it was created. `served_at`: when a server first served this
-- generation (the first start after the restore holds calls briefly so the counters can
-- call back the tickets they had called on the lost primary).
CREATE TABLE generations (
    n INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    from_event INTEGER NOT NULL,
    replica TEXT NOT NULL DEFAULT '',
    served_at REAL
);
