"""Text mode: the printer's own Chinese font, GB18030 or GBK bytes.

This is the default mode. Thermal printers sold in China (Xprinter, Gprinter,
ZJ/POS-58, the Chinese Epson TM models) carry a GB18030 or GBK font ROM: a
ticket is well under 1 KB, prints at once in crisp ROM characters and needs
no font on the station. Printers without a Chinese ROM (most imported
Western models) are set to raster mode instead.

A job is: ESC @ (reset), FS & (Chinese mode), then per paragraph ESC a
(align), ESC E (bold), GS B (invert), FS ! and GS ! (size), the text in the
printer's encoding and LF; a QR code drawn by the printer (GS ( k) or sent as
an image; feed and cut. Paper: 384 dots (58 mm) = 32 columns of the 12 x 24
font, 576 dots (80 mm) = 48; a Chinese character takes two columns.
"""

from __future__ import annotations

from printers.render import commands as cmd
from printers.render.layout import MAX_MUL, QR, Block, Feed, Rule, Text
from printers.render.qr import fit_module, qr_image
from printers.render.textfit import normalise, width, wrap

COLUMN_DOTS = 12
"""Width of a half-width character of font A (12 x 24)."""


class _Builder:
    """Bytes of one job; print modes are sent only when they change."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.out = bytearray(cmd.INIT + cmd.CHINESE_ON)
        self.align = "left"
        self.bold = False
        self.invert = False
        self.size = (1, 1)
        self.lines: list[str] = []

    def style(self, *, align: str, bold: bool, invert: bool, size: tuple[int, int]) -> None:
        if align != self.align:
            self.out += cmd.align(align)
            self.align = align
        if bold != self.bold:
            self.out += cmd.bold(bold)
            self.bold = bold
        if invert != self.invert:
            self.out += cmd.invert(invert)
            self.invert = invert
        if size != self.size:
            self.out += cmd.chinese_mode(*size) + cmd.char_size(*size)
            self.size = size

    def line(self, text: str) -> None:
        self.out += text.encode(self.encoding) + cmd.LF
        self.lines.append(text)


def fit_multiplier(text: str, columns: int) -> int:
    """The largest equal multiplier (1-8) at which ``text`` fits on one line."""
    w = max(width(text), 1)
    return max(1, min(MAX_MUL, columns // w))


def render_blocks(
    blocks: list[Block],
    *,
    width_dots: int = 384,
    encoding: str = "gb18030",
    qr: str = "native",
    cut: bool = True,
) -> tuple[bytes, list[str]]:
    """The job's bytes and the text lines it prints (normalised, wrapped), in order."""
    columns = width_dots // COLUMN_DOTS
    b = _Builder(encoding)
    for block in blocks:
        if isinstance(block, Text):
            text = normalise(block.text, encoding)
            if block.fit:
                k = fit_multiplier(text, columns)
                size = (k, k)
            else:
                size = (block.w, block.h)
            b.style(align=block.align, bold=block.bold, invert=block.invert, size=size)
            for line in wrap(text, columns // size[0]):
                b.line(line)
        elif isinstance(block, Rule):
            b.style(align="left", bold=False, invert=False, size=(1, 1))
            b.line("-" * columns)
        elif isinstance(block, QR):
            b.style(align="center", bold=False, invert=False, size=(1, 1))
            if qr == "native":
                b.out += cmd.qr_native(block.data, module=fit_module(block.data, width_dots))
            else:
                image = qr_image(block.data, width_dots)
                b.out += cmd.raster(image.tobytes(), width_dots // 8, image.height)
        elif isinstance(block, Feed):
            b.out += cmd.LF * block.lines
    b.style(align="left", bold=False, invert=False, size=(1, 1))
    if cut:
        b.out += cmd.feed(3) + cmd.CUT
    return bytes(b.out), b.lines
