-- Ended days' totals, kept once: the whole hall's figures of a day that has ended (the
-- report's "total" as JSON, and each service's), written at the day change by the engine
-- (console/reports/totals.py), so the report's comparison columns (the previous day, the
-- same weekday a week before) and the daily summary export read one row per day, not the
-- day's tickets. A change to a ticket of a day marks that day's row stale (the engine leaves
-- an ended day's tickets alone, but a repair by hand or a load from elsewhere may not): the day is counted from its tickets until the next day
-- change keeps it again. A ticket's note or comment is not in the figures.
CREATE TABLE day_totals (
    day     TEXT PRIMARY KEY,
    figures TEXT NOT NULL,                       -- JSON {"total": {...}, "services": {code: {...}}}
    stale   INTEGER NOT NULL DEFAULT 0           -- a ticket of the day changed since
) WITHOUT ROWID;

CREATE TRIGGER day_totals_insert AFTER INSERT ON tickets BEGIN
    UPDATE day_totals SET stale = 1 WHERE day = NEW.day;
END;

CREATE TRIGGER day_totals_update AFTER UPDATE OF day, status, outcome, issued_at, called_at,
    served_at, parked_s, finished_at, green_reason, rating, service_id, matter_id ON tickets BEGIN
    UPDATE day_totals SET stale = 1 WHERE day IN (OLD.day, NEW.day);
END;

CREATE TRIGGER day_totals_delete AFTER DELETE ON tickets BEGIN
    UPDATE day_totals SET stale = 1 WHERE day = OLD.day;
END;
