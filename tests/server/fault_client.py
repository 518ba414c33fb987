"""One station in the fault test: log in, open a counter, call and finish until the queue is empty.

Run as ``python -m tests.server.fault_client URL TOKEN STAFF_NO COUNTER OUT``.
Every call the server acknowledged is appended to OUT (``id number``) at once,
so the test can check it against the database afterwards. The client does
nothing special about the server dying: the remote client's own retries (same
idempotency key) carry it through.
"""

from __future__ import annotations

import sys

from console.domain.errors import Refused, Unavailable
from console.remote import RemoteHall
from tests.waiting import scaled

PIN = "1234"
MAX_OUTAGES = 20


def main(url: str, token: str, staff_no: str, counter: int, out_path: str) -> int:
    hall = RemoteHall(url, token, timeout=scaled(5), retry_for=scaled(20))
    actor = hall.login(staff_no, PIN, "")
    hall.open_counter(actor, counter)
    outages = 0
    with open(out_path, "a", encoding="utf-8") as out:
        while True:
            try:
                ticket = hall.call_next(actor, counter)
            except Refused as exc:
                if "nothing is waiting" in exc.message:
                    break
                raise
            except Unavailable:
                outages += 1
                if outages > MAX_OUTAGES:
                    raise
                continue
            out.write(f"{ticket.id} {ticket.number}\n")
            out.flush()
            while True:
                try:
                    hall.finish(actor, counter)
                    break
                except Unavailable:
                    outages += 1
                    if outages > MAX_OUTAGES:
                        raise
    hall.close()
    return 0


if __name__ == "__main__":
    url, token, staff_no, counter, out_path = sys.argv[1:6]
    sys.exit(main(url, token, staff_no, int(counter), out_path))
