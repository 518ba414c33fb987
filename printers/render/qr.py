"""QR codes as 1-bit images for GS v 0 and the raster mode (python ``qrcode`` for the matrix)."""

from __future__ import annotations

from functools import lru_cache

import qrcode
from PIL import Image


def qr_module(width_dots: int) -> int:
    """Dots per QR module: about 2.5 cm wide for a short URL on 58 mm, larger on 80 mm."""
    return 6 if width_dots < 576 else 8


def fit_module(data: str, width_dots: int) -> int:
    """Dots per module so that this code, quiet zone included, fits the paper: a long
    address makes a bigger code, drawn with smaller modules rather than clipped."""
    modules = len(qr_matrix(data))
    module = qr_module(width_dots)
    while modules * module > width_dots and module > 1:
        module -= 1
    return module


@lru_cache(maxsize=64)
def qr_matrix(data: str, ec: str = "M") -> tuple[tuple[bool, ...], ...]:
    """The QR code's modules (True = dark), with the quiet zone of 2 modules."""
    levels = {
        "L": qrcode.constants.ERROR_CORRECT_L,
        "M": qrcode.constants.ERROR_CORRECT_M,
        "Q": qrcode.constants.ERROR_CORRECT_Q,
        "H": qrcode.constants.ERROR_CORRECT_H,
    }
    code = qrcode.QRCode(error_correction=levels[ec], border=2)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def qr_image(data: str, width_dots: int, module: int | None = None) -> Image.Image:
    """A mode "1" image ``width_dots`` wide with the code centred; pixel 1 = black dot."""
    matrix = qr_matrix(data)
    module = min(module, fit_module(data, width_dots)) if module else fit_module(data, width_dots)
    side = len(matrix) * module
    small = Image.new("1", (len(matrix), len(matrix)), 0)
    small.putdata([1 if dark else 0 for row in matrix for dark in row])
    big = small.resize((side, side), Image.Resampling.NEAREST)
    image = Image.new("1", (width_dots, side), 0)
    image.paste(big, ((width_dots - side) // 2, 0))
    return image
