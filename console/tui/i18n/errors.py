"""The engine's refusals in Chinese: (regex over the English message, Chinese template).

The engine speaks English sentences (they are also the CLI's messages); a
station running in zh-CN shows these instead. A message with no pattern is
shown as it is, so a new refusal is never hidden.
"""

from __future__ import annotations

PATTERNS: tuple[tuple[str, str], ...] = (
    (r"nothing is waiting for counter (\d+)", "{0}号窗口当前没有等候的号"),
    (r"counter (\d+) has no current ticket", "{0}号窗口当前没有在办的号"),
    (
        r"counter (\d+) still has (\w+) \((\w+)\); finish it first",
        "{0}号窗口还有 {1}（{2}），请先办结",
    ),
    (
        r"counter (\d+) still has (\w+); finish, park or transfer it first",
        "{0}号窗口还有 {1}，请先办结、暂挂或转移",
    ),
    (
        r"counter (\d+) still has (\w+); finish or park it first",
        "{0}号窗口还有 {1}，请先办结或暂挂",
    ),
    (r"counter (\d+) is paused \((.*)\); resume it first", "{0}号窗口已暂停（{1}），请先恢复"),
    (r"counter (\d+) is (\w+); open it first", "{0}号窗口未开放，请先开窗"),
    (r"counter (\d+) is open for (\w+)", "{0}号窗口已由 {1} 开启"),
    (r"counter (\d+) is run by (\w+), not you", "{0}号窗口由 {1} 负责，不是您"),
    (r"(\w+) has counter (\d+) open; close it first", "{0} 已开启{1}号窗口，请先关闭该窗口"),
    (r"(\w+) is ([\w-]+): cannot (.*)", "{0} 当前状态为“{1}”，不能执行此操作"),
    (r"(\w+) was sent to counter (\d+)", "{0} 已指定给{1}号窗口"),
    (r"counter (\d+) does not serve (\w+)'s service", "{0}号窗口不办理 {1} 的业务"),
    (r"no ticket (\S+) today", "今天没有 {0} 这个号"),
    (r"no ticket (\S+)", "没有 {0} 这个号"),
    (r"no counter (\d+)", "没有{0}号窗口"),
    (r"(\w+) is parked at counter (\d+), not (\d+)", "{0} 暂挂在{1}号窗口，不在{2}号"),
    (r"(\w+) is at counter (\d+) already", "{0} 已在{1}号窗口"),
    (r"unknown staff number or wrong PIN", "工号或密码错误"),
    (r"wrong PIN; (\w+) is now locked for (\d+) min", "密码错误；{0} 已被锁定 {1} 分钟"),
    (
        r"(\w+) is locked after repeated wrong PINs; try in (\d+) min",
        "{0} 因多次输错密码已被锁定，请 {1} 分钟后再试",
    ),
    (r"(\w+) is (\w+): a receipt is for a finished ticket", "{0} 尚未办结，不能打印回执"),
    (r"materials incomplete: list what the citizen must bring", "材料不全：请列出需补交的材料"),
    (r"counter (\d+) is out of use.*", "{0}号窗口已停用"),
)
