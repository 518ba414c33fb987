-- The day's figures, kept rather than recounted: what the screens show about a day (per
-- service, counter, clerk, matter and quarter-hour) is kept in these tables by triggers on
-- `tickets`, so the write that changes a ticket changes its figures in the same
-- transaction, and a view reads a few rows whether the day holds 30 tickets or 25,000.
-- Each trigger takes the ticket's old contribution away and adds its new one; a ticket's
-- contribution is defined once, here, and tests/engine/test_day_figures.py recounts it from
-- the tickets after every write of random hall days. Times are bucketed by quarter-hour of
-- Unix time (every time zone's offset is a multiple of 15 minutes), so the floor's local
-- hours are sums of four quarters and no local time is needed here.

-- Per service: the queue now, and today's issued, served and waits of called tickets.
CREATE TABLE day_services (
    day           TEXT NOT NULL,
    service_id    INTEGER NOT NULL,
    issued        INTEGER NOT NULL DEFAULT 0,
    green         INTEGER NOT NULL DEFAULT 0,   -- of them green-channel
    waiting       INTEGER NOT NULL DEFAULT 0,
    green_waiting INTEGER NOT NULL DEFAULT 0,
    served        INTEGER NOT NULL DEFAULT 0,   -- status done
    handling_s    REAL NOT NULL DEFAULT 0,      -- sum over served: finished - served - parked
    green_called  INTEGER NOT NULL DEFAULT 0,   -- green tickets with a call: their waits' count
    green_wait_s  REAL NOT NULL DEFAULT 0,      -- and sum (called - issued)
    normal_called INTEGER NOT NULL DEFAULT 0,
    normal_wait_s REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (day, service_id)
) WITHOUT ROWID;

-- Per counter (the one holding or last holding the ticket) and per clerk.
CREATE TABLE day_counters (
    day            TEXT NOT NULL,
    counter_number INTEGER NOT NULL,
    served         INTEGER NOT NULL DEFAULT 0,
    no_shows       INTEGER NOT NULL DEFAULT 0,
    handling_s     REAL NOT NULL DEFAULT 0,
    last_finished  REAL,                        -- a finished ticket's time never changes again
    PRIMARY KEY (day, counter_number)
) WITHOUT ROWID;

CREATE TABLE day_clerks (
    day        TEXT NOT NULL,
    staff_no   TEXT NOT NULL,
    served     INTEGER NOT NULL DEFAULT 0,
    no_shows   INTEGER NOT NULL DEFAULT 0,
    handling_s REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (day, staff_no)
) WITHOUT ROWID;

-- Per matter of a one-stop hall (its department is the matter's).
CREATE TABLE day_matters (
    day       TEXT NOT NULL,
    matter_id INTEGER NOT NULL,
    issued    INTEGER NOT NULL DEFAULT 0,
    waiting   INTEGER NOT NULL DEFAULT 0,
    served    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, matter_id)
) WITHOUT ROWID;

-- Per quarter-hour (Unix seconds / 900): issued by issue time, served by finish time, the
-- waits of called tickets by call time.
CREATE TABLE day_quarters (
    day     TEXT NOT NULL,
    quarter INTEGER NOT NULL,
    issued  INTEGER NOT NULL DEFAULT 0,
    served  INTEGER NOT NULL DEFAULT 0,
    called  INTEGER NOT NULL DEFAULT 0,
    wait_s  REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (day, quarter)
) WITHOUT ROWID;

-- The longest wait of a service or a matter: its oldest waiting ticket of the day, one row.
CREATE INDEX tickets_waiting_issued ON tickets(service_id, day, issued_at) WHERE status = 'waiting';
CREATE INDEX tickets_matter_waiting ON tickets(matter_id, day, queued_at)
    WHERE status = 'waiting' AND matter_id IS NOT NULL;

-- A ticket's contribution, as (sign) × each figure; sign -1 for OLD, +1 for NEW.
CREATE TRIGGER day_services_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO day_services VALUES (NEW.day, NEW.service_id, 1, NEW.green_reason IS NOT NULL,
        NEW.status = 'waiting', NEW.status = 'waiting' AND NEW.green_reason IS NOT NULL,
        NEW.status = 'done',
        CASE WHEN NEW.status = 'done' THEN coalesce(NEW.finished_at - NEW.served_at - NEW.parked_s, 0) ELSE 0 END,
        NEW.green_reason IS NOT NULL AND NEW.called_at IS NOT NULL,
        CASE WHEN NEW.green_reason IS NOT NULL THEN coalesce(NEW.called_at - NEW.issued_at, 0) ELSE 0 END,
        NEW.green_reason IS NULL AND NEW.called_at IS NOT NULL,
        CASE WHEN NEW.green_reason IS NULL THEN coalesce(NEW.called_at - NEW.issued_at, 0) ELSE 0 END)
    ON CONFLICT (day, service_id) DO UPDATE SET
        issued = issued + excluded.issued, green = green + excluded.green,
        waiting = waiting + excluded.waiting, green_waiting = green_waiting + excluded.green_waiting,
        served = served + excluded.served, handling_s = handling_s + excluded.handling_s,
        green_called = green_called + excluded.green_called,
        green_wait_s = green_wait_s + excluded.green_wait_s,
        normal_called = normal_called + excluded.normal_called,
        normal_wait_s = normal_wait_s + excluded.normal_wait_s;
END;

CREATE TRIGGER day_services_update AFTER UPDATE OF day, service_id, status, green_reason,
    issued_at, called_at, served_at, finished_at, parked_s ON tickets BEGIN
    UPDATE day_services SET
        issued = issued - 1, green = green - (OLD.green_reason IS NOT NULL),
        waiting = waiting - (OLD.status = 'waiting'),
        green_waiting = green_waiting - (OLD.status = 'waiting' AND OLD.green_reason IS NOT NULL),
        served = served - (OLD.status = 'done'),
        handling_s = handling_s - CASE WHEN OLD.status = 'done'
            THEN coalesce(OLD.finished_at - OLD.served_at - OLD.parked_s, 0) ELSE 0 END,
        green_called = green_called - (OLD.green_reason IS NOT NULL AND OLD.called_at IS NOT NULL),
        green_wait_s = green_wait_s - CASE WHEN OLD.green_reason IS NOT NULL
            THEN coalesce(OLD.called_at - OLD.issued_at, 0) ELSE 0 END,
        normal_called = normal_called - (OLD.green_reason IS NULL AND OLD.called_at IS NOT NULL),
        normal_wait_s = normal_wait_s - CASE WHEN OLD.green_reason IS NULL
            THEN coalesce(OLD.called_at - OLD.issued_at, 0) ELSE 0 END
    WHERE day = OLD.day AND service_id = OLD.service_id;
    INSERT INTO day_services VALUES (NEW.day, NEW.service_id, 1, NEW.green_reason IS NOT NULL,
        NEW.status = 'waiting', NEW.status = 'waiting' AND NEW.green_reason IS NOT NULL,
        NEW.status = 'done',
        CASE WHEN NEW.status = 'done' THEN coalesce(NEW.finished_at - NEW.served_at - NEW.parked_s, 0) ELSE 0 END,
        NEW.green_reason IS NOT NULL AND NEW.called_at IS NOT NULL,
        CASE WHEN NEW.green_reason IS NOT NULL THEN coalesce(NEW.called_at - NEW.issued_at, 0) ELSE 0 END,
        NEW.green_reason IS NULL AND NEW.called_at IS NOT NULL,
        CASE WHEN NEW.green_reason IS NULL THEN coalesce(NEW.called_at - NEW.issued_at, 0) ELSE 0 END)
    ON CONFLICT (day, service_id) DO UPDATE SET
        issued = issued + excluded.issued, green = green + excluded.green,
        waiting = waiting + excluded.waiting, green_waiting = green_waiting + excluded.green_waiting,
        served = served + excluded.served, handling_s = handling_s + excluded.handling_s,
        green_called = green_called + excluded.green_called,
        green_wait_s = green_wait_s + excluded.green_wait_s,
        normal_called = normal_called + excluded.normal_called,
        normal_wait_s = normal_wait_s + excluded.normal_wait_s;
END;

CREATE TRIGGER day_counters_insert AFTER INSERT ON tickets
    WHEN NEW.counter_number IS NOT NULL BEGIN
    INSERT INTO day_counters VALUES (NEW.day, NEW.counter_number, NEW.status = 'done',
        NEW.status = 'no_show',
        CASE WHEN NEW.status = 'done' THEN coalesce(NEW.finished_at - NEW.served_at - NEW.parked_s, 0) ELSE 0 END,
        NEW.finished_at)
    ON CONFLICT (day, counter_number) DO UPDATE SET
        served = served + excluded.served, no_shows = no_shows + excluded.no_shows,
        handling_s = handling_s + excluded.handling_s,
        last_finished = max(coalesce(last_finished, excluded.last_finished),
                            coalesce(excluded.last_finished, last_finished));
END;

CREATE TRIGGER day_counters_update AFTER UPDATE OF day, counter_number, status, served_at,
    finished_at, parked_s ON tickets BEGIN
    UPDATE day_counters SET
        served = served - (OLD.status = 'done'), no_shows = no_shows - (OLD.status = 'no_show'),
        handling_s = handling_s - CASE WHEN OLD.status = 'done'
            THEN coalesce(OLD.finished_at - OLD.served_at - OLD.parked_s, 0) ELSE 0 END
    WHERE OLD.counter_number IS NOT NULL AND day = OLD.day AND counter_number = OLD.counter_number;
    INSERT INTO day_counters SELECT NEW.day, NEW.counter_number, NEW.status = 'done',
        NEW.status = 'no_show',
        CASE WHEN NEW.status = 'done' THEN coalesce(NEW.finished_at - NEW.served_at - NEW.parked_s, 0) ELSE 0 END,
        NEW.finished_at
    WHERE NEW.counter_number IS NOT NULL
    ON CONFLICT (day, counter_number) DO UPDATE SET
        served = served + excluded.served, no_shows = no_shows + excluded.no_shows,
        handling_s = handling_s + excluded.handling_s,
        last_finished = max(coalesce(last_finished, excluded.last_finished),
                            coalesce(excluded.last_finished, last_finished));
END;

CREATE TRIGGER day_clerks_insert AFTER INSERT ON tickets
    WHEN NEW.clerk_staff_no IS NOT NULL BEGIN
    INSERT INTO day_clerks VALUES (NEW.day, NEW.clerk_staff_no, NEW.status = 'done',
        NEW.status = 'no_show',
        CASE WHEN NEW.status = 'done' THEN coalesce(NEW.finished_at - NEW.served_at - NEW.parked_s, 0) ELSE 0 END)
    ON CONFLICT (day, staff_no) DO UPDATE SET
        served = served + excluded.served, no_shows = no_shows + excluded.no_shows,
        handling_s = handling_s + excluded.handling_s;
END;

CREATE TRIGGER day_clerks_update AFTER UPDATE OF day, clerk_staff_no, status, served_at,
    finished_at, parked_s ON tickets BEGIN
    UPDATE day_clerks SET
        served = served - (OLD.status = 'done'), no_shows = no_shows - (OLD.status = 'no_show'),
        handling_s = handling_s - CASE WHEN OLD.status = 'done'
            THEN coalesce(OLD.finished_at - OLD.served_at - OLD.parked_s, 0) ELSE 0 END
    WHERE OLD.clerk_staff_no IS NOT NULL AND day = OLD.day AND staff_no = OLD.clerk_staff_no;
    INSERT INTO day_clerks SELECT NEW.day, NEW.clerk_staff_no, NEW.status = 'done',
        NEW.status = 'no_show',
        CASE WHEN NEW.status = 'done' THEN coalesce(NEW.finished_at - NEW.served_at - NEW.parked_s, 0) ELSE 0 END
    WHERE NEW.clerk_staff_no IS NOT NULL
    ON CONFLICT (day, staff_no) DO UPDATE SET
        served = served + excluded.served, no_shows = no_shows + excluded.no_shows,
        handling_s = handling_s + excluded.handling_s;
END;

CREATE TRIGGER day_matters_insert AFTER INSERT ON tickets
    WHEN NEW.matter_id IS NOT NULL BEGIN
    INSERT INTO day_matters VALUES (NEW.day, NEW.matter_id, 1, NEW.status = 'waiting',
        NEW.status = 'done')
    ON CONFLICT (day, matter_id) DO UPDATE SET issued = issued + 1,
        waiting = waiting + excluded.waiting, served = served + excluded.served;
END;

CREATE TRIGGER day_matters_update AFTER UPDATE OF day, matter_id, status ON tickets BEGIN
    UPDATE day_matters SET issued = issued - 1, waiting = waiting - (OLD.status = 'waiting'),
        served = served - (OLD.status = 'done')
    WHERE OLD.matter_id IS NOT NULL AND day = OLD.day AND matter_id = OLD.matter_id;
    INSERT INTO day_matters SELECT NEW.day, NEW.matter_id, 1, NEW.status = 'waiting',
        NEW.status = 'done'
    WHERE NEW.matter_id IS NOT NULL
    ON CONFLICT (day, matter_id) DO UPDATE SET issued = issued + 1,
        waiting = waiting + excluded.waiting, served = served + excluded.served;
END;

CREATE TRIGGER day_quarters_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO day_quarters VALUES (NEW.day, CAST(NEW.issued_at / 900 AS INTEGER), 1, 0, 0, 0)
    ON CONFLICT (day, quarter) DO UPDATE SET issued = issued + 1;
    INSERT INTO day_quarters SELECT NEW.day, CAST(NEW.called_at / 900 AS INTEGER), 0, 0, 1,
        NEW.called_at - NEW.issued_at
    WHERE NEW.called_at IS NOT NULL
    ON CONFLICT (day, quarter) DO UPDATE SET called = called + 1, wait_s = wait_s + excluded.wait_s;
    INSERT INTO day_quarters SELECT NEW.day, CAST(NEW.finished_at / 900 AS INTEGER), 0, 1, 0, 0
    WHERE NEW.status = 'done' AND NEW.finished_at IS NOT NULL
    ON CONFLICT (day, quarter) DO UPDATE SET served = served + 1;
END;

CREATE TRIGGER day_quarters_issued AFTER UPDATE OF day, issued_at ON tickets BEGIN
    UPDATE day_quarters SET issued = issued - 1
    WHERE day = OLD.day AND quarter = CAST(OLD.issued_at / 900 AS INTEGER);
    INSERT INTO day_quarters VALUES (NEW.day, CAST(NEW.issued_at / 900 AS INTEGER), 1, 0, 0, 0)
    ON CONFLICT (day, quarter) DO UPDATE SET issued = issued + 1;
END;

CREATE TRIGGER day_quarters_called AFTER UPDATE OF day, issued_at, called_at ON tickets BEGIN
    UPDATE day_quarters SET called = called - 1, wait_s = wait_s - (OLD.called_at - OLD.issued_at)
    WHERE OLD.called_at IS NOT NULL AND day = OLD.day
        AND quarter = CAST(OLD.called_at / 900 AS INTEGER);
    INSERT INTO day_quarters SELECT NEW.day, CAST(NEW.called_at / 900 AS INTEGER), 0, 0, 1,
        NEW.called_at - NEW.issued_at
    WHERE NEW.called_at IS NOT NULL
    ON CONFLICT (day, quarter) DO UPDATE SET called = called + 1, wait_s = wait_s + excluded.wait_s;
END;

CREATE TRIGGER day_quarters_served AFTER UPDATE OF day, status, finished_at ON tickets BEGIN
    UPDATE day_quarters SET served = served - 1
    WHERE OLD.status = 'done' AND OLD.finished_at IS NOT NULL AND day = OLD.day
        AND quarter = CAST(OLD.finished_at / 900 AS INTEGER);
    INSERT INTO day_quarters SELECT NEW.day, CAST(NEW.finished_at / 900 AS INTEGER), 0, 1, 0, 0
    WHERE NEW.status = 'done' AND NEW.finished_at IS NOT NULL
    ON CONFLICT (day, quarter) DO UPDATE SET served = served + 1;
END;

-- A ticket is never deleted by qconsole; should one be, its figures go with it.
CREATE TRIGGER day_figures_delete AFTER DELETE ON tickets BEGIN
    UPDATE day_services SET
        issued = issued - 1, green = green - (OLD.green_reason IS NOT NULL),
        waiting = waiting - (OLD.status = 'waiting'),
        green_waiting = green_waiting - (OLD.status = 'waiting' AND OLD.green_reason IS NOT NULL),
        served = served - (OLD.status = 'done'),
        handling_s = handling_s - CASE WHEN OLD.status = 'done'
            THEN coalesce(OLD.finished_at - OLD.served_at - OLD.parked_s, 0) ELSE 0 END,
        green_called = green_called - (OLD.green_reason IS NOT NULL AND OLD.called_at IS NOT NULL),
        green_wait_s = green_wait_s - CASE WHEN OLD.green_reason IS NOT NULL
            THEN coalesce(OLD.called_at - OLD.issued_at, 0) ELSE 0 END,
        normal_called = normal_called - (OLD.green_reason IS NULL AND OLD.called_at IS NOT NULL),
        normal_wait_s = normal_wait_s - CASE WHEN OLD.green_reason IS NULL
            THEN coalesce(OLD.called_at - OLD.issued_at, 0) ELSE 0 END
    WHERE day = OLD.day AND service_id = OLD.service_id;
    UPDATE day_counters SET
        served = served - (OLD.status = 'done'), no_shows = no_shows - (OLD.status = 'no_show'),
        handling_s = handling_s - CASE WHEN OLD.status = 'done'
            THEN coalesce(OLD.finished_at - OLD.served_at - OLD.parked_s, 0) ELSE 0 END
    WHERE day = OLD.day AND counter_number = OLD.counter_number;
    UPDATE day_clerks SET
        served = served - (OLD.status = 'done'), no_shows = no_shows - (OLD.status = 'no_show'),
        handling_s = handling_s - CASE WHEN OLD.status = 'done'
            THEN coalesce(OLD.finished_at - OLD.served_at - OLD.parked_s, 0) ELSE 0 END
    WHERE day = OLD.day AND staff_no = OLD.clerk_staff_no;
    UPDATE day_matters SET issued = issued - 1, waiting = waiting - (OLD.status = 'waiting'),
        served = served - (OLD.status = 'done')
    WHERE day = OLD.day AND matter_id = OLD.matter_id;
    UPDATE day_quarters SET issued = issued - 1
    WHERE day = OLD.day AND quarter = CAST(OLD.issued_at / 900 AS INTEGER);
    UPDATE day_quarters SET called = called - 1, wait_s = wait_s - (OLD.called_at - OLD.issued_at)
    WHERE OLD.called_at IS NOT NULL AND day = OLD.day
        AND quarter = CAST(OLD.called_at / 900 AS INTEGER);
    UPDATE day_quarters SET served = served - 1
    WHERE OLD.status = 'done' AND OLD.finished_at IS NOT NULL AND day = OLD.day
        AND quarter = CAST(OLD.finished_at / 900 AS INTEGER);
END;

-- The figures of the hall's latest day (today, or the last day it worked), from its tickets;
-- the triggers keep every day from here on.
INSERT INTO day_services
    SELECT day, service_id, count(*), count(green_reason), sum(status = 'waiting'),
        sum(status = 'waiting' AND green_reason IS NOT NULL), sum(status = 'done'),
        total(CASE WHEN status = 'done' THEN coalesce(finished_at - served_at - parked_s, 0) END),
        sum(green_reason IS NOT NULL AND called_at IS NOT NULL),
        total(CASE WHEN green_reason IS NOT NULL THEN called_at - issued_at END),
        sum(green_reason IS NULL AND called_at IS NOT NULL),
        total(CASE WHEN green_reason IS NULL THEN called_at - issued_at END)
    FROM tickets WHERE day = (SELECT max(day) FROM tickets) GROUP BY day, service_id;
INSERT INTO day_counters
    SELECT day, counter_number, sum(status = 'done'), sum(status = 'no_show'),
        total(CASE WHEN status = 'done' THEN coalesce(finished_at - served_at - parked_s, 0) END),
        max(finished_at)
    FROM tickets WHERE day = (SELECT max(day) FROM tickets) AND counter_number IS NOT NULL
    GROUP BY day, counter_number;
INSERT INTO day_clerks
    SELECT day, clerk_staff_no, sum(status = 'done'), sum(status = 'no_show'),
        total(CASE WHEN status = 'done' THEN coalesce(finished_at - served_at - parked_s, 0) END)
    FROM tickets WHERE day = (SELECT max(day) FROM tickets) AND clerk_staff_no IS NOT NULL
    GROUP BY day, clerk_staff_no;
INSERT INTO day_matters
    SELECT day, matter_id, count(*), sum(status = 'waiting'), sum(status = 'done')
    FROM tickets WHERE day = (SELECT max(day) FROM tickets) AND matter_id IS NOT NULL
    GROUP BY day, matter_id;
INSERT INTO day_quarters (day, quarter, issued, served, called, wait_s)
    SELECT day, quarter, sum(issued), sum(served), sum(called), total(wait_s) FROM (
        SELECT day, CAST(issued_at / 900 AS INTEGER) AS quarter, 1 AS issued, 0 AS served,
            0 AS called, 0 AS wait_s FROM tickets WHERE day = (SELECT max(day) FROM tickets)
        UNION ALL
        SELECT day, CAST(finished_at / 900 AS INTEGER), 0, 1, 0, 0 FROM tickets
            WHERE day = (SELECT max(day) FROM tickets) AND status = 'done'
            AND finished_at IS NOT NULL
        UNION ALL
        SELECT day, CAST(called_at / 900 AS INTEGER), 0, 0, 1, called_at - issued_at FROM tickets
            WHERE day = (SELECT max(day) FROM tickets) AND called_at IS NOT NULL)
    GROUP BY day, quarter;
