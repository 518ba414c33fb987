"""The public board (叫号屏): the latest call in block letters ("A023 → 5"), a new call
highlighted for a few seconds, the last eight calls and the waiting per service, with the
captions alternating between Chinese and English. No login; nothing to press but F1 and
Ctrl+Q. Optionally speaks each call (``--voice``), from a worker, never blocking.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from console.domain import HallView, Ticket
from console.domain.errors import QConsoleError, Unavailable
from console.tui import live
from console.tui.banner import HallBanner
from console.tui.bindings import BOARD, bindings_for
from console.tui.i18n import Translator
from console.tui.messages import HallChanged, HallLoaded, HallUnavailable
from console.tui.voice import WINDOW, BoardVoice
from console.tui.widgets import big_lines
from console.tui.widgets.bigtext import FONT

HIGHLIGHT_TICKS = 8
"""How long a new call stays highlighted, in ticks (8 s by default)."""
CAPTION_TICKS = 5
"""Captions switch language every this many ticks (5 s by default)."""
RECENT = 8
VOICE_RETRY_S = 2.0
"""How often the voice asks again for the hall's settings while the hall is unreachable."""

ARROW = ("....#...", "....##..", "#######.", "....##..", "....#...")
"""A 5-row arrow in the block font's pixels."""


def start(app: Any) -> Screen:
    return BoardScreen()


def pixels(text: str) -> list[str]:
    """The 5 pixel rows of ``text`` in the block font ('#' on, '.' off), one pixel apart."""
    glyphs = [FONT.get(ch, FONT["?"]).split(",") for ch in text.upper()]
    return [".".join(g[row] for g in glyphs) for row in range(5)]


def big_call(number: str, counter: int | None, width: int, height: int) -> list[str]:
    """'A023 → 5' in block letters, as large as fits ``width`` x ``height`` cells: each pixel
    ``w`` cells wide and ``h`` rows high, kept about square (a cell is twice as high as wide)."""
    parts = [pixels(number)] + ([list(ARROW), pixels(str(counter))] if counter is not None else [])
    rows = ["..".join(cols) for cols in zip(*parts, strict=True)]
    for w in (8, 7, 6, 5, 4, 3, 2):
        h = min(max(1, round(w / 2)), height // 5)
        if h >= 1 and len(rows[0]) * w <= width and h >= w / 2 - 1:
            on, off = "█" * w, " " * w
            return ["".join(on if p == "#" else off for p in row) for row in rows for _ in range(h)]
    small = big_lines(number, 1)
    if len(small[0]) <= width and height >= 3:
        return small
    return [f"{number} → {counter}" if counter is not None else number]


def big_recent(calls: list[Ticket], tr: Any, width: int, height: int) -> Text | None:
    """Each call as three rows of half-block letters ("A023 → 5 号窗口"), one blank row
    between calls, as many as fit; None when not even two fit (then plain lines)."""
    fit = (height + 1) // 4
    if fit < 2 or not calls:
        return None
    out = Text(no_wrap=True, overflow="crop")
    for i, ticket in enumerate(calls[:fit]):
        counter = ticket.counter_number
        number = big_lines(ticket.number, 1)
        target = big_lines(str(counter), 1) if counter is not None else ["", "", ""]
        before, _, after = tr("board.counter", n="\0").partition("\0")  # around the digits
        lines = [
            f" {number[r]}  {'→' if r == 1 else ' '}  "
            + (before if r == 1 else " " * cell_len(before))
            + f"{target[r]} "
            + (after if r == 1 else "")
            for r in range(3)
        ]
        if max(cell_len(line) for line in lines) > width:
            return None
        style = "bold reverse" if i == 0 else "bold"
        for line in lines:
            pad = " " * max(0, width - cell_len(line))
            out.append(line + (pad if i == 0 else ""), style)  # the newest: one solid block
            out.append("\n")
        if i < fit - 1:
            out.append("\n")
    out.rstrip()
    return out


def call_key(ticket: Ticket) -> tuple:
    """What makes a call new: another ticket, or the same one called again."""
    return (ticket.id, ticket.recall_count, ticket.called_at, ticket.counter_number)


class RecentBox(Static):
    """The recent calls' box: as many calls fit as its height allows, so it asks to be drawn
    again whenever its own size changes (the lists beside it settle after the screen's)."""

    class Resized(Message):
        """The box has a new size."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())


class BoardScreen(HallBanner, Screen):
    """The waiting room's display."""

    CSS_PATH = "hall.tcss"
    KEY_ACTIONS = BOARD
    BINDINGS = bindings_for(*BOARD)

    def __init__(self) -> None:
        super().__init__()
        self.view: HallView | None = None
        self.latest: tuple | None = None
        self.ticks = 0
        self.highlight_until = 0
        self.caption_lang = "zh-CN"
        self.hall = ""
        self.voice: BoardVoice | None = None
        self.recent_shown: list[str] = []
        """The numbers in the recent-calls box, newest first."""

    def compose(self) -> ComposeResult:
        yield Static("", id="board-header")
        yield Static("", id="banner")
        with Vertical(id="board-now"):
            yield Static("", id="board-caption")
            yield Static("", id="board-number")
        with Horizontal(id="board-lists"):
            yield RecentBox("", id="board-recent")
            yield Static("", id="board-waiting")

    def on_mount(self) -> None:
        settings = self.app.settings
        self.caption_lang = settings.lang
        if settings.voice:
            self.voice = BoardVoice(self.app.service, settings.voice_player, self._voice_failed)
            self.run_worker(self._speak, thread=True, group="voice", name="voice")
        self.load(first=True)
        self.set_interval(settings.tick_s, self.tick)

    @property
    def tr(self) -> Translator:
        """The captions' language right now (they alternate)."""
        return Translator(self.caption_lang)

    def on_unmount(self) -> None:
        if self.voice is not None and self.voice.queue is not None:
            self.voice.queue.close()

    # -- the voice (a worker: speech never holds up the screen) ------------------
    def _speak(self) -> None:
        voice = self.voice
        if voice is None:
            return
        worker = get_current_worker()
        while not worker.is_cancelled:
            try:
                queue = voice.start()
            except (Unavailable, sqlite3.Error, OSError):  # no hall yet: the voice waits for it
                live.sleep(worker, VOICE_RETRY_S)
                continue
            except QConsoleError as exc:  # nothing to speak or play with on this machine
                self.voice = None
                self.app.call_from_thread(self.notify, self.app.t("board.voice_off",
                                          why=live.describe(exc, self.app.t)),
                                          severity="warning", timeout=10)  # fmt: skip
                return
            queue.run(lambda: worker.is_cancelled)
            return

    def _voice_failed(self, exc: QConsoleError) -> None:
        self.app.call_from_thread(self.notify, self.app.t("board.voice_failed",
                                  why=live.describe(exc, self.app.t)),
                                  severity="warning", timeout=8)  # fmt: skip

    # -- loading ------------------------------------------------------------
    def load(self, first: bool = False) -> None:
        service, app, voice = self.app.service, self.app, self.voice

        def run() -> None:
            try:
                if first:
                    name = app.hall_name()
                    self.app.call_from_thread(setattr, self, "hall", name)
                view = service.hall_view(WINDOW if voice else RECENT)
                if voice is not None:
                    voice.follow(view)  # queues the calls up to this view, in their order
            except live.FAILURES as exc:
                self.post_message(HallUnavailable(live.describe(exc, self.app.t)))
                if first:
                    self.app.call_from_thread(self._watch, 0)
                return
            self.post_message(HallLoaded(view))
            if first:
                self.app.call_from_thread(self._watch, view.as_of_event)

        self.run_worker(run, thread=True, group="view", name="load")

    def _watch(self, after: int) -> None:
        if self.app.settings.live:
            live.watch(self, self.app.service, after, self.app.settings.live_timeout)

    def on_hall_changed(self, message: HallChanged) -> None:
        if live.outdated(self.view, message, self.app.service_clock()):
            self.load()

    def on_hall_loaded(self, message: HallLoaded) -> None:
        view = message.view
        if self.view is not None and view.as_of_event < self.view.as_of_event:
            return
        first = self.view is None
        self.view = view
        self.hall_answered()
        latest = call_key(view.recent_calls[0]) if view.recent_calls else None
        if latest is not None and latest != self.latest and not first:
            self._new_call(view.recent_calls[0])
        self.latest = latest
        self._redraw()

    # -- a new call ---------------------------------------------------------
    def _new_call(self, ticket: Ticket) -> None:
        self.query_one("#board-now").add_class("-new")
        self.highlight_until = self.ticks + HIGHLIGHT_TICKS

    # -- drawing ------------------------------------------------------------
    def tick(self) -> None:
        """Once a second: the clock, the end of a highlight, the captions' language."""
        self.ticks += 1
        if self.ticks >= self.highlight_until:
            self.query_one("#board-now").remove_class("-new")
        if self.ticks % CAPTION_TICKS == 0:
            self.caption_lang = "en" if self.caption_lang.startswith("zh") else "zh-CN"
            self._redraw()
        else:
            self._header()

    def on_resize(self) -> None:
        self._redraw()

    def on_recent_box_resized(self) -> None:
        if self.view is not None:
            self._recent()

    def _redraw(self) -> None:
        self._header()
        if self.view is None:
            self.query_one("#board-number", Static).update(self.app.t("common.loading"))
            return
        self._now()
        self._recent()
        self._waiting()
        self.call_after_refresh(self._recent)  # again once the lists have their new height

    def _header(self) -> None:
        tr = self.tr
        text = Text()
        view = self.view
        closed = ""
        if view is not None and not view.session_open:
            when = view.next_session_opens
            if view.closed_for:
                closed = tr("board.closed_holiday", holiday=view.closed_for[tr.index])
            else:
                closed = tr("board.closed_next", when=when) if when else tr("board.closed")
        clock = self.app.service_clock().local(self.app.now()).strftime("%H:%M")
        # the hall's name gives way first: when the next session opens is what citizens need
        room = self.size.width - len(clock) - 1 - (cell_len(closed) + 4 if closed else 0)
        hall = Text(f" {self.hall} ", "bold")
        if room > 0 and hall.cell_len > room:
            hall.truncate(room, overflow="ellipsis")
        text.append_text(hall)
        if closed:
            text.append("  ")
            text.append(f" {closed} ", "bold reverse yellow")
        pad = max(1, self.size.width - text.cell_len - len(clock) - 1)
        text.append(" " * pad + clock, "bold")
        self.query_one("#board-header", Static).update(text)

    def _now(self) -> None:
        tr, view = self.tr, self.view
        caption = self.query_one("#board-caption", Static)
        number = self.query_one("#board-number", Static)
        if not view or not view.recent_calls:
            caption.update(Text(tr("board.title"), "bold"))
            number.update(Text(tr("board.none"), "dim"))
            return
        ticket = view.recent_calls[0]
        where = tr("board.counter", n=ticket.counter_number)
        caption.update(Text.assemble((tr("board.title"), "bold"), "   ", (where, "bold")))
        recent_rows = RECENT + 3
        room = max(3, self.size.height - 1 - 2 - 1 - recent_rows)
        lines = big_call(ticket.number, ticket.counter_number, max(10, self.size.width - 4), room)
        number.update(Text("\n".join(lines), no_wrap=True, justify="center"))

    def _recent(self) -> None:
        """The last calls in half-block letters (three rows each), read across a room; the
        newest as one solid highlighted block. Plain lines only when the room is too small."""
        tr, view = self.tr, self.view
        box = self.query_one("#board-recent", Static)
        box.border_title = tr("board.recent")
        calls = view.recent_calls[:RECENT] if view else []
        width, height = box.content_region.width, box.content_region.height
        rows = big_recent(calls, tr, width, height)
        if rows is not None:
            self.recent_shown = [t.number for t in calls[: (height + 1) // 4]]
            box.update(rows)
            return
        self.recent_shown = [t.number for t in calls]
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        for i, ticket in enumerate(view.recent_calls[:RECENT] if view else []):
            style = "bold reverse" if i == 0 else "bold"
            table.add_row(Text(ticket.number, style), Text("→", style),
                          Text(tr("board.counter", n=ticket.counter_number), style))  # fmt: skip
        box.update(table)

    def _waiting(self) -> None:
        tr, view = self.tr, self.view
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(justify="right", no_wrap=True)
        for s in view.services if view else []:
            name = s.name_zh if tr.zh else s.name_en
            table.add_row(name, Text(tr("board.n_waiting", n=s.waiting), "bold"))
        box = self.query_one("#board-waiting", Static)
        box.border_title = tr("board.waiting")
        box.update(table)
