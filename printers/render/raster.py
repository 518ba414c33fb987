"""Raster mode: the slip drawn with Pillow in a CJK font and sent as GS v 0 images.

For printers without a Chinese font ROM. It works on any ESC/POS printer that
takes raster images, at the cost of size (tens of KB instead of under 1 KB)
and a CJK font on the station (see printers.fonts). Glyphs are drawn without
anti-aliasing, so the 1-bit image is exactly what was drawn.

The image is cut into bands of ``BAND_ROWS`` rows, one GS v 0 each: cheap
printers have small receive buffers and garble one very tall image.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from printers.errors import PrinterUnavailable
from printers.fonts import DEBIAN_PACKAGES, ENV_VAR, FontChoice, find_cjk_font
from printers.render import commands as cmd
from printers.render.layout import MAX_MUL, QR, Block, Feed, Rule, Text
from printers.render.qr import qr_image
from printers.render.textfit import normalise, wrap

BASE_PX = 24
"""Font size at multiplier 1: the height of a ROM character, so both modes look alike."""
PAD = 8
"""Left and right margin in dots."""
BAND_ROWS = 256


@lru_cache(maxsize=64)
def _font(path: str, index: int, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, px, index=index)


@lru_cache(maxsize=8192)
def _advance(path: str, index: int, px: int, ch: str) -> float:
    return _font(path, index, px).getlength(ch)


def resolve_font(font: FontChoice | str | None) -> FontChoice:
    """The font to draw with, or PrinterUnavailable naming the packages to install."""
    if isinstance(font, FontChoice):
        return font
    found = find_cjk_font(font)
    if found is None:
        raise PrinterUnavailable(
            "no CJK font for raster printing: install "
            f"{' or '.join(DEBIAN_PACKAGES)}, or set {ENV_VAR}, or use text mode"
        )
    return found


def _fit_px(text: str, usable: int, font: FontChoice) -> int:
    """The largest font size (a multiple of 4, BASE_PX to 8 x BASE_PX) at which ``text`` fits.

    Advances grow in proportion to the size, so one measurement at the largest size gives
    the answer; hinting can make it a little wider, which the check after corrects.
    """
    largest = BASE_PX * MAX_MUL
    length = sum(_advance(font.path, font.index, largest, ch) for ch in text) or 1
    px = max(BASE_PX, min(largest, int(largest * usable / length) // 4 * 4))
    while px > BASE_PX and sum(_advance(font.path, font.index, px, ch) for ch in text) > usable:
        px -= 4
    return px


@dataclass(frozen=True)
class _Line:
    text: str
    px: int
    x: int
    y: int
    height: int
    bold: bool
    invert: bool


def _layout(blocks: list[Block], width_dots: int, font: FontChoice):
    """Where every line, rule and QR code goes, and the total height."""
    y = PAD
    items: list[tuple[str, object]] = []
    usable = width_dots - 2 * PAD

    def advance(px: int):
        return lambda ch: _advance(font.path, font.index, px, ch)

    for block in blocks:
        if isinstance(block, Text):
            if block.fit:
                px = _fit_px(normalise(block.text), usable, font)
            else:
                px = BASE_PX * block.h if block.w == block.h else 12 * (block.w + block.h)
            f = _font(font.path, font.index, px)
            ascent, descent = f.getmetrics()
            height = ascent + descent + max(4, px // 8)
            for line in wrap(normalise(block.text), usable, advance(px)):
                length = f.getlength(line)
                if block.align == "center":
                    x = PAD + int((usable - length) // 2)
                elif block.align == "right":
                    x = PAD + int(usable - length)
                else:
                    x = PAD
                items.append(("text", _Line(line, px, x, y, height, block.bold, block.invert)))
                y += height
        elif isinstance(block, Rule):
            items.append(("rule", y + 6))
            y += 14
        elif isinstance(block, QR):
            image = qr_image(block.data, width_dots)
            items.append(("qr", (image, y)))
            y += image.height
        elif isinstance(block, Feed):
            y += BASE_PX * block.lines
    return items, y + PAD


def lines(
    blocks: list[Block], *, width_dots: int = 384, font: FontChoice | str | None = None
) -> list[str]:
    """The text lines as drawn (wrapped to the paper in the font's own widths)."""
    items, _height = _layout(blocks, width_dots, resolve_font(font))
    return [item.text for kind, item in items if isinstance(item, _Line)]


def draw(
    blocks: list[Block], *, width_dots: int = 384, font: FontChoice | str | None = None
) -> Image.Image:
    """The slip as a mode "1" image ``width_dots`` wide; pixel value 1 = a black dot."""
    choice = resolve_font(font)
    items, height = _layout(blocks, width_dots, choice)
    canvas = Image.new("L", (width_dots, height), 0)  # 0 = paper, 255 = ink
    pen = ImageDraw.Draw(canvas)
    pen.fontmode = "1"
    for kind, item in items:
        if kind == "text":
            assert isinstance(item, _Line)
            f = _font(choice.path, choice.index, item.px)
            ink = 255
            if item.invert:
                length = int(f.getlength(item.text))
                pen.rectangle((item.x - 4, item.y, item.x + length + 4, item.y + item.height), 255)
                ink = 0
            stroke = 1 if item.bold else 0
            pen.text(
                (item.x, item.y), item.text, font=f, fill=ink, stroke_width=stroke, stroke_fill=ink
            )
        elif kind == "rule":
            assert isinstance(item, int)
            pen.rectangle((PAD, item, width_dots - PAD - 1, item + 1), 255)
        elif kind == "qr":
            image, y = item  # type: ignore[misc]
            canvas.paste(255, (0, y), image)
    return canvas.convert("1", dither=Image.Dither.NONE)


def to_escpos(image: Image.Image, *, cut: bool = True) -> bytes:
    """ESC @, the image as GS v 0 bands, feed and cut."""
    width_bytes = (image.width + 7) // 8
    out = bytearray(cmd.INIT)
    for top in range(0, image.height, BAND_ROWS):
        band = image.crop((0, top, image.width, min(top + BAND_ROWS, image.height)))
        out += cmd.raster(band.tobytes(), width_bytes, band.height)
    if cut:
        out += cmd.feed(3) + cmd.CUT
    return bytes(out)


def render_blocks(
    blocks: list[Block],
    *,
    width_dots: int = 384,
    font: FontChoice | str | None = None,
    cut: bool = True,
) -> bytes:
    """The job's bytes in raster mode."""
    return to_escpos(draw(blocks, width_dots=width_dots, font=font), cut=cut)
