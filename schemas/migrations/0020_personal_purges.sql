-- Personal information kept only as long as it is needed (qconsole purge). Each purge
-- records the day it erased personal fields up to (exclusive), so the next one starts
-- there instead of reading the whole history; and a day's green-channel figures per reason
-- are kept here before its tickets' reasons are erased, so that day's report is unchanged.
CREATE TABLE purges (
    id        INTEGER PRIMARY KEY,
    before_day TEXT NOT NULL,                    -- personal fields of earlier days erased
    at        REAL NOT NULL,
    counts    TEXT NOT NULL                      -- JSON: what was erased, per table
);

CREATE TABLE green_reason_days (
    day     TEXT NOT NULL,
    reason  TEXT NOT NULL,
    figures TEXT NOT NULL,                       -- JSON: the report's Figures, counts and histograms
    PRIMARY KEY (day, reason)
) WITHOUT ROWID;
