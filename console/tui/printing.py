"""The print worker a station screen runs, through the service it talks to.

Its claims, lease renewals and outcomes are operations of the service interface
(``claim_print_job``, ``renew_print_lease``, ``report_print_job``), so a screen
prints the same way started with ``--db`` (the engine in-process: the station's
printers and those registered with no station) or with ``--server`` (the station's
own printers; the server prints the others). Which printers count is asked again
at every claim, so a printer added or changed while the screen runs is used at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from console.printing import JobOutcome, PrintWorker, ServiceJobs
from console.service import HallService

POLL_S = 2.0
"""How often an idle worker looks for jobs queued elsewhere for this station's printers
(a reprint from the floor or the CLI); the screen wakes it after queueing its own."""


def start_print_worker(
    service: HallService, station: str, on_outcome: Callable[[JobOutcome], Any] | None = None
) -> PrintWorker:
    """A started ``PrintWorker`` printing this station's jobs."""
    return PrintWorker(
        lambda: ServiceJobs(service, station), on_outcome=on_outcome, poll_s=POLL_S
    ).start()
