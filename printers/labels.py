"""Every word printed on a slip, in Chinese and English, in one place.

A label is (zh, en) or (zh, en, both) when the bilingual form is not simply
"zh en" (values with units). Labels are short on purpose: a 58 mm ticket has
32 half-width columns (16 Chinese characters) per line at normal size.
"""

from __future__ import annotations

from printers.slips import Lang

LABELS: dict[str, tuple[str, ...]] = {
    # ticket
    "ticket_title": ("排队凭条", "Queue ticket"),
    "ahead": ("前面等候", "Ahead", "前面 Ahead"),
    "people": ("{n} 人", "{n}", "{n} 人"),
    "wait": ("预计等候", "Est. wait", "预计 Wait"),
    "minutes_about": ("约 {n} 分钟", "about {n} min", "约{n}分钟/min"),
    "low_counter_closed": (
        "待低位窗口开放",
        "when the low counter opens",
        "待低位窗口开放/when the low counter opens",
    ),
    "issued": ("取号时间", "Issued", "取号 Issued"),
    "green": ("绿色通道", "Green channel"),
    "scan_ticket": ("扫码查看排队进度", "Scan to follow the queue"),
    "footer": ("请留意叫号，过号请重新取号", "Please listen for your number"),
    # receipt
    "receipt_title": ("办事回执", "Service receipt"),
    "number": ("号码", "Ticket"),
    "service": ("业务", "Service"),
    "counter": ("窗口", "Counter"),
    "staff": ("工号", "Staff no."),
    "waited": ("等候", "Waited"),
    "handling": ("办理", "Handling"),
    "minutes": ("{n} 分钟", "{n} min", "{n}分钟/min"),
    "outcome": ("结果", "Outcome"),
    "finished": ("办结时间", "Finished", "办结 Finished"),
    "bring": ("一次性告知 下次请携带", "Please bring next time"),
    "next": ("下一步", "Next step"),
    "rate": ("扫码评价 欢迎提出意见", "Scan to rate our service"),
}

GREEN_REASONS: dict[str, tuple[str, str]] = {
    "elderly": ("老年人", "elderly"),
    "disabled": ("残疾人", "disabled"),
    "pregnant": ("孕妇", "pregnant"),
    "sick": ("病患", "ill"),
    "urgent": ("加急", "urgent"),
    "other": ("特殊情况", "special case"),
}

OUTCOMES: dict[str, tuple[str, str]] = {
    "done": ("已办结", "Done"),
    "incomplete": ("材料不全", "Materials incomplete"),
    "referred": ("已转办", "Referred"),
}

NEXT_STEPS: dict[str, tuple[str, str]] = {
    "done": ("请按通知领取证件或结果", "Collect the result when notified"),
    "incomplete": ("请备齐材料后再来办理", "Come back with the materials above"),
    "referred": ("请按工作人员指引前往办理", "Follow the clerk's directions"),
}


def pick(forms: tuple[str, ...], lang: Lang, sep: str = " ") -> str:
    """One label in the slip's language; for Lang.BOTH the third form, or zh and en joined."""
    zh, en = forms[0], forms[1]
    if lang is Lang.ZH:
        return zh
    if lang is Lang.EN:
        return en
    if len(forms) > 2:
        return forms[2]
    return f"{zh}{sep}{en}" if zh != en else zh


def label(key: str, lang: Lang, sep: str = " ", **values: object) -> str:
    """A label from LABELS, with ``{n}``-style values filled in."""
    return pick(tuple(form.format(**values) for form in LABELS[key]), lang, sep)


def lookup(table: dict[str, tuple[str, str]], key: str | None, lang: Lang, sep: str = " ") -> str:
    """A coded value (reason, outcome) in words; an unknown code is printed as it is."""
    if key is None:
        return ""
    return pick(table.get(key, (key, key)), lang, sep)
