-- The citizen's pages (/t/{code}, /f/{code}): each ticket carries an unguessable code of
-- its own for the QR on the slip (ids are sequential and would let anyone walk the
-- tickets), looked up by the code alone; a rating given on the receipt's page may carry
-- the citizen's comment.
ALTER TABLE tickets ADD COLUMN public_code TEXT;
CREATE UNIQUE INDEX tickets_public_code ON tickets(public_code) WHERE public_code IS NOT NULL;
ALTER TABLE tickets ADD COLUMN feedback TEXT;
