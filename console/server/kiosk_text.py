"""The kiosk's words in zh-CN and English, and its page.

The page carries both languages (``$zh_key`` and ``$en_key`` in the template) and its
language button only switches which is shown, at once and without a reload: a citizen who
switched, or whose ID card put the page in 老年模式, keeps what they did. Sentences with a
number in them (``{ahead}``, ``{age}``) reach the script as ``data-zh``/``data-en``.
"""

from __future__ import annotations

import functools
import html
import string
from importlib import resources

TEXT: dict[str, tuple[str, str]] = {
    "title": ("自助取号", "Take a ticket"),
    "choose": ("请点击您要办理的业务", "Please tap what you came for"),
    "services": ("业务", "Services"),
    "matters": ("常办事项", "Most asked-for matters"),
    "search": ("找不到？按拼音首字母查找", "Not listed? Search by pinyin initials"),
    "search_hint": ("例如：不动产登记 → BDCDJ", "For example: 不动产登记 → BDCDJ"),
    "search_none": ("没有找到，请到导办台咨询", "Nothing found: please ask at the reception desk"),
    "back": ("返回", "Back"),
    "clear": ("清除", "Clear"),
    "elderly_on": ("老年模式", "Senior mode"),
    "elderly_off": ("标准模式", "Standard mode"),
    "id_button": ("刷身份证 · 长者优先", "ID card: seniors served first"),
    "id_title": (
        "请把身份证放在读卡区，或在下面输入身份证号",
        "Place your ID card on the reader, or type its number below",
    ),
    "id_ok": ("确定", "OK"),
    "id_bad": ("身份证号码有误，请重新输入", "That ID number is not valid: please try again"),
    "id_elderly": (
        "您已年满 {age} 周岁，将优先为您办理（绿色通道）",
        "You are {age} or over: you will be served first (green channel)",
    ),
    "id_read": ("已读取身份证，请点击您要办理的业务", "ID card read: please tap your service"),
    "id_privacy": (
        "身份证号只在本机核对年龄，不保存、不上传",
        "Your ID number is only checked on this machine: it is never stored or sent",
    ),
    "issuing": ("正在取号，请稍候…", "Issuing your ticket…"),
    "your_number": ("您的号码", "Your number"),
    "ahead": (
        "前面还有 {ahead} 人，预计等候约 {wait} 分钟", "{ahead} ahead of you, about {wait} min"
    ),
    "green": ("绿色通道 · 优先办理", "Green channel: served first"),
    "printing": ("正在打印号票…", "Printing your ticket…"),
    "take": ("请取走号票，留意叫号", "Please take your ticket and listen for your number"),
    "paper_out": ("打印机缺纸", "The printer is out of paper"),
    "printer_trouble": ("打印机暂时不能打印", "The printer cannot print right now"),
    "scan": (
        "请用手机扫描二维码查看排队进度，或记下您的号码",
        "Scan this code with your phone to follow your ticket, or note your number",
    ),
    "no_qr": (
        "请记下您的号码，需要纸质号票请到导办台",
        "Please note your number; the reception desk can print your ticket",
    ),
    "staff_told": ("已通知工作人员", "Staff have been told"),
    "done": ("完成", "Done"),
    "lost": ("请到导办台取号", "Please go to the reception desk"),
    "lost_detail": (
        "取号机暂时连不上大厅系统，恢复后会自动继续",
        "The kiosk cannot reach the hall's system right now; it will carry on by itself",
    ),
    "closed": ("当前不在办理时段", "Tickets are not issued at this hour"),
    "closed_next": ("下次开始办理：{when}", "Next opening: {when}"),
    "refused": (
        "暂时无法取号，请到导办台咨询",
        "No ticket can be issued now: please ask at the reception desk",
    ),
    "prompt": (
        "您好！请点击屏幕上您要办理的业务，取号后请留意叫号。",
        "Hello. Please tap the service you need, then listen for your number.",
    ),
    "switch": ("English", "中文"),
}  # fmt: skip
"""key → (zh-CN, en)."""


def say(lang: str, key: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


@functools.cache
def _template() -> string.Template:
    source = resources.files("console.server") / "public" / "kiosk.html"
    return string.Template(source.read_text("utf-8"))


def kiosk_page(lang: str) -> str:
    """The kiosk page, first shown in ``lang`` (zh or en), every word HTML-escaped."""
    words: dict[str, str] = {}
    for key, (zh, en) in TEXT.items():
        words.update({f"zh_{key}": html.escape(zh), f"en_{key}": html.escape(en)})
    html_lang = "zh-CN" if lang == "zh" else "en"
    return _template().safe_substitute(lang=lang, html_lang=html_lang, **words)
