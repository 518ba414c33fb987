"""A CUPS queue, through the ``lp`` command in raw mode (Debian: cups-client).

Once ``lp`` has accepted the job, CUPS owns it: it is "done" for us. The
queue's state (``lpstat -p``) is the only status: a disabled queue is offline;
paper and cover are unknown.
"""

from __future__ import annotations

import shutil
import subprocess

from printers.errors import (
    PrinterConfigError,
    PrinterNotFound,
    PrinterOffline,
    PrinterTimeout,
    PrinterUnavailable,
    PrinterUnreachable,
)
from printers.status import UNKNOWN, PrinterStatus
from printers.transport.base import DEFAULT_TIMEOUTS, Timeouts, Transport


class CupsTransport(Transport):
    """``lp -d QUEUE -o raw``."""

    def __init__(self, queue: str, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        super().__init__(timeouts)
        self.queue = queue.strip()
        if not self.queue or any(c.isspace() for c in self.queue):
            raise PrinterConfigError(f"bad CUPS queue name {queue!r}")
        self.description = f"CUPS queue {self.queue}"

    def open(self) -> None:
        if shutil.which("lp") is None:
            raise PrinterUnavailable(
                "CUPS printing needs the lp command (Debian package cups-client)"
            )

    def status(self, settle: bool = False, timeout: float | None = None) -> PrinterStatus:
        if shutil.which("lpstat") is None:
            return UNKNOWN
        try:
            done = subprocess.run(
                ["lpstat", "-p", self.queue],
                capture_output=True,
                text=True,
                timeout=self.timeouts.connect,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return UNKNOWN
        out = (done.stdout + done.stderr).lower()
        if done.returncode != 0 and ("invalid destination" in out or "unknown" in out):
            raise PrinterNotFound(f"no CUPS queue named {self.queue}")
        if "disabled" in out:
            raise PrinterOffline(f"CUPS queue {self.queue} is disabled (cupsenable {self.queue})")
        return UNKNOWN

    def write(self, data: bytes) -> None:
        try:
            done = subprocess.run(
                ["lp", "-d", self.queue, "-o", "raw", "-t", "qconsole"],
                input=data,
                capture_output=True,
                timeout=self.timeouts.write,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PrinterTimeout(
                f"lp did not take the job for {self.description} within {self.timeouts.write:g} s",
                may_have_printed=True,
            ) from None
        except OSError as e:
            raise PrinterUnavailable(f"cannot run lp: {e.strerror}") from None
        if done.returncode != 0:
            message = done.stderr.decode(errors="replace").strip().splitlines()
            line = message[-1] if message else f"lp exited with {done.returncode}"
            if "does not exist" in line or "Unknown destination" in line:
                raise PrinterNotFound(f"no CUPS queue named {self.queue}: {line}")
            raise PrinterUnreachable(f"CUPS refused the job for {self.queue}: {line}")
