"""Slips to ESC/POS bytes, without any printer: pure functions of their input.

``render(slip, options)`` is the one entry point. Text mode is the default
(see printers.render.text for why); raster mode is for printers without a
Chinese font ROM (printers.render.raster).
"""

from __future__ import annotations

from dataclasses import dataclass

from printers.render import raster as _raster
from printers.render import text as _text
from printers.render.layout import Block, blocks_for
from printers.slips import Lang, Slip

WIDTHS = {384: "58 mm", 576: "80 mm"}
MODES = ("text", "raster")
QR_MODES = ("native", "image")


@dataclass(frozen=True)
class RenderOptions:
    """How one printer wants its bytes."""

    width_dots: int = 384
    """384 (58 mm paper) or 576 (80 mm)."""
    mode: str = "text"
    """text (the printer's Chinese font ROM) or raster (drawn here, sent as an image)."""
    encoding: str = "gb18030"
    """Text mode: gb18030 or gbk, what the printer's ROM understands."""
    lang: Lang = Lang.BOTH
    qr: str = "native"
    """Text mode: native (GS ( k, the printer draws it) or image (GS v 0, for old printers)."""
    font: str | None = None
    """Raster mode: a font path (PATH or PATH#INDEX); None finds one on the system."""
    cut: bool = True

    def __post_init__(self) -> None:
        if self.width_dots not in WIDTHS:
            raise ValueError(f"paper width must be 384 or 576 dots, not {self.width_dots}")
        if self.mode not in MODES:
            raise ValueError(f"mode must be text or raster, not {self.mode!r}")
        if self.encoding not in ("gb18030", "gbk"):
            raise ValueError(f"encoding must be gb18030 or gbk, not {self.encoding!r}")
        if self.qr not in QR_MODES:
            raise ValueError(f"qr must be native or image, not {self.qr!r}")


DEFAULT_OPTIONS = RenderOptions()


def render_blocks(blocks: list[Block], options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
    """ESC/POS bytes of a layout."""
    if options.mode == "raster":
        return _raster.render_blocks(
            blocks, width_dots=options.width_dots, font=options.font, cut=options.cut
        )
    data, _lines = _text.render_blocks(
        blocks,
        width_dots=options.width_dots,
        encoding=options.encoding,
        qr=options.qr,
        cut=options.cut,
    )
    return data


def render(slip: Slip, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
    """ESC/POS bytes of a ticket or a receipt for one printer."""
    return render_blocks(blocks_for(slip, Lang(options.lang)), options)


def text_lines(slip: Slip, options: RenderOptions = DEFAULT_OPTIONS) -> list[str]:
    """The text lines a slip prints (normalised and wrapped), in the printer's mode: the
    font ROM's columns in text mode, the drawn font's widths in raster mode."""
    if options.mode == "raster":
        blocks = blocks_for(slip, Lang(options.lang))
        return _raster.lines(blocks, width_dots=options.width_dots, font=options.font)
    _data, lines = _text.render_blocks(
        blocks_for(slip, Lang(options.lang)),
        width_dots=options.width_dots,
        encoding=options.encoding,
        qr=options.qr,
        cut=options.cut,
    )
    return lines


def preview(slip: Slip, options: RenderOptions = DEFAULT_OPTIONS):
    """The slip as an image (raster mode's drawing), black on white, for a screen or a file."""
    from PIL import ImageOps

    image = _raster.draw(
        blocks_for(slip, Lang(options.lang)), width_dots=options.width_dots, font=options.font
    )
    return ImageOps.invert(image.convert("L"))


__all__ = ["MODES", "WIDTHS", "RenderOptions", "preview", "render", "render_blocks", "text_lines"]
