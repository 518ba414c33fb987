"""Checks for ``qconsole doctor``: what printing needs on this machine."""

from __future__ import annotations

import shutil

from printers.fonts import font_report


def checks(font: str | None = None) -> list[tuple[str, bool, str]]:
    """(name, ok, one line) for each thing printing may need; a missing one only
    matters for the printers that use it."""
    results = [("cjk_font", *font_report(font))]
    try:
        import usb.backend.libusb1

        ok = usb.backend.libusb1.get_backend() is not None
        line = "libusb-1.0 found" if ok else "libusb-1.0 missing (Debian: libusb-1.0-0)"
    except ImportError:
        ok, line = False, "pyusb not installed (the usb extra)"
    results.append(("usb", ok, f"USB printers: {line}"))
    try:
        import serial  # noqa: F401

        results.append(("serial", True, "serial printers: pyserial found"))
    except ImportError:
        results.append(("serial", False, "serial printers: pyserial missing (the serial extra)"))
    lp = shutil.which("lp")
    results.append(
        (
            "cups",
            lp is not None,
            f"CUPS printers: lp at {lp}" if lp else "CUPS printers: lp missing (cups-client)",
        )
    )
    return results
