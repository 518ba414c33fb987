"""The printers package stands alone: no UI, CLI or server framework, no console, no escpos."""

from __future__ import annotations

import subprocess
import sys


def test_importing_printers_pulls_in_no_framework():
    code = (
        "import sys, printers, printers.testing, printers.doctor;"
        "bad = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'textual', 'typer', 'fastapi', 'uvicorn', 'starlette', 'console', 'escpos'});"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_doctor_checks_report_the_font():
    from printers.doctor import checks

    names = [name for name, _ok, _line, _key, _values in checks()]
    assert names == ["cjk_font", "usb", "serial", "cups"]
    found = {name: rest for name, *rest in checks("/nonexistent.ttc")}
    ok, line, key, values = found["cjk_font"]
    assert not ok and "not found" in line
    assert (key, values) == ("font_configured_missing", {"font": "/nonexistent.ttc"})
