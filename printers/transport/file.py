"""A device file or a plain file: /dev/usb/lp0 (Linux usblp), /dev/lp0, or a file for tests.

A character device is opened read-write and non-blocking, so a printer that
stops taking bytes times out instead of hanging the worker, and its status can
be read where the device is bidirectional. A plain file is appended to (a
"printer" that keeps every job, for demos and tests); it has no status.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import stat
import time

from printers.errors import PrinterDropped, PrinterNotFound, PrinterTimeout, PrinterUnreachable
from printers.transport.base import DEFAULT_TIMEOUTS, Timeouts, Transport


class FileTransport(Transport):
    """Bytes written to a path."""

    def __init__(self, path: str, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        super().__init__(timeouts)
        self.path = path
        self.description = path
        self.fd: int | None = None
        self.device = False

    def open(self) -> None:
        try:
            mode = os.stat(self.path).st_mode
            self.device = stat.S_ISCHR(mode)
        except FileNotFoundError:
            if self.path.startswith("/dev/"):
                raise PrinterNotFound(
                    f"no printer device {self.path} (unplugged, or another device name?)"
                ) from None
            self.device = False
        except OSError as e:
            raise PrinterUnreachable(f"cannot use {self.path}: {e.strerror}") from None
        try:
            if self.device:
                try:
                    self.fd = os.open(self.path, os.O_RDWR | os.O_NONBLOCK | os.O_NOCTTY)
                    self.can_read = True
                except OSError:
                    self.fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
            else:
                self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                self.keeps_every_byte = True
        except FileNotFoundError:
            raise PrinterNotFound(f"no such directory for printer file {self.path}") from None
        except PermissionError:
            raise PrinterUnreachable(
                f"no permission to write {self.path} (add the user to the lp group)"
            ) from None
        except OSError as e:
            raise PrinterUnreachable(f"cannot open {self.path}: {e.strerror}") from None

    def write(self, data: bytes) -> None:
        assert self.fd is not None, "open() first"
        view = memoryview(data)
        deadline = time.monotonic() + self.timeouts.write
        while view:
            try:
                written = os.write(self.fd, view)
                view = view[written:]
                continue
            except BlockingIOError:
                pass
            except OSError as e:
                raise PrinterDropped(
                    f"writing to {self.path} failed: {e.strerror}", may_have_printed=True
                ) from None
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([], [self.fd], [], remaining)[1]:
                raise PrinterTimeout(
                    f"printer {self.path} stopped taking data for {self.timeouts.write:g} s",
                    may_have_printed=True,
                )

    def read(self, timeout: float) -> bytes:
        if self.fd is None or not self.can_read:
            return b""
        try:
            if not select.select([self.fd], [], [], max(timeout, 0))[0]:
                return b""
            chunk = os.read(self.fd, 256)
            if not chunk:
                self.can_read = False  # end of file: this device never answers
            return chunk
        except OSError as e:
            if e.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EINVAL, errno.EIO):
                # usblp answers EIO/EINVAL when the printer is unidirectional
                return b""
            return b""

    def close(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None
