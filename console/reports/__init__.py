"""Admin scripting without a UI: exports, the daily report, backup and the health check.

Everything here reads the hall database through a read-only connection
(:func:`console.reports.db.open_readonly`) and imports no UI, CLI or server
framework; ``console/cli/export.py``, ``report.py`` and ``admin.py`` are the thin
commands over it.

- ``dates``: ``--day`` / ``--from`` / ``--to`` (also ``today``, ``yesterday``)
- ``columns``: the export formats, read from ``schemas/exports/*.schema.json``
- ``export``: streaming CSV, JSON Lines and XLSX writers
- ``atomic``: write-to-temporary-then-rename, so a target is complete or absent
- ``report``: the figures (nearest-rank percentiles); ``render``: Markdown and HTML
- ``backup``: ``VACUUM INTO`` + ``integrity_check`` + rotation
- ``doctor``: the health checks
"""

from console.reports.dates import DayRange, day_range
from console.reports.export import ExportSpec
from console.reports.report import compute

__all__ = ["DayRange", "ExportSpec", "compute", "day_range"]
