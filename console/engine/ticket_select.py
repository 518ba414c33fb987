"""The one query that reads a ticket with its service's and matter's codes: the write path
(``core``), the calling policy and the views all start from it, so it lives below them."""

TICKET_SELECT = (
    "SELECT t.*, s.code AS service_code,"
    " (SELECT m.code FROM matters m WHERE m.id = t.matter_id) AS matter_code"
    " FROM tickets t JOIN services s ON s.id = t.service_id"
)
