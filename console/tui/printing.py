"""The print worker a station screen runs, over the hall file or over the hall server.

A screen started with ``--db`` prints the jobs of its station's printers and of
printers registered with no station, straight from the file; started with
``--server`` it claims its station's jobs from the server (which prints the
station-less ones itself). Which printers count is asked again before every
claim, so a printer added or changed while the screen runs is used at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from console.engine.clock import Clock

REMOTE_POLL_S = 2.0
"""Over the server a worker also wakes on every ``print.queued`` change it hears of."""


def start_print_worker(
    service: Any, station: str, clock: Clock, on_outcome: Callable[[Any], Any] | None = None
) -> Any:
    """A started ``PrintWorker`` for this station; None when the service cannot print."""
    from console.printing import LocalJobs, PrintWorker, RemoteJobs, local_printers

    path = getattr(service, "path", None)
    if path is not None:
        return PrintWorker(
            lambda: LocalJobs(path, clock, station, local_printers(station)),
            on_outcome=on_outcome,
        ).start()
    if hasattr(service, "claim_print_job"):
        return PrintWorker(
            lambda: RemoteJobs(service), on_outcome=on_outcome, poll_s=REMOTE_POLL_S
        ).start()
    return None
