"""Refusals about what the hall offers: services, departments and matters, and the
catalogue files a department sends (with the notes an import tells its reader).

``{code: (zh-CN, en)}``; merged into ``console.domain.reasons.REASONS``."""

from __future__ import annotations

CATALOGUE: dict[str, tuple[str, str]] = {
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
}
