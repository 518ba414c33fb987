"""Find a CJK font for raster mode.

Order: a configured path (``QCONSOLE_CJK_FONT`` or the caller's setting, as
``PATH`` or ``PATH#INDEX`` for a font collection), then fontconfig's list of
fonts covering simplified Chinese, then the usual Debian paths. On Debian the
packages are ``fonts-wqy-microhei`` (5 MB, the project's choice) or
``fonts-noto-cjk``. ``qconsole doctor`` reports when none is found; text mode
does not need one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ENV_VAR = "QCONSOLE_CJK_FONT"

KNOWN_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # index 2 = SC
    ("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
)

DEBIAN_PACKAGES = ("fonts-wqy-microhei", "fonts-noto-cjk")


@dataclass(frozen=True)
class FontChoice:
    """A font file and, for a collection (.ttc), which face in it."""

    path: str
    index: int = 0
    source: str = "system"
    """configured | fontconfig | known path"""

    def __str__(self) -> str:
        return f"{self.path}#{self.index}" if self.index else self.path


def _parse(spec: str) -> tuple[str, int]:
    path, _, index = spec.partition("#")
    return path, int(index) if index.isdigit() else 0


def _fontconfig() -> list[tuple[str, int, str]]:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(
            ["fc-list", "-f", "%{file}|%{index}|%{family}\n", ":lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = []
    for row in out.splitlines():
        parts = row.split("|")
        if len(parts) >= 3 and parts[1].isdigit():
            fonts.append((parts[0], int(parts[1]), parts[2]))
    return fonts


def _rank(font: tuple[str, int, str]) -> tuple[int, str]:
    path, _index, family = font
    family = family.lower()
    if "mono" in family or "bold" in path.lower():
        return (3, path)
    if "micro hei" in family or " sc" in family or "cjk sc" in family:
        return (0, path)
    if "zen hei" in family or "droid" in family:
        return (1, path)
    return (2, path)


@lru_cache(maxsize=8)
def find_cjk_font(configured: str | None = None) -> FontChoice | None:
    """The CJK font raster mode draws with, or None when the system has none."""
    spec = configured or os.environ.get(ENV_VAR)
    if spec:
        path, index = _parse(spec)
        return FontChoice(path, index, "configured") if Path(path).is_file() else None
    found = sorted(_fontconfig(), key=_rank)
    if found:
        path, index, _family = found[0]
        return FontChoice(path, index, "fontconfig")
    for path, index in KNOWN_FONTS:
        if Path(path).is_file():
            return FontChoice(path, index, "known path")
    return None


def font_report(configured: str | None = None) -> tuple[bool, str, str, dict[str, str]]:
    """(ok, one line, what was found as a key, its values) for ``qconsole doctor``, which
    says the key in its reader's language."""
    font = find_cjk_font(configured)
    if font is not None:
        found = {"font": str(font), "source": font.source}
        return True, f"CJK font for raster printing: {font} ({font.source})", "font_found", found
    spec = configured or os.environ.get(ENV_VAR)
    if spec:
        line = f"CJK font {spec} configured but not found; raster printing cannot work"
        return False, line, "font_configured_missing", {"font": spec}
    packages = " or ".join(DEBIAN_PACKAGES)
    return (
        False,
        (
            "no CJK font found: raster printing cannot work (text mode can); "
            f"install {packages} or set {ENV_VAR}"
        ),
        "font_missing",
        {"packages": packages, "variable": ENV_VAR},
    )
