"""Every reason the product gives for refusing something, in zh-CN and English.

``REASONS = {code: (zh-CN, en)}``, with ``str.format`` placeholders named after
the error's parameters. An error names its code and parameters
(``Refused(reason="counter.no_current", counter=3)``); its English sentence
comes from here, and each screen or CLI renders the same code in its own
language. A code is stable: change its wording freely, never its meaning.

To add a refusal: add one line here (both languages, the same placeholders),
raise with ``reason=`` and the parameters. ``tests/quality/test_reasons.py``
checks both languages for every code and lists any raise without one.
"""

from __future__ import annotations

REASONS: dict[str, tuple[str, str]] = {
    # -- counters -----------------------------------------------------------------
    "counter.not_found": ("没有{counter}号窗口", "no counter {counter}"),
    "counter.run_by_other": (
        "{counter}号窗口由 {clerk} 负责，不是您",
        "counter {counter} is run by {clerk}, not you",
    ),
    "counter.no_clerk": (
        "{counter}号窗口没有办事员登录，请先开窗",
        "counter {counter} has no clerk logged in; open it first",
    ),
    "counter.paused": (
        "{counter}号窗口已暂停（{pause_reason}），请先恢复",
        "counter {counter} is paused ({pause_reason}); resume it first",
    ),
    "counter.not_open": (
        "{counter}号窗口未开放，请先开窗",
        "counter {counter} is {state}; open it first",
    ),
    "counter.no_current": (
        "{counter}号窗口当前没有在办的号",
        "counter {counter} has no current ticket",
    ),
    "counter.inactive": ("{counter}号窗口已停用", "counter {counter} is out of use (inactive)"),
    "counter.out_of_use": ("{counter}号窗口已停用", "counter {counter} is out of use"),
    "transfer.counter_closed": (
        "{counter}号窗口未开放，转过去没人叫号；请转到该业务的队列或已开放的窗口",
        "counter {counter} is closed: nobody would call the ticket there; transfer it to its"
        " service's queue or to an open counter",
    ),
    "counter.open_for_other": (
        "{counter}号窗口已由 {clerk} 开启",
        "counter {counter} is open for {clerk}",
    ),
    "counter.clerk_has_other": (
        "{clerk} 已开启{counter}号窗口，请先关闭该窗口",
        "{clerk} has counter {counter} open; close it first",
    ),
    "counter.busy_call": (
        "{counter}号窗口还有 {ticket}，请先办结、暂挂或转移",
        "counter {counter} still has {ticket}; finish, park or transfer it first",
    ),
    "counter.busy_close": (
        "{counter}号窗口还有 {ticket}，请先办结",
        "counter {counter} still has {ticket} ({status}); finish it first",
    ),
    "counter.busy_resume": (
        "{counter}号窗口还有 {ticket}，请先办结或暂挂",
        "counter {counter} still has {ticket}; finish or park it first",
    ),
    "counter.queue_empty": (
        "{counter}号窗口当前没有等候的号",
        "nothing is waiting for counter {counter}",
    ),
    "counter.not_closed": (
        "{counter}号窗口尚未关闭，请先关窗",
        "counter {counter} is {state}; close it first",
    ),
    "counter.holds_ticket": (
        "{ticket} 还在{counter}号窗口",
        "ticket {ticket} is still at counter {counter}",
    ),
    "counter.exists": ("{counter}号窗口已存在", "counter {counter} exists already"),
    "counter.needs_number": ("窗口需要编号", "a counter needs a number"),
    "counter.bad_number": (
        "窗口编号是 1–9999，不是 {value}",
        "a counter number is 1-9999, not {value}",
    ),
    "counter.not_whole": (
        "窗口编号必须是整数，不是 {value}",
        "a counter number is a whole number, not {value}",
    ),
    # -- tickets ------------------------------------------------------------------
    "ticket.id_not_found": ("没有 #{ticket_id} 这个号", "no ticket #{ticket_id}"),
    "ticket.not_found_today": ("今天没有 {ticket} 这个号", "no ticket {ticket} today"),
    "ticket.not_found": ("没有 {ticket} 这个号", "no ticket {ticket}"),
    "ticket.code_not_found": (
        "没有找到这张号票，请核对二维码",
        "no ticket has this code; please scan the ticket's QR again",
    ),
    "ticket.bad_id": ("{ref} 不是号码编号（如 #17）", "{ref} is not a ticket id (#17)"),
    "ticket.bad_ref": (
        "{ref} 不是号码（如 A023、2026-11-25/A023 或 #17）",
        "{ref} is not a ticket number (A023, 2026-11-25/A023 or #17)",
    ),
    "ticket.wrong_status": (
        "{ticket} 当前状态为“{status}”，不能{op}",
        "{ticket} is {status}: cannot {verb}",
    ),
    "ticket.manager_only": (
        "{ticket} 不在您的窗口，需要值班经理权限",
        "{what} {ticket} needs the manager role unless it is at your counter",
    ),
    "ticket.directed_elsewhere": (
        "{ticket} 已指定给{counter}号窗口",
        "{ticket} was sent to counter {counter}",
    ),
    "ticket.service_not_here": (
        "{counter}号窗口不办理 {ticket} 的业务",
        "counter {counter} does not serve {ticket}'s service",
    ),
    "ticket.parked_elsewhere": (
        "{ticket} 暂挂在{parked_at}号窗口，不在{counter}号",
        "{ticket} is parked at counter {parked_at}, not {counter}",
    ),
    "ticket.already_there": (
        "{ticket} 已在{counter}号窗口",
        "{ticket} is at counter {counter} already",
    ),
    "ticket.receipt_unfinished": (
        "{ticket} 尚未办结，不能打印回执",
        "{ticket} is {status}: a receipt is for a finished ticket",
    ),
    "ticket.bad_print_kind": (
        "只能打印号票或回执，不是 {kind}",
        "print a ticket or a receipt, not {kind}",
    ),
    "ticket.bad_status": (
        "状态必须是 {choices} 之一，不是 {value}",
        "status is one of {choices}, not {value}",
    ),
    "finish.bad_outcome": (
        "办理结果必须是 {choices} 之一，不是 {value}",
        "outcome is one of {choices}, not {value}",
    ),
    "finish.materials_missing": (
        "材料不全：请列出需补交的材料",
        "materials incomplete: list what the citizen must bring",
    ),
    "finish.materials_not_incomplete": (
        "只有“材料不全”才需要列出补交材料",
        "a list of materials goes with the outcome 'incomplete' only",
    ),
    "rating.already": (
        "{ticket} 已经评价过了，感谢您的反馈",
        "{ticket} has already been rated; thank you for your feedback",
    ),
    "rating.expired": (
        "{ticket} 是 {day} 的号票，只能在当天评价",
        "{ticket} was a ticket of {day}; a ticket is rated on its own day",
    ),
    "rating.not_finished": (
        "{ticket} 还没有办结，办结后再来评价",
        "{ticket} is not finished yet; rate it once your matter is done",
    ),
    "finish.bad_rating": (
        "满意度评分是 1 到 5，不是 {value}",
        "a satisfaction rating is 1 to 5, not {value}",
    ),
    "transfer.one_target": (
        "请选择转到一项业务或一个窗口（二选一）",
        "transfer to a service or to a counter (one of them)",
    ),
    "issue.hall_closed": (
        "大厅已关门：现在没有开放时段",
        "the hall is closed: no session is open now",
    ),
    "issue.hall_closed_holiday": (
        "今日休息（{holiday_zh}）；下一时段 {upcoming} 开始",
        "closed today ({holiday_en}); next opens {upcoming}",
    ),
    "issue.hall_closed_until": (
        "大厅已关门：下一时段 {upcoming} 开始",
        "the hall is closed: no session is open now; next opens {upcoming}",
    ),
    "green.bad_reason": (
        "绿色通道原因必须是 {choices} 之一，不是 {value}",
        "green-channel reason is one of {choices}, not {value}",
    ),
    # -- appointments -------------------------------------------------------------
    "appointment.not_found": ("没有预约号 {code}", "no appointment {code}"),
    "appointment.checked_in": (
        "预约 {code} 已签到（号码 {ticket}）",
        "appointment {code} was checked in already (ticket {ticket})",
    ),
    "appointment.other_day": (
        "预约 {code} 是 {day} 的，不是今天",
        "appointment {code} is for {day}, not today",
    ),
    "appointment.imported": ("预约 {code} 已导入过", "appointment {code} was imported already"),
    "appointment.bad_date": ("日期 {value} 不是 YYYY-MM-DD 格式", "date {value} is not YYYY-MM-DD"),
    # -- services -----------------------------------------------------------------
    "service.not_found": (
        "没有业务 {code}；现有业务：{known}",
        "no service {code}; services: {known}",
    ),
    "service.no_low_counter": (
        "没有低位窗口办理{service}，这张号永远不会被叫到；请在其他窗口当面办理，"
        "或把{service}加到一个低位窗口",
        "no low-position counter serves {service}, so this ticket would never be called;"
        " serve the citizen at another counter in person or add {service} to a"
        " low-position counter",
    ),
    "service.retired": ("业务 {service} 已停办", "service {service} is not offered any more"),
    "service.inactive": ("业务 {service} 已停用", "service {service} is inactive"),
    "service.exists": ("业务 {service} 已存在", "service {service} exists already"),
    "service.has_open": (
        "业务 {service} 还有 {waiting} 个未结束的号，请先办完",
        "service {service} has {waiting} open tickets; finish them first",
    ),
    "service.listed_twice": (
        "业务 {service} 在本窗口列了两次",
        "service {service} is listed twice for this counter",
    ),
    "service.bad_code": (
        "业务代码 {value}：1–16 个字母、数字、- 或 _",
        "service code {value}: 1-16 letters, digits, - or _",
    ),
    "service.bad_prefix": (
        "号码前缀 {value}：1–3 个字母 A–Z",
        "ticket prefix {value}: 1-3 letters A-Z",
    ),
    "service.needs": ("业务缺少 {required}", "a service needs {required}"),
    # -- departments and matters (一窗通办) --------------------------------------
    "matter.not_found": ("没有事项 {code}", "no matter {code}"),
    "matter.bad_code": (
        "事项编码 {value}：1–40 个字母、数字、.、- 或 _",
        "matter code {value}: 1-40 letters, digits, ., - or _",
    ),
    "matter.needs": ("事项缺少 {required}", "a matter needs {required}"),
    "matter.exists": ("事项 {code} 已存在", "matter {code} exists already"),
    "matter.exists_use_update": (
        "事项 {code} 已存在；要修改已有事项请用 --update",
        "matter {code} exists already; --update changes existing matters",
    ),
    "matter.twice": (
        "事项 {code} 已在第 {line} 行出现过",
        "matter {code} appears twice (first on line {line})",
    ),
    "matter.code_fixed": (
        "事项编码不能修改（号票和报表引用它）",
        "a matter's code is not edited (tickets and reports refer to it)",
    ),
    "matter.retired": ("事项 {code} 已停办", "matter {code} is retired"),
    # a catalogue file as a department sends it (console/catalogue/files.py); the
    # notes a reader is told (header_at, sheets_skipped, columns_ignored) live here too,
    # so that one catalog says every sentence of an import in both languages
    "catalogue.no_file": ("没有文件 {file}", "no file {file}"),
    "catalogue.is_directory": ("{file} 是目录，不是文件", "{file} is a directory"),
    "catalogue.empty": ("{file} 是空的", "{file} is empty"),
    "catalogue.not_text": (
        "{file} 不是 UTF-8、UTF-16 或 GB18030 文本",
        "{file} is neither UTF-8, UTF-16 nor GB18030 text",
    ),
    "catalogue.bad_csv": (
        "{file} 不是可读的 CSV 文件（{detail}）",
        "{file}: not a readable CSV file ({detail})",
    ),
    "catalogue.unreadable": (
        "{file} 不是可读的 {kind} 文件（{detail}）",
        "{file}: not a readable {kind} file ({detail})",
    ),
    "catalogue.xls_unreadable": (
        "{file} 读不出来（{detail}）：请用 Excel 或 WPS 打开，另存为 .xlsx 后再导入",
        "{file} cannot be read ({detail}): open it in Excel or WPS, save it as .xlsx and"
        " import that",
    ),
    "catalogue.no_sheet": (
        "{file} 没有工作表 {sheet}；现有：{sheets}",
        "{file} has no sheet {sheet}; sheets: {sheets}",
    ),
    "catalogue.no_header": (
        "{file}：前 {scan} 行中找不到表头；最接近的第 {row} 行缺少 {missing}（列：{columns}）",
        "{file}: no header row in the first {scan} rows; the closest, row {row}, lacks"
        " {missing} (columns: {columns})",
    ),
    "catalogue.no_header_sheet": (
        "{file}：所有工作表的前 {scan} 行中都找不到表头；最接近的是工作表 {sheet} 第 {row} 行，"
        "缺少 {missing}（列：{columns}）",
        "{file}: no sheet has a header row in its first {scan} rows; the closest, sheet"
        " {sheet} row {row}, lacks {missing} (columns: {columns})",
    ),
    "catalogue.header_at": ("表头在第 {row} 行", "header on row {row}"),
    "catalogue.header_at_sheet": (
        "工作表 {sheet}：表头在第 {row} 行",
        "sheet {sheet}: header on row {row}",
    ),
    "catalogue.sheets_skipped": (
        "没有表头、未读取的工作表：{sheets}",
        "sheets without the header, not read: {sheets}",
    ),
    "catalogue.columns_ignored": (
        "已忽略不认识的列：{columns}",
        "columns ignored (not catalogue columns): {columns}",
    ),
    "catalogue.number_format": (
        "{column} 是数字 {value}，格式 {format} 读不出单元格显示的文字；"
        "请把该列设为文本格式后重新填写",
        "{column} is the number {value} in the format {format}, whose shown text this"
        " reader cannot know; make the column text and type the codes again",
    ),
    "catalogue.more_errors": ("……另有 {count} 处错误", "... and {count} more errors"),
    "catalogue.rows_skipped": (
        "已跳过其他部门的 {count} 行（只更新 {departments}）",
        "{count} rows of other departments skipped (updating {departments} only)",
    ),
    "catalogue.retire_too_many": (
        "这次更新会停办 {retire} 个事项，超过在办 {active} 个的十分之一："
        "请先用 --dry-run 核对文件，确认无误再加 --yes",
        "this update would retire {retire} of the {active} active matters, more than a"
        " tenth: check the file with --dry-run, then add --yes if it is right",
    ),
    "catalogue.department_not_in_file": (
        "文件中没有部门 {department} 的任何一行：这次更新会停办它的全部 {retire} 个事项；"
        "如确需如此，请加 --yes",
        "the file has no row of department {department}: this update would retire all its"
        " {retire} matters; add --yes if that is meant",
    ),
    "catalogue.would_retire": (
        "将停办 {code} {name_zh}（{department}）",
        "would retire {code} {name_zh} ({department})",
    ),
    "matter.other_queue": (
        "事项 {code} 在 {service} 队列办理",
        "matter {code} is called in the {service} queue",
    ),
    "issue.needs_service": ("请选择业务或事项", "name a service or a matter to issue a ticket"),
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
    # -- announcements -------------------------------------------------------------
    "announce.bad_lang": (
        "播报语言只能是 zh-CN 或 en，不是 {lang}",
        "announcement languages are zh-CN or en, not {lang}",
    ),
    "announce.bad_number": (
        "无法播报号码 {number}：只能包含字母和数字",
        "cannot announce number {number}: letters and digits only",
    ),
    "announce.bad_counter": (
        "窗口号须在 0 到 {max} 之间，不是 {counter}",
        "a counter is a number from 0 to {max}, not {counter}",
    ),
    "announce.bad_template": (
        "播报模板 {template} 有误：只能使用 {fields}",
        "announcement template {template} is wrong: it may use only {fields}",
    ),
    "announce.missing_field": (
        "播报模板 {template} 需要号码或窗口号",
        "announcement template {template} needs a number or counter",
    ),
    "announce.empty": (
        "播报模板 {template} 没有可读的内容",
        "announcement template {template} says nothing",
    ),
    "announce.no_synthesizer": (
        "未安装语音合成程序 {program}（Debian/Ubuntu：apt-get install espeak-ng），"
        "或设置 announce_clips 使用大厅录音",
        "the speech synthesizer {program} is not installed (Debian/Ubuntu: apt-get install"
        " espeak-ng); or set announce_clips to the hall's recordings",
    ),
    "announce.synth_failed": (
        "语音合成 {program} 失败：{detail}",
        "the speech synthesizer {program} failed: {detail}",
    ),
    "announce.no_clips": (
        "没有录音文件夹 {folder}（设置 announce_clips）",
        "no recordings folder {folder} (setting announce_clips)",
    ),
    "announce.no_clip": ("缺少录音 {clip}", "missing recording {clip}"),
    "announce.clip_format": (
        "录音 {clip} 无法读取：请录制为 WAV（{rate} Hz、单声道、16 位），或安装 sox 以转换",
        "cannot read recording {clip}: record WAV ({rate} Hz, mono, 16-bit), or install sox"
        " to convert it",
    ),
    "announce.no_player": (
        "未找到播放程序（aplay、paplay、pw-play 或 sox 的 play）：请用 --out 写入文件",
        "no audio player found (aplay, paplay, pw-play or sox's play): write a file with --out",
    ),
    "announce.play_failed": ("播放失败：{detail}", "playing failed: {detail}"),
    # -- the database -------------------------------------------------------------
    "db.refused": ("数据库拒绝了此操作：{detail}", "refused by the database: {detail}"),
    "db.not_a_hall": (
        "{path} 不是 qconsole 大厅数据库（或已损坏）：{detail}",
        "{path} is not a qconsole hall database (or it is damaged): {detail}",
    ),
    "db.damaged": (
        "{path} 已损坏（{table} 表：{detail}）：不输出可能残缺的结果；请运行 qconsole doctor，"
        "并从备份或备用服务器恢复",
        "{path} is damaged ({table}: {detail}): nothing is written that could be incomplete; "
        "run qconsole doctor and restore from a backup or the standby's replica",
    ),
    "db.cannot_open": (
        "无法打开 {path}：请检查路径和权限（{detail}）",
        "cannot open {path}: check the path and its permissions ({detail})",
    ),
    "db.read_only": (
        "{path} 是只读的：大厅数据库需要写权限（{detail}）",
        "{path} is read-only: the hall database needs write access ({detail})",
    ),
    "db.disk_full": (
        "{path} 所在磁盘已满；没有做任何更改（{detail}）",
        "the disk holding {path} is full; nothing was changed ({detail})",
    ),
    "db.locked": (
        "{path} 被其他工作台占用太久；请重试（{detail}）",
        "{path} stayed locked by another station for too long; try again ({detail})",
    ),
    "db.error": ("数据库出错：{path}：{detail}", "{path}: {detail}"),
    "db.missing": (
        "{path} 没有大厅数据库；请用 `qconsole init --db {path}` 创建",
        "no hall database at {path}; create one with `qconsole init --db {path}`",
    ),
    "db.is_directory": (
        "{path} 是目录，不是大厅数据库文件",
        "{path} is a directory, not a hall database file",
    ),
    "db.no_directory": (
        "无法创建 {path}：目录 {directory} 不存在",
        "cannot create {path}: directory {directory} does not exist",
    ),
    "db.no_wal": (
        "{path}：无法切换到 WAL 模式（当前 {mode}）",
        "{path}: cannot switch the database to WAL mode (got {mode})",
    ),
    "db.network_fs": (
        "{path} 在网络文件系统上，SQLite 无法安全加锁；请把数据库放在一台机器的本地磁盘，"
        "在那里运行 `qconsole serve`，各工作台用 --server 连接",
        "{path} is on a network file system; SQLite cannot lock it safely and two counters "
        "could take the same ticket. Keep the database on a local disk of one machine, run "
        "`qconsole serve` there, and connect stations with --server.",
    ),
    "db.foreign": (
        "{path} 是 SQLite 数据库，但不是 qconsole 大厅数据库",
        "{path} is an SQLite database but not a qconsole hall database",
    ),
    "db.empty": (
        "{path} 里还没有大厅；请运行 `qconsole init --db {path}`",
        "{path} has no hall in it yet; run `qconsole init --db {path}`",
    ),
    "db.too_new": (
        "{path} 由更新版本的 qconsole 写入（结构 {version}，本版本只认识 {known}）；"
        "请升级本台 qconsole",
        "{path} was written by a newer qconsole (schema {version}, this one knows {known}); "
        "upgrade qconsole on this station",
    ),
    "db.too_old": (
        "{path} 的结构版本为 {version}；请运行 `qconsole init --db {path}` 升级到 {known}",
        "{path} has schema {version}; run `qconsole init --db {path}` to migrate it to {known}",
    ),
    "hall.failure": ("大厅数据出错（{kind}）：{detail}", "{kind}: {detail}"),
    # -- the hall server and stations ---------------------------------------------
    "server.unreachable": (
        "连不上大厅服务器 {url}",
        "hall server {url} unreachable: {detail}",
    ),
    "server.unreachable_not_done": (
        "连不上大厅服务器 {url}，操作未完成",
        "hall server {url} unreachable (not done): {detail}",
    ),
    "server.unreachable_unsure": (
        "连不上大厅服务器 {url}：不知道是否已办理——请先查看该号票，可能已经办了，再决定是否重做",
        "hall server {url} unreachable: not known if done — check the ticket (it may have been "
        "done; look before doing it again): {detail}",
    ),
    "server.unsure_elsewhere": (
        "这个操作在 {url} 上不知道是否已办理——请先查看该号票；不会在另一台服务器上重做",
        "not known if done on {url} — check the ticket; it is not repeated on another server "
        "({detail})",
    ),
    "server.old_generation": (
        "大厅服务器 {url} 运行的是旧的第 {generation} 代数据（本工作台已见过第 {seen} 代）："
        "它是切换前的旧主服务器，不再使用",
        "hall server {url} serves generation {generation} of the hall, older than generation "
        "{seen} this station has seen: it is an old primary after a failover, not used",
    ),
    "failover.calls_held": (
        "备用服务器刚接管：各窗口先召回切换前已叫的号，{seconds} 秒后再叫下一位",
        "the standby has just taken over: each counter first calls back the ticket it had "
        "called before the failover; call next again in {seconds} s",
    ),
    "server.superseded": (
        "大厅已由别的服务器接管：备份 {replica} 已是第 {generation} 代（{host} 于 {at} 恢复），"
        "本数据库是第 {own} 代。不要再用这个数据库提供服务：将其留存，并把本机改作新的备用服务器"
        "（见 README「Standby and failover」）",
        "the hall moved on without this server: the replica {replica} is at generation "
        "{generation} (restored on {host} at {at}) and this database is at generation {own}; a "
        "standby serves the hall now. Do not serve this database: keep it aside and make this "
        "machine the new standby (README, Standby and failover)",
    ),
    "server.fenced": (
        "大厅服务器 {url} 已停止服务：备用服务器已接管大厅",
        "hall server {url} has stopped serving: {detail}",
    ),
    "server.closed": ("与大厅服务器的连接已关闭", "the hall connection is closed"),
    "server.error": ("大厅服务器出错（{status}）", "hall server error {status}: {detail}"),
    "server.bad_url": (
        "大厅服务器地址以 http:// 或 https:// 开头，不是 {value}",
        "a hall server URL starts with http:// or https://, not {value}",
    ),
    "server.bad_ca": (
        "无法用 {path} 作为服务器的 CA 证书：{detail}",
        "cannot use {path} as the server's CA certificate: {detail}",
    ),
    "station.no_token": (
        "没有工作台令牌：请设置 QCONSOLE_TOKEN 或运行 `qconsole stations save-token TOKEN`",
        "no station token: set QCONSOLE_TOKEN or run `qconsole stations save-token TOKEN`"
        " (an admin prints one with `qconsole stations add`)",
    ),
    "station.needs_login": (
        "工作台 {station} 没有人员登录：请先登录",
        "station {station} has no clerk logged in: log in first "
        "(only stations registered with --admin act without a login)",
    ),
    "station.bad_name": (
        "工作台名称为 1–60 个字母、数字、'-'、'_'、'.' 或 '@'",
        "a station name is 1-60 letters, digits, '-', '_', '.' or '@'",
    ),
    "station.bad_role": (
        "工作台角色必须是 {choices} 之一，不是 {value}",
        "a station role is one of {choices}, not {value}",
    ),
    "station.exists": (
        "工作台 {station} 已存在；要发新令牌请先吊销",
        "station {station} exists already; revoke it first to issue a new token",
    ),
    "station.not_found": ("没有工作台 {station}", "no station {station}"),
    "station.revoked_already": (
        "工作台 {station} 已被吊销",
        "station {station} is revoked already",
    ),
    "station.token_needed": (
        "此服务器需要工作台令牌；由管理员用 `qconsole stations add` 登记工作台",
        "this server needs a station token (Authorization: Bearer …); "
        "an admin registers stations with `qconsole stations add`",
    ),
    "station.unknown_token": ("工作台令牌无效", "unknown station token"),
    "station.revoked": ("工作台 {station} 已被吊销", "station {station} was revoked"),
    "station.kiosk_only": (
        "自助取号机 {station} 只能取号和查看取号机显示的内容",
        "station {station} is a kiosk: it may only issue tickets and read what the kiosk shows",
    ),
    "station.not_kiosk": (
        "工作台 {station} 不是自助取号机；取号机接口只供取号机令牌使用",
        "station {station} is not a kiosk; the kiosk's routes take a kiosk token"
        " (`qconsole stations add NAME --kiosk`)",
    ),
    "kiosk.job_not_yours": (
        "打印任务 {job} 不是本取号机的",
        "print job {job} was not asked for by this kiosk",
    ),
    "kiosk.no_job": ("没有打印任务 {job}", "no print job {job}"),
    "kiosk.needs_choice": (
        "请选择一项业务或事项",
        "choose one service or one matter",
    ),
    "station.pin_throttled": (
        "工作台 {station} 输错密码次数过多；请 {wait} 秒后再试",
        "too many wrong PINs from station {station}; try again in {wait} s",
    ),
    "session.ended": ("登录已失效，请重新登录", "the clerk session has ended; log in again"),
    "session.other_station": (
        "此登录属于另一个工作台",
        "this clerk session belongs to another station",
    ),
    "clerk.inactive": ("{clerk} 已停用", "clerk {clerk} is no longer active"),
    "printer.none_here": ("本工作台没有设置打印机", "no printer is set up here"),
    "station.refused_for_good": (
        "{error}：本工作台不再自动重试；请管理员重新登记本工作台、发放新令牌，保存到本机后重新启动",
        "{error}: this station no longer retries; an admin issues a new token (qconsole "
        "stations add), save it (qconsole stations save-token) and start again",
    ),
    "print.job_not_yours": (
        "打印任务 {job} 不属于工作台 {station} 的打印机",
        "print job {job} is not for a printer of station {station}",
    ),
}

WORDS_ZH: dict[str, str] = {
    # ticket statuses
    "waiting": "等候中",
    "called": "已叫号",
    "serving": "办理中",
    "parked": "暂挂",
    "done": "已办结",
    "no-show": "未到",
    "no_show": "标记未到（只有已叫号的号）",
    "transferred": "已转移",
    "cancelled": "已取消",
    "expired": "已过期",
    # counter states
    "open": "开放",
    "paused": "暂停",
    "closed": "关闭",
    # roles
    "clerk": "办事员",
    "manager": "值班经理",
    "admin": "管理员",
    # operations on a ticket
    "call": "叫号",
    "recall": "重呼（只有已叫号的号能重呼）",
    "serve": "开始办理（只有已叫号的号）",
    "finish": "办结",
    "transfer": "转移",
    "park": "暂挂",
    "resume": "恢复（只有暂挂的号）",
    "cancel": "取消",
    "flag_green": "标记绿色通道",
    "change_matter": "更改办理事项",
    "expire": "按逾期未办结束",
}
"""Parameter values that are words (statuses, states, roles, operations), in Chinese."""

WORD_PARAMS = frozenset({"status", "state", "role", "actual", "op"})
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
    "the request": "请求",
}  # fmt: skip
"""Field names as the engine and the server's models name them, in Chinese: a field
named inside a Chinese sentence ("备注 不能为空", not "a note 不能为空")."""

FIELD_PARAMS = frozenset({"what", "field"})
"""The parameters whose values name a field."""


def render(reason: str, params: dict, lang: str = "en") -> str:
    """The sentence for ``reason`` in ``lang``; an unknown code shows itself and its parameters."""
    pair = REASONS.get(reason)
    if pair is None:
        shown = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{reason} ({shown})" if shown else reason
    zh = lang.startswith("zh")
    template = pair[0 if zh else 1]
    if zh:
        params = {
            k: WORDS_ZH.get(str(v), v) if k in WORD_PARAMS
            else FIELDS_ZH.get(str(v), v) if k in FIELD_PARAMS
            else v
            for k, v in params.items()
        }  # fmt: skip
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


NO_PRINTER = "printer.none_here"
"""A print job's stored error when the station has no printer: a code, rendered where shown."""


def stored(text: str | None, lang: str = "en") -> str | None:
    """A stored error (a print job's) in ``lang``: a reason code is rendered from the catalog,
    anything else (a printer's own words) is shown as it is."""
    if text in REASONS:
        return render(text, {}, lang)
    return text
