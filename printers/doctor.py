"""Checks for ``qconsole doctor``: what printing needs on this machine."""

from __future__ import annotations

import shutil

from printers.fonts import font_report

Found = tuple[str, bool, str, str, dict[str, str]]
"""(name, ok, one line, what was found as a key, its values): the doctor says the key in its
reader's language (``doctor.<key>`` in ``console.domain.reasons``), the line in English."""


def checks(font: str | None = None) -> list[Found]:
    """Each thing printing may need; a missing one only matters for the printers that use
    it."""
    results: list[Found] = [("cjk_font", *font_report(font))]
    try:
        import usb.backend.libusb1

        ok = usb.backend.libusb1.get_backend() is not None
        line = "libusb-1.0 found" if ok else "libusb-1.0 missing (Debian: libusb-1.0-0)"
        key = "libusb_found" if ok else "libusb_missing"
    except ImportError:
        ok, line, key = False, "pyusb not installed (the usb extra)", "pyusb_missing"
    results.append(("usb", ok, f"USB printers: {line}", key, {}))
    try:
        import serial  # noqa: F401

        results.append(("serial", True, "serial printers: pyserial found", "pyserial_found", {}))
    except ImportError:
        results.append(("serial", False, "serial printers: pyserial missing (the serial extra)",
                        "pyserial_missing", {}))  # fmt: skip
    lp = shutil.which("lp")
    if lp:
        results.append(("cups", True, f"CUPS printers: lp at {lp}", "lp_found", {"path": lp}))
    else:
        results.append(("cups", False, "CUPS printers: lp missing (cups-client)", "lp_missing", {}))
    return results
