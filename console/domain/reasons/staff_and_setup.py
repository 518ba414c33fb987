"""Refusals about people and setup: clerks, PINs and roles; sessions, settings,
printers; a field's limits and a request the hall server cannot read.

``{code: (zh-CN, en)}``; merged into ``console.domain.reasons.REASONS``."""

from __future__ import annotations

STAFF_AND_SETUP: dict[str, tuple[str, str]] = {
    # -- clerks, PINs, roles ------------------------------------------------------
    "auth.wrong_pin": ("工号或密码错误", "unknown staff number or wrong PIN"),
    "auth.locked": (
        "{clerk} 因多次输错密码已被锁定，请 {minutes} 分钟后再试",
        "{clerk} is locked after repeated wrong PINs; try in {minutes} min",
    ),
    "auth.now_locked": (
        "密码错误；{clerk} 已被锁定 {minutes} 分钟",
        "wrong PIN; {clerk} is now locked for {minutes} min",
    ),
    "auth.needs_role": (
        "此操作需要{role}权限；{clerk} 是{actual}",
        "{what} needs the {role} role; {clerk} is a {actual}",
    ),
    "auth.not_logged_in": (
        "{clerk} 未在本台登录，请先登录",
        "{clerk} is not logged in at this station; log in first",
    ),
    "auth.no_tries": (
        "{clerk} 暂时没有输入密码的机会了，请稍后再试",
        "{clerk} has no PIN tries left just now; try again shortly",
    ),
    "printer.file_confined": (
        "通过服务器添加的文件打印机只能写入 {devices}{where}；不能写 {address}",
        "a file printer added through the server writes only to {devices}{where}; not {address}",
    ),
    "auth.bad_pin_format": ("密码是 4 到 12 位数字", "a PIN is 4 to 12 digits"),
    "clerk.not_found": ("没有工号为 {clerk} 的人员", "no clerk with staff number {clerk}"),
    "clerk.exists": ("工号 {clerk} 已存在", "clerk {clerk} exists already"),
    "clerk.at_open_counter": (
        "{clerk} 还在开放的窗口，请先关窗",
        "clerk {clerk} is at an open counter; close it first",
    ),
    "clerk.bad_role": (
        "角色必须是 {choices} 之一，不是 {value}",
        "role is one of {choices}, not {value}",
    ),
    # -- sessions, settings, printers, fields -------------------------------------
    "session.not_found": ("没有时段 {session}", "no session {session}"),
    "session.exists": ("时段 {session} 已存在", "session {session} exists already"),
    "session.needs": ("时段缺少 {required}", "a session needs {required}"),
    "session.closed_needs_date": ("休息日需要指定日期（--date）", "a closed day needs its --date"),
    "session.closes_before_opens": (
        "时段的结束时间必须晚于开始时间（同一天）",
        "a session closes after it opens (on the same day)",
    ),
    "session.bad_weekdays": (
        "星期用 ISO 数字 1（周一）到 7 表示，例如 12345",
        "weekdays are ISO digits 1 (Monday) to 7, e.g. 12345",
    ),
    "session.bad_date": (
        "日期必须是 YYYY-MM-DD，不是 {value}",
        "date must be YYYY-MM-DD, not {value}",
    ),
    "session.bad_time": (
        "{what} 必须是 HH:MM 时间（如 08:30），不是 {value}",
        "{what} must be a time HH:MM (e.g. 08:30), not {value}",
    ),
    "setting.not_found": (
        "没有设置项 {name}；可用：{known}",
        "no setting {name}; settings: {known}",
    ),
    "setting.not_bool": (
        "{name} 只能是 true 或 false，不是 {value}",
        "{name} is true or false, not {value}",
    ),
    "setting.not_whole": (
        "{name} 必须是整数，不是 {value}",
        "{name} must be a whole number, not {value}",
    ),
    "setting.negative": ("{name} 不能为负数", "{name} must not be negative"),
    "setting.out_of_range": (
        "{name} 必须在 {low} 到 {high} 之间，不是 {value}",
        "{name} must be from {low} to {high}, not {value}",
    ),
    "setting.not_text": ("{name} 是文字，不是 {value}", "{name} is text, not {value}"),
    "setting.not_choice": (
        "{name} 只能是 {choices} 之一，不是 {value}",
        "{name} is one of {choices}, not {value}",
    ),
    "setting.too_long": ("{name} 最多 {max} 个字符", "{name} is at most {max} characters"),
    "setting.weak_token": (
        "{name} 至少 {min} 个字符（字母、数字、- _ . ~，不要重复），例如 "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(16))' 的输出",
        "{name} is at least {min} characters (letters, digits, - _ . ~, not repeated), e.g. "
        "what python3 -c 'import secrets; print(secrets.token_urlsafe(16))' prints",
    ),
    "setting.bad_url": (
        "{name} 必须是 http:// 或 https:// 开头的地址，不是 {value}",
        "{name} must be an http:// or https:// address, not {value}",
    ),
    "clock.bad_moment": (
        "{env}={text} 不是一个时刻（Unix 秒数或 2026-11-26T09:30:00+08:00）",
        "{env}={text} is not a moment (Unix seconds or 2026-11-26T09:30:00+08:00)",
    ),
    "printer.not_found": ("没有打印机 {printer}", "no printer {printer}"),
    "printer.exists": ("打印机 {printer} 已存在", "printer {printer} exists already"),
    "printer.bad_choice": (
        "{field} 必须是 {choices} 之一，不是 {value}",
        "{field} is one of {choices}, not {value}",
    ),
    "field.unknown": ("{kind}没有字段 {fields}", "{kind} have no field {fields}"),
    "field.empty": ("{what} 不能为空", "{what} must not be empty"),
    "field.too_long": (
        "{what} 超过 {max_len} 个字符",
        "{what} is longer than {max_len} characters",
    ),
    "field.control_chars": ("{what} 含有控制字符", "{what} contains control characters"),
    "field.not_number": ("{what} 必须是数字，不是 {value}", "{what} must be a number, not {value}"),
    "field.out_of_range": (
        "{what} 必须在 0 到 10000 之间，不是 {value}",
        "{what} must be between 0 and 10000, not {value}",
    ),
    # a request the hall server's models refuse (pydantic), by the field it names
    "request.missing": ("缺少 {what}", "{what} is missing"),
    "request.too_short": (
        "{what} 至少 {min_len} 个字符",
        "{what} needs at least {min_len} characters",
    ),
    "request.invalid": ("{what} 的值无效", "{what} has a value that is not valid here"),
    "request.body": ("请求内容无法读取", "the request body is not valid JSON"),
    "request.no_body": ("请求缺少内容", "the request has no body"),
    "request.body_not_object": ("请求内容须是 JSON 对象", "the request body must be a JSON object"),
    "request.not_text": ("{what} 须是文本", "{what} must be text"),
    "request.not_whole_number": ("{what} 须是整数", "{what} must be a whole number"),
    "request.not_number": ("{what} 须是数字", "{what} must be a number"),
    "request.not_yes_no": ("{what} 须是 true 或 false", "{what} must be true or false"),
    "request.not_list": ("{what} 须是列表", "{what} must be a list"),
    "request.not_object": ("{what} 须是 JSON 对象", "{what} must be a JSON object"),
    "request.bad_form": (
        "{what} 的格式不对（见 /openapi.json）",
        "{what} is not in its form (see /openapi.json)",
    ),
    "request.unknown_field": ("请求中不能有字段 {name}", "the request has no field {name}"),
    "request.too_many": ("{what} 最多 {max_len} 项", "{what} has at most {max_len} items"),
    "request.at_least": ("{what} 至少为 {min}", "{what} must be at least {min}"),
    "request.at_most": ("{what} 最多为 {max}", "{what} must be at most {max}"),
    "request.not_a_choice": ("{what} 须是 {choices} 之一", "{what} is one of {choices}"),
    "request.no_route": ("这里没有地址 {path}", "no such address here: {path}"),
    "request.wrong_method": ("{path} 不接受 {method} 请求", "{path} does not take {method}"),
    "request.number_too_large": (
        "数字超出范围（最大 {max}）",
        "a number is out of range (at most {max})",
    ),
    "request.too_large": (
        "请求内容超过 {limit} 字节",
        "a request body here is at most {limit} bytes",
    ),
    "day.bad": ("日期格式是 YYYY-MM-DD，不是 {value}", "a day is YYYY-MM-DD, not {value}"),
    "command.key_other_args": (
        "命令键 {key} 已用于参数不同的 {op}",
        "command key {key} was already used for {op} with other arguments",
    ),
    "db.no_migrations": (
        "在 {directory} 找不到数据库结构迁移文件；本 qconsole 安装不完整，请重新安装",
        "no schema migrations found in {directory}; this qconsole install is incomplete,"
        " reinstall it",
    ),
    "print.lease_lost": (
        "打印任务 {job} 已不归工作台 {station} 持有",
        "print job {job} is no longer held by station {station}",
    ),
    "command.key_reused": (
        "操作编号 {key} 已用于 {op}",
        "command key {key} was already used for {op}",
    ),
}
