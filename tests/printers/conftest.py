"""Shared fixtures for the printing tests: fixed slips, the golden files, the CJK font."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_check import GOLDEN_FONT

from printers.samples import sample_receipt, sample_ticket


@pytest.fixture
def ticket():
    return sample_ticket()


@pytest.fixture
def receipt():
    return sample_receipt()


@pytest.fixture
def cjk_font() -> str:
    from printers.fonts import find_cjk_font

    font = find_cjk_font()
    if font is None:
        pytest.skip("no CJK font on this machine (Debian: apt-get install fonts-wqy-microhei)")
    return str(font)


@pytest.fixture
def golden_font() -> str:
    if not Path(GOLDEN_FONT).is_file():
        pytest.skip(f"raster goldens need {GOLDEN_FONT} (Debian: fonts-wqy-microhei)")
    return GOLDEN_FONT
