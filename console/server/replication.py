"""What the hall server knows of its replica while it serves (``serve --replica``).

Every ``CHECK_S`` a thread beside the server asks the replica how far it has got
(``litestream ltx``) and compares it with the changes this server made:

* **lag in writes**: the events the replica does not have yet. Litestream notes each
  WAL transaction it has captured locally (``.<db>-litestream``) before it ships it;
  the oldest one not yet in the replica says since when the replica is behind, and the
  server's own record of its newest event over time says how many events were written
  since. Shown on ``/health`` and the floor; a replica that has lacked a change for
  ``STALL_S`` is a warning, so a stalled replica is seen within seconds, not at the
  restore.
* **the hall's generation** in the replica: a newer one than this server's means a
  standby was restored from this replica and serves the hall now. This server then
  stops Litestream (it must not write into the replica the standby came from) and is
  fenced: ``/health`` says why and the API refuses every station.
* **the primary's word** (``qconsole-primary.json``): its generation, newest event and
  lag, written over a session of its own, so a restore knows how far behind the
  replica was even when Litestream's own session hung.
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from console.domain.errors import Refused, Unavailable
from console.replica import Replica, Replicator, _local_ltx, replica_state
from console.replica_files import GENERATION_FILE, PRIMARY_FILE, read_json, write_json

CHECK_S = 1.5
"""How often the replica is asked how far it has got."""
STALL_S = 3.0
"""A change the replica has lacked this long makes ``/health`` warn (with ``CHECK_S``, a
stall shows within ``STALL_S + CHECK_S`` plus one ask: well inside 10 s)."""
ASK_TIMEOUT_S = 5.0
"""The replica must answer an ask within this; a check that has not completed for
``UNKNOWN_S`` counts every change since the last known sync as not replicated."""
UNKNOWN_S = 3 * CHECK_S + ASK_TIMEOUT_S
SAMPLE_S = 0.25
"""How often the server notes its newest event (to count the events since a moment)."""
CAPTURE_SLACK_S = 0.5
"""A change Litestream captured at t may have been committed this much earlier (its sync
interval and the sampling): counted as unreplicated too, so the count errs high."""

log = logging.getLogger("qconsole.replica")


def superseded(replica: Replica, found: dict[str, Any], own: int) -> Refused:
    """Why a server on generation ``own`` must not serve."""
    at = time.strftime("%Y-%m-%d %H:%M", time.localtime(float(found.get("at") or 0)))
    return Refused(reason="server.superseded", replica=replica.shown,
                   generation=found.get("generation"), host=found.get("host", "?"), at=at,
                   own=own)  # fmt: skip


def refuse_if_superseded(replica: Replica, own: int) -> None:
    """At start: refuse (exit 1) when the replica names a newer generation than ``own``.
    A replica that cannot be read is not a refusal (the watch keeps asking)."""
    try:
        found = read_json(replica, GENERATION_FILE)
    except Unavailable as exc:
        log.warning("cannot read the hall's generation in the replica: %s", exc.message)
        return
    if found and int(found.get("generation") or 0) > own:
        raise superseded(replica, found, own)


class ReplicaWatch:
    """The replica's lag and generation, kept current on a thread of its own."""

    def __init__(self, db: Path, replicator: Replicator, generation: int):
        self.db = db
        self.replicator = replicator
        self.replica: Replica = replicator.replica
        self.generation = generation
        self.fenced: str | None = None
        """Why this server must not serve (a newer generation in the replica), or None."""
        self._newest: Callable[[], int] = lambda: 0
        self._times: list[float] = []
        self._events: list[int] = []
        self._synced_at = time.time()
        self._snapshot = (0, 0.0)
        """(lag in writes, lag in seconds) as the last check found them."""
        self._checked_at = time.time()
        self._replica_txid = 0
        self._unreadable = ""
        self._checked = False
        self._published: tuple[int, int] | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="qconsole-replica-watch",
                                        daemon=True)  # fmt: skip

    def start(self, newest_event: Callable[[], int]) -> None:
        """Begin watching; ``newest_event()`` is the server's newest event id."""
        self._newest = newest_event
        self._note(time.time(), newest_event())
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=15)

    # -- what /health and the floor say ------------------------------------------
    def state(self) -> dict[str, Any]:
        """``lag_writes`` (events the replica lacks), ``lag_s`` (how long the oldest has
        waited), ``replica_txid``, ``generation``, ``stalled`` and ``problem``."""
        with self._lock:
            now = time.time()
            if now - self._checked_at < UNKNOWN_S:
                lag_writes, lag_s = self._snapshot
            else:  # the replica has not answered for a while: nothing since is known there
                lag_writes = max(0, self._newest() - self._events_at(self._synced_at))
                lag_s = max(0.0, now - self._synced_at) if lag_writes else 0.0
            problem = self.fenced or self._problem(lag_writes, lag_s)
            return {"replica": self.replica.shown, "generation": self.generation,
                    "lag_writes": lag_writes, "lag_s": round(lag_s, 1),
                    "replica_txid": self._replica_txid, "checked": self._checked,
                    "stalled": lag_s >= STALL_S, "problem": problem}  # fmt: skip

    def problem(self) -> str | None:
        return self.state()["problem"]

    def _problem(self, lag_writes: int, lag_s: float) -> str | None:
        running = self.replicator.problem()
        if running:
            return f"{running} ({lag_writes} changes not replicated)" if lag_writes else running
        if lag_s >= STALL_S:
            why = f"; {self._unreadable}" if self._unreadable else ""
            return (f"replication to {self.replica.shown} is behind: {lag_writes} changes not on "
                    f"the replica, the oldest waiting {lag_s:.0f} s{why}")  # fmt: skip
        return None

    # -- the thread ----------------------------------------------------------------
    def _run(self) -> None:
        next_check = time.monotonic()
        while not self._stop.wait(SAMPLE_S):
            with self._lock:
                self._note(time.time(), self._newest())
            if time.monotonic() >= next_check and self.fenced is None:
                self._check()
                next_check = time.monotonic() + CHECK_S

    def _note(self, at: float, newest: int) -> None:
        if not self._events or newest != self._events[-1]:
            self._times.append(at)
            self._events.append(newest)
            if len(self._times) > 100_000:
                del self._times[:50_000], self._events[:50_000]

    def _events_at(self, at: float) -> int:
        """The newest event this server had at ``at`` (as sampled; a little early errs high)."""
        i = bisect.bisect_right(self._times, at)
        return self._events[i - 1] if i else (self._events[0] if self._events else 0)

    def _check(self) -> None:
        asked = time.time()
        try:  # the lag first: each ask over SFTP is a connection of its own
            state = replica_state(self.replica, self.db, timeout=ASK_TIMEOUT_S)
        except Unavailable as exc:
            self._unreadable = exc.message
            state = None
        local = _local_ltx(self.db)
        with self._lock:
            self._checked = True
            if state is not None:
                self._unreadable = ""
                self._replica_txid = state.replica_txid
            waiting = [at for lo, _, at in local if lo > self._replica_txid]
            if waiting:  # everything captured before the oldest waiting change is there
                synced = min(waiting) - CAPTURE_SLACK_S
            elif local:  # all captured changes are there; what came since is not captured
                synced = max(at for _, _, at in local)  # (a hung Litestream stops this)
            else:
                synced = asked - CAPTURE_SLACK_S
            if state is not None:
                self._synced_at = max(self._synced_at, min(synced, asked))
                newest = self._newest()
                behind = max(0, newest - self._events_at(self._synced_at))
                self._snapshot = (behind, max(0.0, asked - self._synced_at) if behind else 0.0)
                self._checked_at = time.time()
            word = {"generation": self.generation, "last_event_id": self._newest(),
                    "at": time.time()}  # fmt: skip
        try:
            found = read_json(self.replica, GENERATION_FILE)
        except Unavailable as exc:
            self._unreadable = self._unreadable or exc.message
            return
        if found and int(found.get("generation") or 0) > self.generation:
            self._fence(found)
        elif state is not None and self.replica.settings["type"] in ("file", "sftp"):
            self._publish(word)

    def _publish(self, word: dict[str, Any]) -> None:
        """The primary's newest event, for a restore to size its gap (only when it moved)."""
        mark = (word["generation"], word["last_event_id"])
        if mark == self._published:
            return
        try:
            write_json(self.replica, PRIMARY_FILE, word)
            self._published = mark
        except Unavailable as exc:
            log.warning("%s", exc.message)

    def _fence(self, found: dict[str, Any]) -> None:
        sentence = superseded(self.replica, found, self.generation).message
        log.error("%s", sentence)
        self.fenced = sentence
        self.replicator.stop()  # it must not write into the replica the standby came from
