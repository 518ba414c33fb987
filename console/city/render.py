"""The city's report as tables: Markdown, a self-contained HTML page, an XLSX workbook.

The same ``sections`` make every form (and the terminal's tables), with the hall report's
wording and marks (:mod:`console.reports.render`): a within-target share below the goal is
marked ▼.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from console.reports.render import BELOW, _md_cell, dur, on_target, pct

Section = tuple[str, list[str], list[list[str]]]

COLUMNS = [
    "Issued 取号",
    "Served 办结",
    "Wait mean 平均等候",
    "Wait p90",
    "Within target 按时率",
    "Rated 评价",
    "Rating 满意度",
    "Night 夜间",
]


def title(data: dict[str, Any]) -> str:
    days = data["from"] if data["from"] == data["to"] else f"{data['from']} – {data['to']}"
    city = f"{data['city']} · " if data.get("city") else ""
    return f"{city}City report 全市报表 · {days}"


def _row(label: str, f: dict[str, Any], goal: float) -> list[str]:
    night = (
        "-"
        if f["night_share_pct"] is None
        else f"{f['night_issued']} ({pct(f['night_share_pct'])})"
    )
    return [
        label,
        str(f["issued"]),
        str(f["served"]),
        dur(f["wait_mean_s"]),
        dur(f["wait_p90_s"]),
        on_target(f["within_target_pct"], goal),
        str(f["rated"]),
        "-" if f["rating_avg"] is None else str(f["rating_avg"]),
        night,
    ]


def sections(data: dict[str, Any]) -> list[Section]:
    goal = data["goal_within_target_pct"]
    cols = COLUMNS
    out: list[Section] = []
    halls = [_row(f"{h['name']} ({h['hall']})", h["total"], goal) for h in data["halls"]]
    halls.append(_row("All halls 全市", data["total"], goal))
    out.append(("By hall 各办事大厅", ["Hall 大厅", *cols], halls))
    services = [
        _row(f"{s['code']} {s['name_zh']} / {s['name_en']}", s, goal) for s in data["by_service"]
    ]
    out.append(("By service, all halls 各业务（全市）", ["Service 业务", *cols], services))
    rows = [
        _row(f"{h['name']} · {s['code']} {s['name_zh']}", s, goal)
        for h in data["halls"]
        for s in h["services"]
    ]
    out.append(("By hall and service 各大厅各业务", ["Hall · service 大厅 · 业务", *cols], rows))
    compare = []
    for name, label in (
        ("previous_day", "Previous day 前一天"),
        ("last_week", "Last week 上周同日"),
        ("previous_period", "Previous period 上一周期"),
    ):
        if name in data["compare"]:
            c = data["compare"][name]
            days = c["from"] if c["from"] == c["to"] else f"{c['from']} – {c['to']}"
            compare.append(_row(f"{label} {days}", c, goal))
    out.append(("Compared with 对比", ["Period 周期", *cols], compare))
    missing = [[m["hall"], m["day"]] for m in data["missing"]]
    out.append(("Days not yet received 尚未收到的日合计", ["Hall 大厅", "Day 日期"], missing))
    return out


def markdown(data: dict[str, Any]) -> str:
    lines = [f"# {title(data)}", ""]
    for name, cols, rows in sections(data):
        lines += [f"## {name}", ""]
        if not rows:
            lines += ["(none 无)", ""]
            continue
        lines.append("| " + " | ".join(_md_cell(c) for c in cols) + " |")
        lines.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(cols))) + "|")
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines) + "\n"


def html_page(data: dict[str, Any]) -> str:
    esc = html.escape
    body = [f"<h1>{esc(title(data))}</h1>"]
    for name, cols, rows in sections(data):
        body.append(f"<h2>{esc(name)}</h2>")
        if not rows:
            body.append('<p class="muted">(none 无)</p>')
            continue
        body.append(
            "<table><thead><tr>"
            + "".join(f"<th>{esc(c)}</th>" for c in cols)
            + "</tr></thead><tbody>"
        )
        for row in rows:
            body.append(
                "<tr>"
                + "".join(
                    f'<td class="below">{esc(c)}</td>'
                    if c.startswith(BELOW)
                    else f"<td>{esc(c)}</td>"
                    for c in row
                )
                + "</tr>"
            )
        body.append("</tbody></table>")
    style = (
        "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;"
        "margin:24px;color:#222;max-width:1100px}h1{font-size:22px}"
        "h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;font-size:13px}"
        "th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}"
        "th:first-child,td:first-child{text-align:left}th{background:#f2f2f2}"
        ".muted{color:#666;font-size:12px}td.below{color:#c0392b;font-weight:bold;"
        "background:#fdecea}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{esc(title(data))}</title><style>{style}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


XLSX_FIELDS = [
    "issued",
    "served",
    "called",
    "wait_mean_s",
    "wait_p50_s",
    "wait_p90_s",
    "within_target",
    "within_target_pct",
    "rated",
    "rating_avg",
    "night_issued",
    "night_share_pct",
]


def xlsx(data: dict[str, Any], path: Path) -> None:
    """One sheet per table, numbers as numbers (seconds), for the city's own spreadsheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    sheets = (
        ("halls", ["hall", "name", "district"],
         [[h["hall"], h["name"], h["district"], *[h["total"][f] for f in XLSX_FIELDS]]
          for h in data["halls"]]),
        ("services", ["code", "name_zh", "name_en"],
         [[s["code"], s["name_zh"], s["name_en"], *[s[f] for f in XLSX_FIELDS]]
          for s in data["by_service"]]),
        ("hall_services", ["hall", "code", "name_zh"],
         [[h["hall"], s["code"], s["name_zh"], *[s[f] for f in XLSX_FIELDS]]
          for h in data["halls"] for s in h["services"]]),
        ("missing", ["hall", "day"], [[m["hall"], m["day"]] for m in data["missing"]]),
        ("about", ["report", title(data)],
         [["from", data["from"]], ["to", data["to"]],
          ["percentiles", data["percentile_method"]]]),
    )  # fmt: skip
    for name, head, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append(head + (XLSX_FIELDS if name not in ("missing", "about") else []))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
    book.save(path)
