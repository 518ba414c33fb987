"""Ticket numbers in big block letters, readable from a metre away (and further in contrast)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

FONT: dict[str, str] = {
    "0": "###,#.#,#.#,#.#,###",
    "1": ".#.,##.,.#.,.#.,###",
    "2": "###,..#,###,#..,###",
    "3": "###,..#,###,..#,###",
    "4": "#.#,#.#,###,..#,..#",
    "5": "###,#..,###,..#,###",
    "6": "###,#..,###,#.#,###",
    "7": "###,..#,..#,..#,..#",
    "8": "###,#.#,###,#.#,###",
    "9": "###,#.#,###,..#,###",
    "A": ".#.,#.#,###,#.#,#.#",
    "B": "##.,#.#,##.,#.#,##.",
    "C": "###,#..,#..,#..,###",
    "D": "##.,#.#,#.#,#.#,##.",
    "E": "###,#..,###,#..,###",
    "F": "###,#..,###,#..,#..",
    "G": "###,#..,#.#,#.#,###",
    "H": "#.#,#.#,###,#.#,#.#",
    "I": "###,.#.,.#.,.#.,###",
    "J": "..#,..#,..#,#.#,###",
    "K": "#.#,#.#,##.,#.#,#.#",
    "L": "#..,#..,#..,#..,###",
    "M": "#.#,###,###,#.#,#.#",
    "N": "##.,#.#,#.#,#.#,#.#",
    "O": ".#.,#.#,#.#,#.#,.#.",
    "P": "###,#.#,###,#..,#..",
    "Q": "###,#.#,#.#,###,..#",
    "R": "##.,#.#,##.,#.#,#.#",
    "S": ".##,#..,.#.,..#,##.",
    "T": "###,.#.,.#.,.#.,.#.",
    "U": "#.#,#.#,#.#,#.#,###",
    "V": "#.#,#.#,#.#,#.#,.#.",
    "W": "#.#,#.#,###,###,#.#",
    "X": "#.#,#.#,.#.,#.#,#.#",
    "Y": "#.#,#.#,.#.,.#.,.#.",
    "Z": "###,..#,.#.,#..,###",
    "-": "...,...,###,...,...",
    ":": "...,.#.,...,.#.,...",
    " ": "...,...,...,...,...",
    "?": "###,..#,.##,...,.#.",
}
"""A 3 x 5 pixel font: digits, Latin capitals and a few signs."""

HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


PIXEL = {2: (2, 1), 3: (3, 2), 4: (4, 2)}
"""Scale -> (cells wide, rows high) of one pixel: 2 is 5 rows, 3 and 4 are 10 rows."""


def big_lines(text: str, scale: int = 2) -> list[str]:
    """The rows of ``text`` in the pixel font: scale 1 is 3 rows (half blocks), 2 is 5 rows,
    3 and 4 are 10 rows (twice as high as 2; 4 also wider)."""
    glyphs = [FONT.get(ch, FONT["?"]).split(",") for ch in text.upper()]
    if not glyphs:
        return []
    pixels = [[c == "#" for c in ".".join(g[row] for g in glyphs)] for row in range(5)]
    if scale >= 2:
        wide, high = PIXEL[min(scale, 4)]
        on, off = "█" * wide, " " * wide
        return ["".join(on if p else off for p in row) for row in pixels for _ in range(high)]
    rows = [*pixels, [False] * len(pixels[0])]
    return [
        "".join(HALF[(top, bottom)] for top, bottom in zip(rows[r], rows[r + 1], strict=True))
        for r in range(0, 6, 2)
    ]


class BigText(Static):
    """A short text (a ticket number, a timer) in block letters."""

    DEFAULT_CSS = """
    BigText { width: auto; height: auto; }
    """

    def __init__(self, text: str = "", scale: int = 2, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = text
        self.scale = scale

    def on_mount(self) -> None:
        self.show(self.text)

    def show(self, text: str, scale: int | None = None) -> None:
        self.text = text
        if scale is not None:
            self.scale = scale
        self.update(Text("\n".join(big_lines(text, self.scale)), no_wrap=True))
