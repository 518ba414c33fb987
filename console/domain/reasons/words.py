"""The words a sentence takes as parameters, per language: verbs, statuses, roles, fields.

A refusal carries codes, not words (``op="change_matter"``, ``status="parked"``);
the catalog puts each in the reader's language. ``VERBS`` is the one table of what
may be done to a ticket: keyed by the operations of
``console.domain.lifecycle.ALLOWED``, one entry per language, and
``tests/quality/test_reasons.py`` fails on a verb missing from either.
"""

from __future__ import annotations

VERBS_EN: dict[str, str] = {
    "call": "call it",
    "recall": "recall it (only a called ticket is recalled)",
    "serve": "start serving it (only a called ticket)",
    "finish": "finish it",
    "no_show": "mark it no-show (only a called ticket)",
    "transfer": "transfer it",
    "park": "park it",
    "resume": "resume it (only a parked ticket)",
    "cancel": "cancel it",
    "flag_green": "flag it green-channel",
    "change_matter": "change its matter",
    "expire": "expire it",
}
"""What may be done to a ticket, as the English sentence "… cannot {verb}" says it."""

VERBS_ZH: dict[str, str] = {
    "call": "叫号",
    "recall": "重呼（只有已叫号的号能重呼）",
    "serve": "开始办理（只有已叫号的号）",
    "finish": "办结",
    "no_show": "标记未到（只有已叫号的号）",
    "transfer": "转移",
    "park": "暂挂",
    "resume": "恢复（只有暂挂的号）",
    "cancel": "取消",
    "flag_green": "标记绿色通道",
    "change_matter": "更改办理事项",
    "expire": "按逾期未办结束",
}
"""The same verbs as the Chinese sentence "…，不能{verb}" says them."""

VERBS: dict[str, dict[str, str]] = {"en": VERBS_EN, "zh": VERBS_ZH}
"""The verb table of each language, by the language's first two letters."""


def verb(op: str, lang: str) -> str:
    """``op`` as a verb in ``lang`` (English for a language without a table); an operation
    without words shows its own name rather than failing a refusal."""
    return VERBS.get(lang[:2], VERBS_EN).get(op, op)


WORDS_ZH: dict[str, str] = {
    # ticket statuses
    "waiting": "等候中",
    "called": "已叫号",
    "serving": "办理中",
    "parked": "暂挂",
    "done": "已办结",
    "no-show": "未到",
    "transferred": "已转移",
    "cancelled": "已取消",
    "expired": "已过期",
    # counter states
    "open": "开放",
    "paused": "暂停",
    "closed": "关闭",
    # slips
    "ticket": "号票",
    "receipt": "回执",
    # roles
    "clerk": "办事员",
    "manager": "值班经理",
    "admin": "管理员",
    # weekdays
    "Monday": "星期一",
    "Tuesday": "星期二",
    "Wednesday": "星期三",
    "Thursday": "星期四",
    "Friday": "星期五",
    "Saturday": "星期六",
    "Sunday": "星期日",
}
"""Parameter values that are words (statuses, states, slips, roles, weekdays), in Chinese."""

WORD_PARAMS = frozenset({"status", "state", "role", "actual", "weekday", "slip"})
"""The parameters whose values are such words."""

FIELDS_ZH: dict[str, str] = {
    # the engine's names of what it checks
    "a note": "备注", "note": "备注", "a park reason": "暂挂原因", "a material": "材料",
    "materials": "材料", "pause reason": "暂停原因", "reason": "原因", "comment": "留言",
    "staff number": "工号", "staff_no": "工号", "clerk name": "办事员姓名",
    "counter name": "窗口名称", "session name": "时段名称", "printer name": "打印机名称",
    "printer address": "打印机地址", "address": "地址", "appointment code": "预约码",
    "code": "编码", "service": "业务", "name": "名称", "name_zh": "中文名称",
    "name_en": "英文名称", "prefix": "号码前缀", "text": "内容", "pin": "密码",
    "rating": "满意度", "outcome": "办结结果", "counter": "窗口号", "ticket": "号票",
    "station": "工作台", "matter": "事项", "green_reason": "绿色通道原因",
    "green_note": "绿色通道说明", "to_service": "转入业务", "to_counter": "转入窗口",
    "kind": "类型", "role": "角色", "opens": "开始时间", "closes": "结束时间",
    "target_wait_min": "目标等候时间", "handling_min": "办理时间",
    "target wait (minutes)": "目标等候时间（分钟）", "handling time (minutes)": "办理时间（分钟）",
    "green-channel note": "绿色通道说明", "department": "部门", "department_zh": "部门中文名称",
    "department_en": "部门英文名称", "the request": "请求", "time": "时间",
    # the server's request models and query parameters
    "active": "启用", "bytes": "字节数", "closed": "闭厅日", "confirm": "确认",
    "connection": "连接方式", "counter_number": "窗口号", "date": "日期",
    "departments": "部门", "dry_run": "试运行", "encoding": "编码方式", "error": "错误",
    "kind_of_error": "错误类型", "green_channel": "绿色通道", "low_position": "低位窗口",
    "may_have_printed": "可能已打印", "mode": "打印方式", "number": "窗口号",
    "print_receipt": "打印回执", "print_ticket": "打印号票", "printer": "打印机",
    "printer_status": "打印机状态", "printers": "打印机", "purpose": "用途",
    "requeue": "重新排队", "rows": "行", "services": "业务", "status": "状态",
    "unlock": "解锁", "update": "更新", "value": "值", "warning": "警告", "weekdays": "星期",
    "width_dots": "打印宽度（点）", "after": "起始事件", "day": "日期",
    "include_inactive": "包括停用的", "include_retired": "包括已撤销的",
    "job_id": "打印任务编号", "limit": "条数上限", "recent": "最近叫号条数", "ref": "号票",
    "take": "接管窗口", "timeout": "等待秒数", "upcoming": "后续号数",
    "lat": "纬度", "lon": "经度",
}  # fmt: skip
"""Field names as the engine and the server's models name them, in Chinese: a field
named inside a Chinese sentence ("备注 不能为空", not "a note 不能为空")."""

FIELD_PARAMS = frozenset({"what", "field"})
"""The parameters whose values name a field."""

OS_ERRORS_ZH: dict[str, str] = {
    "No such file or directory": "没有该文件或目录",
    "Permission denied": "没有权限",
    "Operation not permitted": "不允许该操作",
    "Is a directory": "这是一个目录",
    "Not a directory": "不是目录",
    "File exists": "文件已存在",
    "Directory not empty": "目录不为空",
    "No space left on device": "磁盘空间已满",
    "Disk quota exceeded": "超出磁盘配额",
    "Read-only file system": "文件系统只读",
    "File name too long": "文件名过长",
    "Too many open files": "打开的文件过多",
    "Input/output error": "输入输出错误",
    "Device or resource busy": "设备或资源忙",
    "No such device or address": "没有该设备或地址",
    "Connection refused": "连接被拒绝",
    "Connection reset by peer": "连接被对方重置",
    "Network is unreachable": "网络不可达",
    "No route to host": "无法到达主机",
    "Connection timed out": "连接超时",
    "Name or service not known": "无法解析主机名",
    "Temporary failure in name resolution": "域名解析暂时失败",
}
"""The system's own words for a failed file or network call (``OSError.strerror``, in the C
locale), as a Chinese sentence says them: a ``detail`` that is one of these is translated."""

DETAIL_PARAMS = frozenset({"detail"})
"""The parameters that may carry the system's words for a failure."""
