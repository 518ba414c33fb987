"""The simulation's figures as table rows and as a self-contained HTML page with an SVG chart.

No UI library here: the CLI draws the same rows with rich and the chart with plotext.
"""

from __future__ import annotations

import html
from typing import Any

SERVICE_COLUMNS = [
    "Service", "Tickets/day", "Not called", "Mean wait (min)", "p50", "p90", "In target",
    "Util.",
]  # fmt: skip
GREEN_COLUMNS = ["Service", "Green", "Green mean (min)", "Normal mean", "Normal p95"]
HOUR_COLUMNS = [
    "Hour", "Tickets", "Not called", "Mean wait", "p50", "p90", "In target", "Util.",
    "Green mean", "Normal mean",
]  # fmt: skip


def _m(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _p(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _pm(row: dict[str, Any], key: str, show) -> str:
    """A figure and its 95 % interval across the replications: ``12.3 ±1.1``."""
    spread = (row.get("ci95") or {}).get(key)
    if row[key] is None or spread is None:
        return show(row[key])
    return f"{show(row[key])} ±{show(spread).lstrip()}"


def _rows_with_all(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [*data["services"], {"service": "all", **data["overall"]}]


def service_rows(data: dict[str, Any]) -> list[list[str]]:
    return [
        [
            s["service"],
            f"{s['tickets']:.0f}",
            _pm(s, "not_called", lambda v: f"{v:.0f}"),
            _pm(s, "wait_mean_min", _m),
            _m(s["wait_p50_min"]),
            _pm(s, "wait_p90_min", _m),
            _pm(s, "within_target", _p),
            _p(s.get("utilisation")),
        ]
        for s in _rows_with_all(data)
    ]


def green_rows(data: dict[str, Any]) -> list[list[str]]:
    return [
        [
            s["service"],
            _p(s["green_share"]),
            _m(s["green_wait_mean_min"]),
            _m(s["normal_wait_mean_min"]),
            _m(s["normal_wait_p95_min"]),
        ]
        for s in _rows_with_all(data)
    ]


def hour_rows(data: dict[str, Any]) -> list[list[str]]:
    return [
        [
            h["hour"],
            f"{h['tickets']:.0f}",
            f"{h['not_called']:.0f}",
            _m(h["wait_mean_min"]),
            _m(h["wait_p50_min"]),
            _m(h["wait_p90_min"]),
            _p(h["within_target"]),
            _p(h["utilisation"]),
            _m(h["green_wait_mean_min"]),
            _m(h["normal_wait_mean_min"]),
        ]
        for h in data["hours"]
    ]


def wait_chart_svg(data: dict[str, Any], width: int = 720, height: int = 260) -> str:
    """Wait p50 and p90 by hour (lines, minutes) over utilisation (bars, right scale)."""
    hours = data["hours"]
    if not hours:
        return '<p class="muted">No tickets.</p>'
    top = max([h["wait_p90_min"] or 0 for h in hours] + [1.0])
    left, right, bottom, pad = 44, 44, 28, 10
    plot_w, plot_h = width - left - right, height - bottom - pad
    slot = plot_w / len(hours)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Waits by hour">',
        f'<line x1="{left}" y1="{pad + plot_h}" x2="{width - right}" y2="{pad + plot_h}" '
        'stroke="#888"/>',
    ]
    for frac in (0.5, 1.0):
        y = pad + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                     'stroke="#ddd"/>')  # fmt: skip
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
                     f"{top * frac:.0f}m</text>")  # fmt: skip
        parts.append(f'<text x="{width - right + 4}" y="{y + 4:.1f}" font-size="11">'
                     f"{frac * 100:.0f}%</text>")  # fmt: skip
    for i, h in enumerate(hours):
        used = h["utilisation"] or 0.0
        bh = plot_h * used
        parts.append(
            f'<rect x="{left + i * slot + slot * 0.2:.1f}" y="{pad + plot_h - bh:.1f}" '
            f'width="{slot * 0.6:.1f}" height="{bh:.1f}" fill="#dde6f0"><title>{h["hour"]} '
            f"utilisation {used * 100:.0f}%</title></rect>"
        )
        parts.append(f'<text x="{left + (i + 0.5) * slot:.1f}" y="{height - 10}" font-size="11" '
                     f'text-anchor="middle">{h["hour"][:2]}</text>')  # fmt: skip
    for key, colour in (("wait_p50_min", "#4e79a7"), ("wait_p90_min", "#e15759")):
        points = " ".join(
            f"{left + (i + 0.5) * slot:.1f},{pad + plot_h * (1 - (h[key] or 0) / top):.1f}"
            for i, h in enumerate(hours)
        )
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                     'stroke-width="2"/>')  # fmt: skip
    parts.append("</svg>")
    legend = ('<p class="legend"><span style="color:#4e79a7">━</span> wait p50 &nbsp; '
              '<span style="color:#e15759">━</span> wait p90 (minutes, by hour of issue) &nbsp; '
              '<span style="color:#9fb3c8">■</span> counter utilisation</p>')  # fmt: skip
    return "".join(parts) + legend


def _table(columns: list[str], rows: list[list[str]]) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_page(data: dict[str, Any], what: str) -> str:
    esc = html.escape
    title = f"Simulated day 模拟 — {what}"
    style = (
        "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;"
        "margin:24px;color:#222;max-width:1100px}h1{font-size:22px}h2{font-size:17px}"
        "table{border-collapse:collapse;font-size:13px}"
        "th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}"
        "th:first-child,td:first-child{text-align:left}th{background:#f2f2f2}"
        ".muted,.legend{color:#666;font-size:12px}.warn{color:#a40000;font-weight:600}"
    )
    body = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="muted">{data["replications"]} replications, '
        f"{data['tickets_per_day']:.0f} tickets a day on average; ± is the 95 % interval "
        "across them.</p>",
        *(f'<p class="warn">{esc(w)}</p>' for w in data["warnings"]),
        f'<p class="muted">{esc(data["note"])}</p>',
        "<h2>Waits by hour 分时段等候</h2>",
        wait_chart_svg(data),
        "<h2>By service 按业务</h2>",
        _table(SERVICE_COLUMNS, service_rows(data)),
        "<h2>Green channel 绿色通道</h2>",
        _table(GREEN_COLUMNS, green_rows(data)),
        "<h2>By hour 按时段</h2>",
        _table(HOUR_COLUMNS, hour_rows(data)),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{style}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
