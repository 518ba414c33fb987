"""Where a file printer may write when the hall server adds it: a printer device, or under
the server's printer directory (``serve --printer-dir``). Over the hall file an admin at
the machine may name any file; through the server a remote admin must not make the
server, nor a station, write files of its choosing."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Any

from console.domain.errors import AuthError, BadInput

PRINTER_DEVICES = ("/dev/usb/lp*", "/dev/ttyUSB*", "/dev/ttyS*")
"""Where a file printer may write, besides the server's configured directory."""


def check_file_printer(fields: dict[str, Any], printer_dir: str | Path | None) -> None:
    """Refuse a file printer, whether the server or a station drives it, writing anywhere
    but a printer device or the configured directory: a remote admin must not make the
    server, nor a station, write files of its choosing (a station's ``~/.bashrc``).
    ``..`` and symbolic links are resolved first; control characters (a NUL) are bad input."""
    if fields.get("connection") != "file":
        return
    address = str(fields.get("address") or "")
    if any(ord(c) < 32 for c in address):
        raise BadInput(reason="field.control_chars", what="printer address")
    target = os.path.realpath(address)
    if any(fnmatch.fnmatchcase(target, pattern) for pattern in PRINTER_DEVICES):
        return
    if printer_dir is not None:
        base = os.path.realpath(printer_dir)
        if os.path.commonpath([base, target]) == base and target != base:
            return
    where = f" or under {printer_dir}" if printer_dir else " (serve --printer-dir DIR allows one)"
    raise AuthError(reason="printer.file_confined", devices=", ".join(PRINTER_DEVICES),
                    where=where, address=repr(fields.get("address")))  # fmt: skip
