"""The words of the citizens' pages, in zh-CN and English, and the page templates.

A page is rendered on the server in the phone's language (``?lang=`` from the page's
switch, else the browser's ``Accept-Language``): no cookies, nothing stored. Live
updates carry the same rendered sentences, so the page's script only puts text where
it belongs and holds no catalog of its own.
"""

from __future__ import annotations

import functools
import html
import string
from importlib import resources
from typing import Any

from console.announce import AnnounceSettings
from console.announce.words import written
from console.domain.views import HallView
from console.engine.public import FINAL_STATES

TEXT: dict[str, tuple[str, str]] = {
    "ticket.title": ("排队进度", "Queue status"),
    "ticket.service": ("办理事项", "Service"),
    "ticket.live": ("实时更新", "Live"),
    "ticket.offline": ("连接中断，正在重连…", "Connection lost, reconnecting…"),
    "ticket.sound": ("开启叫号提醒（声音/振动）", "Turn on call alert (sound/vibration)"),
    "ticket.sound_on": ("叫号提醒已开启", "Call alert is on"),
    "ticket.rate": ("评价本次服务", "Rate our service"),
    "ticket.privacy": (
        "本页不含个人信息。请勿将二维码分享给他人。",
        "This page holds no personal data. Do not share the QR code.",
    ),
    "state.waiting": ("排队中", "Waiting"),
    "state.transferred": ("已转办，继续排队", "Transferred, still in the queue"),
    "state.called": ("请到 {counter} 号窗口", "Please go to counter {counter}"),
    "state.serving": ("正在 {counter} 号窗口办理", "Being served at counter {counter}"),
    "state.parked": (
        "准备好后请回到 {counter} 号窗口",
        "Please come back to counter {counter} when ready",
    ),
    "state.finished": ("已办结，感谢您的耐心等候", "Done. Thank you for waiting"),
    "state.missed": ("已过号，请到导办台咨询", "Missed. Please ask at reception"),
    "state.cancelled": ("已取消", "Cancelled"),
    "state.expired": ("已过期（当日未办理）", "Expired (not served that day)"),
    "detail.ahead": (
        "前面还有 {ahead} 人，预计等候约 {wait} 分钟", "{ahead} ahead of you, about {wait} min"
    ),
    "detail.ahead_low_closed": (
        "前面还有 {ahead} 人，低位窗口开放后叫号",
        "{ahead} ahead of you; called once the low-position counter opens",
    ),
    "detail.counting": ("正在估算等候时间…", "Estimating your wait…"),
    "detail.to_counter": ("已转到 {counter} 号窗口", "Moved to counter {counter}"),
    "detail.to_service": ("已转到：{service}", "Moved to: {service}"),
    "detail.closed_today": ("今日休息（{holiday_zh}）", "Closed today ({holiday_en})"),
    "detail.called": ("正在叫您的号，请尽快前往", "Your number is being called"),
    "detail.incomplete": ("材料不全，请按回执补齐材料", "Materials incomplete: see your receipt"),
    "detail.referred": ("已转介，请按回执办理", "Referred: see your receipt"),
    "not_found.title": ("没有找到这张号票", "Ticket not found"),
    "not_found.detail": (
        "请重新扫描号票上的二维码。", "Please scan the QR code on your ticket again."
    ),
    "rate.title": ("服务评价", "Rate our service"),
    "rate.ask": ("您对本次服务满意吗？", "How satisfied are you with our service?"),
    "rate.comment": ("留言（可选）", "Comment (optional)"),
    "rate.5": ("非常满意", "Very satisfied"),
    "rate.4": ("满意", "Satisfied"),
    "rate.3": ("基本满意", "Neutral"),
    "rate.2": ("不满意", "Dissatisfied"),
    "rate.1": ("非常不满意", "Very dissatisfied"),
    "rate.thanks": ("感谢您的评价！", "Thank you for your rating!"),
    "rate.already": (
        "这张号票已经评价过了，感谢您的反馈。", "This ticket has already been rated. Thank you."
    ),
    "rate.not_finished": ("办结后才能评价，请稍后再来。", "You can rate once your matter is done."),
    "rate.expired": (
        "评价已截止：号票只能在办理当天评价。",
        "Rating is closed: a ticket is rated on its own day.",
    ),
    "rate.elsewhere": (
        "请在本大厅的评价页面上评价。", "Please rate on the hall's own rating page."
    ),
    "rate.bad": ("请选择 1 到 5 之间的评价。", "Please choose one of the five ratings."),
    "rate.busy": ("请求过于频繁，请稍后再试。", "Too many requests; please try again shortly."),
    "board.title": ("叫号", "Now calling"),
    "board.counter": ("{counter} 号窗口", "Counter {counter}"),
    "board.recent": ("最近叫号", "Recent calls"),
    "board.waiting": ("等候人数", "Waiting"),
    "board.none": ("暂无叫号", "No calls yet"),
    "board.forbidden": ("请使用完整的叫号屏链接", "This board needs its full link"),
    "board.closed": ("当前不在办理时段", "The hall is closed"),
    "board.tap": ("轻触屏幕开启语音叫号", "Tap the screen to turn on spoken calls"),
    "board.sound_on": ("语音叫号已开启", "Spoken calls are on"),
    "board.closed_holiday": ("今日休息（{holiday_zh}）", "Closed today ({holiday_en})"),
    "switch": ("English", "中文"),
}  # fmt: skip
"""key → (zh-CN, en)."""

LANGS = ("zh", "en")


def pick_lang(query: str | None, accept_language: str | None, default: str = "zh") -> str:
    """``zh`` or ``en``: the page's switch (``?lang=``) first, then the browser's
    preferred languages in their order of quality; ``default`` (Chinese for a citizen's
    page) when nothing says."""
    if query in LANGS:
        return query
    best: tuple[float, int, str] | None = None
    for i, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        lang = "zh" if tag.startswith("zh") else "en" if tag.startswith("en") else None
        if lang and q > 0 and (best is None or (q, -i) > (best[0], best[1])):
            best = (q, -i, lang)
    return best[2] if best else default


def say(lang: str, key: str, **params: Any) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**params)


def ticket_texts(view: dict[str, Any], lang: str, code: str) -> dict[str, Any]:
    """What the queue page shows of a public ticket view, in ``lang``."""
    state = view["state"]
    headline = say(lang, f"state.{state}", counter=view["counter"])
    detail = ""
    if state in ("waiting", "transferred"):
        if view["ahead"] is None:
            detail = say(lang, "detail.counting")
        elif view["wait_min"] is None:
            detail = say(lang, "detail.ahead_low_closed", ahead=view["ahead"])
        else:
            detail = say(lang, "detail.ahead", ahead=view["ahead"], wait=view["wait_min"])
        if state == "transferred":
            moved = (say(lang, "detail.to_counter", counter=view["to_counter"])
                     if view["to_counter"] is not None else
                     say(lang, "detail.to_service", service=service_name(view, lang)))  # fmt: skip
            detail = f"{moved} · {detail}"
    elif state == "called":
        detail = say(lang, "detail.called")
    elif state == "finished" and view["outcome"] in ("incomplete", "referred"):
        detail = say(lang, f"detail.{view['outcome']}")
    elif state == "expired" and view.get("closed_for"):
        zh, en = view["closed_for"]
        detail = say(lang, "detail.closed_today", holiday_zh=zh, holiday_en=en)
    rate = state == "finished" and not view["rated"]
    return {
        "state": state,
        "number": view["number"],
        "service": service_name(view, lang),
        "headline": headline,
        "detail": detail,
        "counter": view["counter"],
        "recalls": view["recalls"],
        "rate_url": f"/f/{code}?lang={lang}" if rate else None,
        "final": state in FINAL_STATES,
    }


def service_name(view: dict[str, Any], lang: str) -> str:
    return view["service_zh"] if lang == "zh" else view["service_en"]


def board_data(view: HallView, hall_name: str, settings: dict[str, Any]) -> dict[str, Any]:
    """What the web board shows: the hall's name, the latest calls and waiting per service,
    with both languages' words (the board alternates them), and nothing else. Each call
    names its announcement (a WAV the server makes, :mod:`console.server.public_audio`) and
    the hall's words for a browser that has to speak it itself."""
    voice = AnnounceSettings.from_hall(settings)
    calls = [
        {
            "number": t.number,
            "counter": t.counter_number,
            "key": f"{t.number}/{t.recall_count}/{t.called_at}",
            "audio": f"/board/audio/{t.number}/{t.counter_number}.wav",
            "say": [{"lang": lang, "text": written(voice.templates[lang], lang, t.number,
                                                   t.counter_number)}
                    for lang in voice.langs],
        }
        for t in view.recent_calls
        if t.counter_number is not None
    ]  # fmt: skip
    closed = {lang: say(lang, "board.closed") for lang in ("zh", "en")}
    if view.closed_for:
        zh, en = view.closed_for
        closed = {lang: say(lang, "board.closed_holiday", holiday_zh=zh, holiday_en=en)
                  for lang in ("zh", "en")}  # fmt: skip
    return {
        "hall": hall_name,
        "open": view.session_open,
        "closed": closed,
        "calls": calls,
        "waiting": [{"zh": s.name_zh, "en": s.name_en, "n": s.waiting} for s in view.services],
    }


@functools.cache
def _template(name: str) -> string.Template:
    return string.Template((resources.files("console.server") / "public" / name).read_text("utf-8"))


def page(name: str, lang: str, **values: Any) -> str:
    """Template ``name`` (``$placeholders``) with every value HTML-escaped; ``$t_key`` is
    the catalog's ``key`` in ``lang``, ``$zh_key`` and ``$en_key`` in either language
    (the board shows both in turn)."""
    words: dict[str, str] = {}
    for key, (zh, en) in TEXT.items():
        word = key.replace(".", "_")
        words.update({f"t_{word}": zh if lang == "zh" else en, f"zh_{word}": zh, f"en_{word}": en})
    safe = {k: html.escape(str(v if v is not None else "")) for k, v in {**words, **values}.items()}
    other = "en" if lang == "zh" else "zh"
    html_lang = "zh-CN" if lang == "zh" else "en"
    return _template(name).safe_substitute(lang=lang, html_lang=html_lang, other=other, **safe)
