-- Reception searches the services and the catalogue of matters from an index it builds once;
-- the hall view names the newest change to either, so a screen rebuilds its index when an
-- import, an edit or a new service lands, without re-reading a thousand matters per change.
-- The expression is the one console/engine/views.py asks for, so SQLite answers from here.
CREATE INDEX events_catalogue ON events(id)
    WHERE kind GLOB 'service.*' OR kind GLOB 'matter.*' OR kind GLOB 'matters.*'
       OR kind GLOB 'department.*';
