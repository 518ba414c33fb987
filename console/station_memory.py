"""What a station remembers on its own disk, across restarts and CLI runs.

* The highest **generation** of the hall it has seen (``console.server.fencing``):
  after a failover, an old primary that comes back is on an older generation, and a
  station that has seen the standby's refuses it, even after the station's PC rebooted.
* The idempotency keys whose outcome is **not known** ("not known if done"), with the
  server that may have done them: the same command repeated (a script's ``--key``, a
  second ``qconsole tickets ...`` run) goes with the same key to that server only, and
  is never done on another one, until that server has answered for it. Entries older
  than ``UNSURE_KEEP_S`` are dropped (a day's actions do not outlive the day).

One small JSON file per station token (the token says which hall and station) under
``QCONSOLE_STATE_DIR``, else ``$XDG_STATE_HOME/qconsole``, else
``~/.local/state/qconsole``; written whole and renamed into place under a lock, so
several processes of one station share it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

UNSURE_KEEP_S = 36 * 3600.0


def state_dir() -> Path:
    given = os.environ.get("QCONSOLE_STATE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "qconsole"


class StationMemory:
    """The generation seen and the unsure keys of the station holding ``token``."""

    def __init__(self, token: str, folder: Path | None = None):
        digest = hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]
        self.path = (folder or state_dir()) / f"station-{digest}.json"
        self._cached: dict[str, Any] = {}

    # -- reading -------------------------------------------------------------
    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return dict(self._cached)  # no disk to keep it on: this process's memory
        return data if isinstance(data, dict) else {}

    @property
    def generation(self) -> int:
        return int(self._load().get("generation") or 0)

    def unsure(self, key: str) -> str | None:
        """The server that may have done ``key``, or None."""
        entry = (self._load().get("unsure") or {}).get(key)
        return entry[0] if isinstance(entry, list) and entry else None

    # -- writing -------------------------------------------------------------
    def see_generation(self, generation: int) -> None:
        if generation > self.generation:
            with self._change() as data:
                data["generation"] = max(int(data.get("generation") or 0), generation)

    def remember_unsure(self, key: str, server: str) -> None:
        with self._change() as data:
            unsure = data.setdefault("unsure", {})
            unsure[key] = [server, time.time()]
            old = time.time() - UNSURE_KEEP_S
            for k in [k for k, v in unsure.items() if not isinstance(v, list) or v[1] < old]:
                del unsure[k]

    def resolve(self, key: str) -> None:
        if self.unsure(key) is not None:
            with self._change() as data:
                (data.get("unsure") or {}).pop(key, None)

    @contextlib.contextmanager
    def _change(self) -> Iterator[dict[str, Any]]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            lock = open(self.path.with_suffix(".lock"), "a")  # noqa: SIM115  (closed below)
        except OSError:
            yield self._cached  # a read-only home: remembered for this process only
            return
        try:
            with contextlib.suppress(ImportError):
                import fcntl

                fcntl.flock(lock, fcntl.LOCK_EX)
            data = self._load()
            yield data
            self._cached = data
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self.path)
        finally:
            lock.close()
