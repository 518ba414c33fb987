"""The words of the city's public "where to go now" page, in zh-CN and English.

The page is rendered in the phone's language (``?lang=``, else ``Accept-Language``, as the
hall's ticket page: :func:`console.server.public_text.pick_lang`) from what the city
knows of each hall offering the service or matter asked for. Every sentence is made here;
the page's script only puts the texts where they belong and sorts the halls (by distance
when the phone shares its location: computed in the browser, never sent).

A hall is *open* (or in a night session) now, open *later* today (tonight's night session,
or after a midday break) or *closed*; its figures are *stale* when the city has not heard
from it for a while, and then the page says since when.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

TEXT: dict[str, tuple[str, str]] = {
    "where.title": ("现在去哪儿办", "Where to go now"),
    "where.pick": ("办理什么事项？", "What do you need to do?"),
    "where.service": ("选择业务", "Choose a service"),
    "where.search": ("搜索事项（如：身份证）", "Search matters (e.g. ID card)"),
    "where.go": ("查找", "Find"),
    "where.matches": ("匹配的事项", "Matching matters"),
    "where.no_match": ("没有找到匹配的事项", "No matter matches"),
    "where.for": ("办理：{name}", "For: {name}"),
    "where.now": ("现在开放", "Open now"),
    "where.tonight": ("今晚开放", "Open tonight"),
    "where.near": ("按距离排序（使用我的位置）", "Nearest first (use my location)"),
    "where.near_on": ("已按距离排序", "Sorted by distance"),
    "where.near_denied": ("无法获取位置，按等候时间排序", "No location: sorted by wait"),
    "where.by_wait": ("按预计等候时间排序", "Shortest wait first"),
    "where.by_opening": ("按开放时间排序", "By opening time"),
    "where.none_now": ("现在没有开放的大厅办理此事项", "No hall is open for this now"),
    "where.none_tonight": ("今晚没有大厅开放办理此事项", "No hall opens for this tonight"),
    "where.km": ("{km} 公里", "{km} km"),
    "where.updated": ("更新于 {time}", "Updated {time}"),
    "where.live": ("每 30 秒自动更新", "Updates every 30 s"),
    "where.offline": ("连接中断，显示的是上次的数据", "Offline: showing the last figures"),
    "where.privacy": (
        "位置只在您的手机上用于排序，不会发送；本页不使用 Cookie，不记录任何信息。",
        "Your location only sorts this list on your phone and is never sent; "
        "no cookies, nothing stored.",
    ),
    "hall.open": ("开放中", "Open"),
    "hall.night": ("夜间专场", "Night session"),
    "hall.tonight": ("今晚 {opens}–{closes} 开放", "Opens tonight {opens}–{closes}"),
    "hall.later": ("今天 {opens}–{closes} 开放", "Opens today {opens}–{closes}"),
    "hall.closed": ("已闭厅", "Closed"),
    "hall.closed_next": ("已闭厅，{next} 开放", "Closed; opens {next}"),
    "hall.waiting": ("{n} 人等候", "{n} waiting"),
    "hall.wait": ("预计等候约 {min} 分钟", "about {min} min wait"),
    "hall.wait_none": ("暂无开放窗口", "no counter open for it"),
    "hall.counters": ("{n} 个窗口", "{n} counters"),
    "hall.stale": (
        "数据停留在 {time}，暂时无法连接该大厅", "Figures from {time}: the hall cannot be reached"
    ),
    "not_found.title": ("页面不存在", "Page not found"),
    "switch": ("English", "中文"),
}  # fmt: skip
"""key → (zh-CN, en)."""

FIND_LIMIT = 12
"""Matters listed for a search: the first few names are what a phone shows."""


def say(lang: str, key: str, **params: Any) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**params)


def name_in(item: dict[str, Any], lang: str) -> str:
    return str(item["name_zh"] if lang == "zh" else item["name_en"])


def hhmm(ts: float, tz: tzinfo | None) -> str:
    return datetime.fromtimestamp(ts, tz).strftime("%H:%M")


def when_text(next_opens: str | None, lang: str) -> str:
    """``'2026-11-27 08:30 日间'`` as the page says it: the date and the hour."""
    if not next_opens:
        return ""
    day, _, rest = next_opens.partition(" ")
    return f"{day[5:]} {rest.split(' ')[0]}"


def later_today(hall: dict[str, Any], now_hhmm: str, night: bool = False) -> dict[str, Any] | None:
    """The first session of today that has not ended yet (``night``: a night session), the
    one a citizen could still reach."""
    later = [s for s in hall.get("sessions_today") or []
             if s["closes"] > now_hhmm and (s["night"] or not night)]  # fmt: skip
    return min(later, key=lambda s: s["opens"]) if later else None


def hall_texts(hall: dict[str, Any], lang: str, now: float, tz: tzinfo | None,
               when: str = "now") -> dict[str, Any] | None:  # fmt: skip
    """One hall as the page lists it: its name and place, where it stands now, and its wait
    for the service or matter asked for (``waiting``, ``estimated_wait_min``). For
    ``when="tonight"``, only a hall with a night session today that has not ended (None
    for the others)."""
    now_hhmm = hhmm(now, tz)
    state = hall["state"]
    later = later_today(hall, now_hhmm, night=when == "tonight") if state != "night" else None
    if when == "tonight" and state != "night" and later is None:
        return None
    if state == "night" or (state == "open" and when == "now"):
        group = "now"
        status = say(lang, f"hall.{state}")
    elif later is not None:
        group = "later"
        status = say(lang, "hall.tonight" if later["night"] else "hall.later",
                     opens=later["opens"], closes=later["closes"])  # fmt: skip
    else:
        group = "closed"
        nxt = when_text(hall.get("next_opens"), lang)
        status = say(lang, "hall.closed_next", next=nxt) if nxt else say(lang, "hall.closed")
    minutes = hall.get("estimated_wait_min")
    if group != "now":
        wait = ""
    elif minutes is None:
        wait = say(lang, "hall.wait_none")
    else:
        wait = say(lang, "hall.wait", min=minutes)
    stale = ""
    if hall.get("stale"):
        seen = hall.get("seen_at")
        stale = say(lang, "hall.stale", time=hhmm(seen, tz) if seen else "—")
    return {
        "id": str(hall["id"]),
        "name": str(hall["name"]),
        "place": " · ".join(p for p in (hall.get("district"), hall.get("address")) if p),
        "group": group,
        "state": state,
        "status": status,
        "waiting": say(lang, "hall.waiting", n=hall.get("waiting") or 0) if group == "now" else "",
        "wait": wait,
        "minutes": minutes if group == "now" and minutes is not None else None,
        "counters": say(lang, "hall.counters", n=hall.get("counters_open") or 0)
        if group == "now" else "",
        "stale": stale,
        "lat": hall.get("lat"),
        "lon": hall.get("lon"),
    }  # fmt: skip


def order(halls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Open halls by estimated wait (no estimate last), then those opening later today,
    then the closed ones; a stale hall after the fresh ones of its group."""
    groups = {"now": 0, "later": 1, "closed": 2}
    return sorted(halls, key=lambda h: (groups[h["group"]], bool(h["stale"]),
                                        h["minutes"] if h["minutes"] is not None else 10**6,
                                        h["status"], h["name"]))  # fmt: skip


def where_texts(where: dict[str, Any], lang: str, tz: tzinfo | None,
                when: str = "now") -> dict[str, Any]:  # fmt: skip
    """What the page shows for one answer of the city's ``where``: the thing asked for, its
    halls in order with their texts (``when="tonight"``: those with a night session left
    today), and the time of the figures."""
    now = float(where["now"])
    texts = (hall_texts(h, lang, now, tz, when) for h in where["halls"])
    halls = order([h for h in texts if h is not None])
    asked = where.get("matter") or where.get("service")
    return {
        "asked": say(lang, "where.for", name=name_in(asked, lang)) if asked else "",
        "updated": say(lang, "where.updated", time=hhmm(now, tz)),
        "halls": halls,
        "none_now": "" if any(h["group"] == ("now" if when == "now" else "later")
                              or h["state"] == "night" for h in halls)
        else say(lang, f"where.none_{when}"),
    }  # fmt: skip
