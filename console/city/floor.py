"""The city's floor view in the terminal (``qconsole city floor``): every hall on one screen.

One row per hall of city.toml: its state (open, night session, closed), waiting, how far
the longest wait is over its target (and which services), open counters, alerts, tonight's
night session, and the time of its figures. A hall the city cannot reach is marked
unreachable, with the time of the last figures it has (and when the link was lost). The
rows come from a :class:`CitySource` (the city process's API, or the city's database kept
by a follower in this process), read on a worker thread every :data:`REFRESH_S` seconds;
nothing here reaches a hall itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

REFRESH_S = 2.0
COLUMNS = (
    "Hall 大厅",
    "State 状态",
    "Queue 等候",
    "Over 超时",
    "Open 窗口",
    "Alert 告警",
    "Night 夜间",
    "Figures 数据",
    "District 区",
)
"""Queue: tickets waiting; Over: the most a service's longest wait is over its target (and
those services); Open: counters open; Alert: the floor's alerts; Night: tonight's night
session; Figures: when the city read them."""
UNREACHABLE = "unreachable 无法连接"
STATES = {"open": "open 开放", "night": "night 夜间专场", "closed": "closed 休息", None: "-"}

CitySource = Callable[[], list[dict[str, Any]]]
"""Every hall now, as ``/city/api/v1/halls`` gives them."""


def _hhmm(ts: float | None, tz: tzinfo | None) -> str:
    return datetime.fromtimestamp(ts, tz).strftime("%H:%M") if ts else "-"


def _minutes(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def hall_row(h: dict[str, Any], tz: tzinfo | None) -> list[Text]:
    """The cells of one hall, in the order of :data:`COLUMNS`."""
    stale = not h["reachable"]
    figures = _hhmm(h["seen_at"], tz)
    if stale:
        figures += f" (lost {_hhmm(h['link_since'], tz)})"
    if h["state"] is None:
        cells = [h["name"], "-", "-", "-", "-", "-", "-", figures, h["district"]]
    else:
        over = (f"{_minutes(h['over_target_s'])} {','.join(h['over_target'])}"
                if h["over_target_s"] > 0 else "-")  # fmt: skip
        night = next((f"{s['opens']}–{s['closes']}" for s in h["sessions_today"] if s["night"]),
                     "-")  # fmt: skip
        cells = [h["name"], STATES.get(h["state"], h["state"]), str(h["waiting"]), over,
                 str(h["counters_open"]), str(len(h["alerts"])) if h["alerts"] else "-", night,
                 figures, h["district"]]  # fmt: skip
    if stale:
        cells[1] = UNREACHABLE
    row = [Text(c) for c in cells]
    if stale:
        for cell in row:
            cell.stylize("dim")
        row[1].stylize("bold red")
        row[7].stylize("bold red")
        return row
    if h["state"] is not None and h["over_target_s"] > 0:
        row[3].stylize("bold red")
    if h.get("alerts"):
        row[5].stylize("bold yellow")
    return row


class CityFloorApp(App):
    """Every hall of the city, refreshed every few seconds."""

    TITLE = "qconsole city"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    #city-title { height: 1; padding: 0 1; text-style: bold; }
    #city-table { height: 1fr; }
    #city-sum { height: 1; padding: 0 1; }
    """
    BINDINGS: ClassVar = [
        Binding("q", "quit", "Quit 退出"),
        Binding("r", "refresh", "Refresh 刷新"),
    ]

    def __init__(self, source: CitySource, *, name: str = "", tz: tzinfo | None = None,
                 now: Callable[[], float], live: bool = True) -> None:  # fmt: skip
        super().__init__()
        self.source = source
        self.city_name = name
        self.tz = tz
        self.now = now
        self.live = live
        self.halls: list[dict[str, Any]] | None = None
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="city-title")
        yield DataTable(id="city-table", zebra_stripes=True, cursor_type="row")
        yield Static(id="city-sum")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in COLUMNS:
            table.add_column(column, key=column)
        self.action_refresh()
        if self.live:
            self.set_interval(REFRESH_S, self.action_refresh)

    def action_refresh(self) -> None:
        self.read()

    @work(thread=True, exclusive=True, group="city-read")
    def read(self) -> None:
        try:
            halls = self.source()
        except Exception as exc:  # the city process away: say so, keep the last rows
            self.call_from_thread(self.show, None, str(exc).splitlines()[0][:120])
            return
        self.call_from_thread(self.show, halls, None)

    def show(self, halls: list[dict[str, Any]] | None, problem: str | None) -> None:
        self.problem = problem
        if halls is not None:
            self.halls = halls
            table = self.query_one(DataTable)
            table.clear()
            for h in halls:
                table.add_row(*hall_row(h, self.tz), key=h["key"])
        title = f"{self.city_name} · " if self.city_name else ""
        self.query_one("#city-title", Static).update(
            f"{title}City floor 全市大厅 · {_hhmm(self.now(), self.tz)}"
        )
        self.query_one("#city-sum", Static).update(self.summary())

    def summary(self) -> Text:
        if self.halls is None:
            return Text(self.problem or "…")
        up = [h for h in self.halls if h["reachable"]]
        waiting = sum(h.get("waiting", 0) for h in up)
        over = sum(1 for h in up if h["state"] is not None and h["over_target_s"] > 0)
        night = sum(1 for h in up if h["state"] == "night")
        text = Text(
            f"{len(up)}/{len(self.halls)} halls reachable 可连接 · {waiting} waiting 等候"
            f" · {over} over target 超时 · {night} in a night session 夜间专场"
        )
        if self.problem:
            text.append(f" · city process: {self.problem}", style="bold red")
        return text
