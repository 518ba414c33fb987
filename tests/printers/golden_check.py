"""Golden-file comparison for the printing tests (a module of its own: conftest.py names clash)."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("QCONSOLE_UPDATE_GOLDEN") == "1"
GOLDEN_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
"""The raster goldens were drawn with Debian's fonts-wqy-microhei."""


def _first_difference(a: bytes, b: bytes) -> int:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return min(len(a), len(b))


def check_golden(name: str, actual: bytes, tmp_path: Path) -> None:
    """Compare with tests/printers/golden/NAME (.gz is compressed); QCONSOLE_UPDATE_GOLDEN=1
    rewrites it. Review the change (the .png beside a raster golden) before committing it."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = gzip.compress(actual, mtime=0) if name.endswith(".gz") else actual
        path.write_bytes(data)
        return
    if not path.exists():
        pytest.fail(f"no golden file {path}; run with QCONSOLE_UPDATE_GOLDEN=1 and review it")
    expected = path.read_bytes()
    if name.endswith(".gz"):
        expected = gzip.decompress(expected)
    if actual != expected:
        at = _first_difference(actual, expected)
        (tmp_path / name.removesuffix(".gz")).write_bytes(actual)
        pytest.fail(
            f"{name}: {len(actual)} bytes, golden {len(expected)}; first difference at {at}: "
            f"got {actual[max(0, at - 8) : at + 8].hex(' ')}, "
            f"golden {expected[max(0, at - 8) : at + 8].hex(' ')} (actual in {tmp_path})"
        )
