"""A station's mixed workload for crash trials; each acknowledged operation is logged.

Run as ``python -m tests.reliability.workload DB COUNTER ACKFILE SEED``. After every
operation the engine acknowledged, one JSON line goes to ACKFILE and is fsynced,
so after a SIGKILL the file lists only what the station was told had happened.
"""

from __future__ import annotations

import json
import os
import random
import sys

from console.domain import Actor
from console.domain.errors import QConsoleError
from console.local import LocalHall


def main(db: str, counter: int, ack_path: str, seed: int) -> None:
    rng = random.Random(seed)
    hall = LocalHall(db)
    actor = Actor(staff_no=f"10{counter:02d}", role="clerk", station=f"crash-{counter}")
    fd = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def ack(**record) -> None:
        os.write(fd, (json.dumps(record) + "\n").encode())
        os.fsync(fd)

    while True:
        op = rng.choice(["issue", "issue", "call", "finish", "transfer", "park", "resume"])
        try:
            if op == "issue":
                t = hall.issue(actor, rng.choice(["ID", "PP"])).ticket
                ack(op="issue", ticket=t.id)
            elif op == "call":
                t = hall.call_next(actor, counter)
                ack(op="call", ticket=t.id, counter=counter)
            elif op == "finish":
                t = hall.finish(actor, counter)
                ack(op="finish", ticket=t.id)
            elif op == "transfer":
                current = hall.counter_view(counter).current
                if current:
                    t = hall.transfer(actor, f"#{current.id}", to_service="PP")
                    ack(op="transfer", ticket=t.id)
            elif op == "park":
                t = hall.park(actor, counter)
                ack(op="park", ticket=t.id, counter=counter)
            elif op == "resume":
                parked = hall.counter_view(counter).parked
                if parked:
                    t = hall.resume(actor, counter, f"#{parked[0].id}")
                    ack(op="resume", ticket=t.id, counter=counter)
        except QConsoleError:
            pass


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
