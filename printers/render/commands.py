"""The ESC/POS commands the renderers use, as bytes.

Written out here rather than taken from python-escpos so that every byte of a
job is chosen by us: the library's ``text()`` picks a code page by itself and
never sends FS & (Chinese mode), and its ``set()`` sizes only single-byte text.
References: Epson ESC/POS command reference (TM series) and the Chinese-model
FS commands (FS &, FS ., FS !) that Xprinter, Gprinter and ZJ printers share.
"""

from __future__ import annotations

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"
DLE = b"\x10"
EOT = b"\x04"
LF = b"\n"

INIT = ESC + b"@"
"""ESC @: clear the buffer and reset every print mode."""
CHINESE_ON = FS + b"&"
"""FS &: select Chinese character mode (bytes >= 0x80 start a GB double-byte character)."""
CHINESE_OFF = FS + b"."
"""FS .: cancel Chinese character mode."""
CUT = GS + b"V" + bytes((66, 0))
"""GS V 66 0: feed to the cutter and cut partially (ignored by printers without a cutter)."""

ALIGN = {"left": 0, "center": 1, "right": 2}


def align(where: str) -> bytes:
    """ESC a n: justification."""
    return ESC + b"a" + bytes((ALIGN[where],))


def bold(on: bool) -> bytes:
    """ESC E n: emphasised."""
    return ESC + b"E" + bytes((int(on),))


def invert(on: bool) -> bytes:
    """GS B n: white on black."""
    return GS + b"B" + bytes((int(on),))


def char_size(w: int, h: int) -> bytes:
    """GS ! n: character size w x h (1-8 each), for single- and double-byte characters."""
    if not (1 <= w <= 8 and 1 <= h <= 8):
        raise ValueError(f"character size {w}x{h} out of 1-8")
    return GS + b"!" + bytes((((w - 1) << 4) | (h - 1),))


def chinese_mode(w: int, h: int) -> bytes:
    """FS ! n: Chinese characters double width (bit 2) / double height (bit 3).

    Sent before GS ! for printers whose Chinese font ignores GS !; it can only double.
    """
    return FS + b"!" + bytes(((4 if w > 1 else 0) | (8 if h > 1 else 0),))


def feed(lines: int) -> bytes:
    """ESC d n: print and feed n lines."""
    return ESC + b"d" + bytes((max(0, min(lines, 255)),))


def _gs_k(fn: int, payload: bytes) -> bytes:
    size = len(payload) + 2
    return GS + b"(k" + bytes((size & 0xFF, size >> 8, 49, fn)) + payload


QR_EC = {"L": 48, "M": 49, "Q": 50, "H": 51}


def qr_native(data: str, module: int = 6, ec: str = "M") -> bytes:
    """GS ( k: the printer draws a model 2 QR code (store, then print)."""
    encoded = data.encode("utf-8")
    return (
        _gs_k(65, bytes((50, 0)))  # model 2
        + _gs_k(67, bytes((module,)))  # module size in dots
        + _gs_k(69, bytes((QR_EC[ec],)))  # error correction
        + _gs_k(80, b"0" + encoded)  # store the data
        + _gs_k(81, b"0")  # print it
    )


def raster(packed: bytes, width_bytes: int, height: int) -> bytes:
    """GS v 0: a raster bit image, rows of ``width_bytes`` bytes, 1 = black, MSB first."""
    if len(packed) != width_bytes * height:
        raise ValueError("raster data does not match its size")
    header = GS + b"v0\x00" + bytes((width_bytes & 0xFF, width_bytes >> 8, height & 0xFF))
    return header + bytes((height >> 8,)) + packed


DLE_EOT_PRINTER = DLE + EOT + b"\x01"
DLE_EOT_OFFLINE = DLE + EOT + b"\x02"
DLE_EOT_ERROR = DLE + EOT + b"\x03"
DLE_EOT_PAPER = DLE + EOT + b"\x04"
