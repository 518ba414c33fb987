"""The report as tables, Markdown and a self-contained HTML page with a chart by hour.

No UI library here: the CLI draws the same ``sections`` with rich on a terminal.
The HTML page has inline CSS and an inline SVG chart (no scripts, no external
files), so it survives being mailed.
"""

from __future__ import annotations

import html
from typing import Any

from console.format import duration

Section = tuple[str, list[str], list[list[str]]]

BELOW = "▼"
"""Marks a result below its target (red in HTML and on a terminal, bold in Markdown)."""

DEFINITIONS = [
    ["Wait 等候", "From taking the ticket to being called. 从取号到被叫号的时间。"],
    ["Handling 办理", "From the start of service to the finish, without time parked. "
                      "从开始办理到办结，不含暂挂时间。"],
    ["Median (p50) 中位数", "Half of the citizens waited less than this, half longer. "
                           "一半的人少于这个时间，一半多于。"],
    ["p90", "Nine in ten citizens waited less than this; one in ten longer. "
            "十个人里有九个少于这个时间。"],
    ["Within target 按时率", "Share of citizens called before their service's target wait. "
                             "在该业务目标等候时间内被叫号的人所占比例。"],
    [BELOW, "Fewer than {goal}% called within target: below target. "
            "按时率低于 {goal}%：未达标。"],
    ["Previous day / last week 前一天 / 上周同日",
     "The same figure on the day before and on the same weekday a week before. "
     "同一指标在前一天和上周同一天的数值。"],
]  # fmt: skip
"""What each figure means, in words a director reads (replaces the percentile jargon)."""

GROUP_COLUMNS = [
    "Issued 取号", "Served 办结", "Incomplete 材料不全", "No-show 过号", "Cancelled 取消",
    "Wait p50 等候", "Wait p90", "Handling p50 办理", "Handling p90", "Within target 按时率",
    "Rating 满意度",
]  # fmt: skip


COMPACT_COLUMNS = [
    "Issued", "Served", "Incompl.", "No-show", "Cancel", "Wait p50", "p90", "Handle p50", "p90",
    "In target", "Rating",
]  # fmt: skip


def dur(seconds: int | None) -> str:
    """'25 min', '1 h 11 min': never '25:00' beside hour labels such as '08:00'."""
    return duration(seconds)


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def on_target(value: float | None, goal: float) -> str:
    """A within-target share, marked when below the goal."""
    text = pct(value)
    return f"{BELOW} {text}" if value is not None and value < goal else text


def _num(value: Any) -> str:
    return "-" if value is None else str(value)


def _figures(f: dict[str, Any], goal: float) -> list[str]:
    return [
        str(f["issued"]), str(f["served"]), str(f["incomplete"]), str(f["no_show"]),
        str(f["cancelled"]), dur(f["wait_p50_s"]), dur(f["wait_p90_s"]),
        dur(f["handling_p50_s"]), dur(f["handling_p90_s"]),
        on_target(f["within_target_pct"], goal), _num(f["rating_avg"]),
    ]  # fmt: skip


OVERVIEW: list[tuple[str, Any]] = [
    ("Tickets issued 取号", lambda t, g: str(t["issued"])),
    ("Served 办结", lambda t, g: str(t["served"])),
    ("  completed 办成", lambda t, g: str(t["completed"])),
    ("  materials incomplete 材料不全", lambda t, g: str(t["incomplete"])),
    ("  referred 转介", lambda t, g: str(t["referred"])),
    ("No-show 过号", lambda t, g: str(t["no_show"])),
    ("Cancelled 取消", lambda t, g: str(t["cancelled"])),
    ("Expired 逾期未办", lambda t, g: str(t["expired"])),
    ("Still open 未结", lambda t, g: str(t["open"])),
    ("Wait, median / p90 等候", lambda t, g: f"{dur(t['wait_p50_s'])} / {dur(t['wait_p90_s'])}"),
    ("Handling, median / p90 办理",
     lambda t, g: f"{dur(t['handling_p50_s'])} / {dur(t['handling_p90_s'])}"),
    ("Called within target 按时叫号率", lambda t, g: on_target(t["within_target_pct"], g)),
    ("Green channel 绿色通道", lambda t, g: str(t["green"])),
    ("Green wait, median / p90",
     lambda t, g: f"{dur(t['green_wait_p50_s'])} / {dur(t['green_wait_p90_s'])}"),
    ("Green share 绿色通道占比", lambda t, g: pct(t.get("green_share_pct"))),
    ("Normal wait, median / p90 普通",
     lambda t, g: f"{dur(t.get('normal_wait_p50_s'))} / {dur(t.get('normal_wait_p90_s'))}"),
    ("Satisfaction avg 满意度", lambda t, g: f"{_num(t['rating_avg'])} ({t['rated']} rated)"),
]  # fmt: skip
"""The overview's rows: a label and how to show the figure from a day's totals."""


def title(data: dict[str, Any]) -> str:
    span = data["from"] if data["from"] == data["to"] else f"{data['from']} – {data['to']}"
    return f"{data.get('hall') or 'qconsole'} · 业务报表 Report {span}"


def sections(data: dict[str, Any], compact: bool = False) -> list[Section]:
    """The report's tables: (title, column headers, rows of text); ``compact`` for a terminal."""
    group_cols = COMPACT_COLUMNS if compact else GROUP_COLUMNS
    goal = data.get("goal_within_target_pct", 80)
    t = data["total"]
    compare = data.get("compare")
    columns = ["Figure 指标", "Value 数值"]
    days = [t]
    if compare:
        prev, week = compare["previous_day"], compare["last_week"]
        columns += [f"Previous day 前一天 {prev['day']}", f"Last week 上周同日 {week['day']}"]
        days += [prev, week]
    overview = [[label, *(show(d, goal) for d in days)] for label, show in OVERVIEW]
    out: list[Section] = [("Overview 总览", columns, overview)]
    out.append(("By service 按业务", ["Service 业务", *group_cols],
                [[f"{g['code']} {g['name_zh'] or ''}", *_figures(g, goal)]
                 for g in data["by_service"]]))  # fmt: skip
    if data.get("by_department"):  # a one-stop hall: its departments and matters
        out.append(("By department 按部门", ["Department 部门", *group_cols],
                    [[f"{g['code']} {g['name_zh'] or ''}", *_figures(g, goal)]
                     for g in data["by_department"]]))  # fmt: skip
        out.append(("By matter 按事项", ["Matter 事项", *group_cols],
                    [[f"{g['code']} {g['name_zh'] or ''}", *_figures(g, goal)]
                     for g in data["by_matter"]]))  # fmt: skip
    out.append(("By counter 按窗口", ["Counter 窗口", *group_cols],
                [[f"{g['counter']} {g['name'] or ''}".strip(), *_figures(g, goal)]
                 for g in data["by_counter"]]))  # fmt: skip
    out.append(("By clerk 按工作人员", ["Staff no. 工号", *group_cols],
                [[f"{g['staff_no']} {g.get('name') or ''}".strip(), *_figures(g, goal)]
                 for g in data["by_clerk"]]))  # fmt: skip
    out.append(("By session 按场次", ["Session 场次", *group_cols],
                [[g["name"] or "(no session 无场次)", *_figures(g, goal)]
                 for g in data["by_session"]]))  # fmt: skip
    green = data["green"]
    out.append(("Green channel 绿色通道", ["Reason 原因", "Tickets 人次", "Wait p50", "Wait p90"],
                [[g["reason"], str(g["issued"]), dur(g["wait_p50_s"]), dur(g["wait_p90_s"])]
                 for g in green["by_reason"]]))  # fmt: skip
    sat = data["satisfaction"]
    rated = sat["rated"] or 0
    out.append(("Satisfaction 满意度", ["Rating 评分", "Count 人次", "Share 占比"],
                [[f"{k} ★", str(v), pct(100 * v / rated if rated else None)]
                 for k, v in sorted(sat["distribution"].items(), reverse=True)]))  # fmt: skip
    out.append(("By hour 按时段", ["Hour 时段", "Issued 取号", "Served 办结", "Wait p50 等候"],
                [[f"{h['hour']:02d}:00", str(h["issued"]), str(h["served"]), dur(h["wait_p50_s"])]
                 for h in data["by_hour"]]))  # fmt: skip
    out.append(("How to read this report 说明", ["Term 术语", "Meaning 含义"],
                [[term, text.format(goal=goal)] for term, text in DEFINITIONS]))  # fmt: skip
    return out


def _md_cell(text: str) -> str:
    text = text.replace("|", "\\|")
    return f"**{text}**" if text.startswith(BELOW) else text


def markdown(data: dict[str, Any]) -> str:
    lines = [f"# {title(data)}", ""]
    for name, cols, rows in sections(data):
        lines += [f"## {name}", ""]
        if not rows:
            lines += ["(none 无)", ""]
            continue
        lines.append("| " + " | ".join(_md_cell(c) for c in cols) + " |")
        lines.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(cols))) + "|")
        for row in rows:
            lines.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
        lines.append("")
    return "\n".join(lines) + "\n"


def hour_chart(by_hour: list[dict[str, Any]], width: int = 720, height: int = 240) -> str:
    """An inline SVG bar chart: tickets issued and served per hour of the day."""
    hours = [h for h in by_hour if h["issued"] or h["served"]]
    if not hours:
        return '<p class="muted">No tickets in this range. 本时段无数据。</p>'
    lo, hi = min(h["hour"] for h in hours), max(h["hour"] for h in hours)
    span = list(range(lo, hi + 1))
    data = {h["hour"]: h for h in hours}
    top = max(max(h["issued"], h["served"]) for h in hours) or 1
    left, bottom, pad = 40, 28, 10
    plot_w, plot_h = width - left - pad, height - bottom - pad
    slot = plot_w / len(span)
    bar = max(2.0, slot * 0.38)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Tickets by hour">',
        f'<line x1="{left}" y1="{pad + plot_h}" x2="{width - pad}" y2="{pad + plot_h}" '
        'stroke="#888"/>',
    ]
    for frac in (0.5, 1.0):
        y = pad + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - pad}" y2="{y:.1f}" '
                     'stroke="#ddd"/>')  # fmt: skip
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
                     f"{round(top * frac)}</text>")  # fmt: skip
    for i, hour in enumerate(span):
        x0 = left + i * slot + (slot - 2 * bar) / 2
        h = data.get(hour, {"issued": 0, "served": 0})
        for j, (key, colour) in enumerate((("issued", "#4e79a7"), ("served", "#59a14f"))):
            bh = plot_h * h[key] / top
            parts.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{pad + plot_h - bh:.1f}" width="{bar:.1f}" '
                f'height="{bh:.1f}" fill="{colour}"><title>{hour:02d}:00 {key} {h[key]}'
                "</title></rect>"
            )
        parts.append(f'<text x="{left + (i + 0.5) * slot:.1f}" y="{height - 10}" font-size="11" '
                     f'text-anchor="middle">{hour:02d}</text>')  # fmt: skip
    parts.append("</svg>")
    legend = ('<p class="legend"><span style="color:#4e79a7">■</span> issued 取号 &nbsp; '
              '<span style="color:#59a14f">■</span> served 办结 (per hour 每小时)</p>')  # fmt: skip
    return "".join(parts) + legend


def html_page(data: dict[str, Any]) -> str:
    esc = html.escape
    t = data["total"]
    cards = [
        ("Issued 取号", str(t["issued"])), ("Served 办结", str(t["served"])),
        ("Wait p50 等候", dur(t["wait_p50_s"])),
        ("Within target 按时率", on_target(t["within_target_pct"],
                                           data.get("goal_within_target_pct", 80))),
        ("Satisfaction 满意度", _num(t["rating_avg"])), ("Green channel 绿色通道", str(t["green"])),
    ]  # fmt: skip
    body = [f"<h1>{esc(title(data))}</h1>", '<div class="cards">']
    body += [f'<div class="card"><div class="v">{esc(v)}</div><div class="k">{esc(k)}</div></div>'
             for k, v in cards]  # fmt: skip
    body.append("</div>")
    body.append("<h2>The day by hour 分时段</h2>")
    body.append(hour_chart(data["by_hour"]))
    for name, cols, rows in sections(data):
        body.append(f"<h2>{esc(name)}</h2>")
        if not rows:
            body.append('<p class="muted">(none 无)</p>')
            continue
        body.append("<table><thead><tr>" + "".join(f"<th>{esc(c)}</th>" for c in cols)
                    + "</tr></thead><tbody>")  # fmt: skip
        for row in rows:
            body.append("<tr>" + "".join(
                f'<td class="below">{esc(c)}</td>' if c.startswith(BELOW) else f"<td>{esc(c)}</td>"
                for c in row) + "</tr>")  # fmt: skip
        body.append("</tbody></table>")
    style = (
        "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;"
        "margin:24px;color:#222;max-width:1100px}"
        "h1{font-size:22px}h2{font-size:17px;margin-top:28px}"
        "table{border-collapse:collapse;font-size:13px}"
        "th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}"
        "th:first-child,td:first-child{text-align:left}th{background:#f2f2f2}"
        ".cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ccc;"
        "border-radius:6px;padding:10px 16px;min-width:120px}.card .v{font-size:24px;"
        "font-weight:bold}.card .k{font-size:12px;color:#555}.muted,.legend{color:#666;"
        "font-size:12px}td.below{color:#c0392b;font-weight:bold;background:#fdecea}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{esc(title(data))}</title><style>{style}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
