-- A print job keeps the reason code of its failure or caveat (printer.paper_out, ...)
-- beside the printer's own words (error, warning): every screen says the code in its
-- reader's language, while the admin still reads what the printer answered.
ALTER TABLE print_jobs ADD COLUMN reason TEXT;
-- A job refused for want of a printer stored the code itself as its error.
UPDATE print_jobs SET reason = error, error = NULL WHERE error = 'printer.none_here';
-- Older failures: the kind of failure their event recorded, or the words the worker used.
UPDATE print_jobs SET reason = coalesce((
    SELECT CASE json_extract(e.changes, '$.kind_of_error')
        WHEN 'paper_out' THEN 'printer.paper_out'
        WHEN 'cover_open' THEN 'printer.cover_open'
        WHEN 'offline' THEN 'printer.offline'
        WHEN 'unreachable' THEN 'printer.unreachable'
        WHEN 'refused' THEN 'printer.unreachable'
        WHEN 'timeout' THEN 'printer.no_answer'
        WHEN 'dropped' THEN 'printer.dropped'
        WHEN 'not_found' THEN 'printer.device_missing'
        WHEN 'config' THEN 'printer.misconfigured'
        WHEN 'unavailable' THEN 'printer.missing_support'
        WHEN 'busy' THEN 'printer.busy'
    END
    FROM events e WHERE e.ticket_id = print_jobs.ticket_id AND e.kind = 'print.failed'
        AND json_extract(e.changes, '$.job') = print_jobs.id
    ORDER BY e.id DESC LIMIT 1
), CASE WHEN error LIKE 'cannot print:%' THEN 'printer.cannot_prepare' END)
WHERE status = 'failed' AND reason IS NULL AND error IS NOT NULL;
UPDATE print_jobs SET reason = coalesce((
    SELECT CASE json_extract(e.changes, '$.kind_of_error')
        WHEN 'paper_out' THEN 'printer.paper_out_mid_job'
        WHEN 'cover_open' THEN 'printer.cover_open_mid_job'
        WHEN 'offline' THEN 'printer.offline_mid_job'
    END
    FROM events e WHERE e.ticket_id = print_jobs.ticket_id AND e.kind = 'print.unconfirmed'
        AND json_extract(e.changes, '$.job') = print_jobs.id
    ORDER BY e.id DESC LIMIT 1
), CASE WHEN error LIKE '%the print worker stopped during the job%' THEN 'printer.worker_gone'
    ELSE 'printer.unconfirmed' END)
WHERE status = 'unconfirmed' AND reason IS NULL;
