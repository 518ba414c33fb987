-- A parked ticket says why (photo retake, fetch a document...), for the counter and the
-- floor; the time spent parked is kept apart so handling time counts only service.
ALTER TABLE tickets ADD COLUMN park_reason TEXT;
ALTER TABLE tickets ADD COLUMN parked_at REAL;
ALTER TABLE tickets ADD COLUMN parked_s REAL NOT NULL DEFAULT 0;
