"""Refusals of the command line itself: where the hall is, the station, PINs, the
options of `serve`, `stations`, `printers`, `report`, `simulate`, the screens, and the
files an admin hands it (appointments CSV, the hall's TOML file, the city's city.toml),
and the city process's own database and API.

``{code: (zh-CN, en)}``; merged into ``console.domain.reasons.REASONS``."""

from __future__ import annotations

COMMAND_LINE: dict[str, tuple[str, str]] = {
    # -- where the hall is, who acts ----------------------------------------------
    "cli.db_and_server": (
        "请给出 --db 或 --server，不要同时给出",
        "give --db or --server, not both",
    ),
    "cli.station_mismatch": (
        "本机的工作台令牌属于工作台 {remote}，不是 {chosen}（--station / QCONSOLE_STATION）："
        "请使用匹配的令牌或名称",
        "this machine's station token is for station {remote}, not {chosen}"
        " (--station / QCONSOLE_STATION): give the matching token or name",
    ),
    "cli.no_client": (
        "大厅服务器客户端不可用：{detail}",
        "the hall server client is not available: {detail}",
    ),
    "cli.pin_needed": (
        "需要密码：--pin、QCONSOLE_PIN，或在终端上运行",
        "a PIN is needed: --pin, QCONSOLE_PIN, or run on a terminal",
    ),
    "cli.number_too_large": (
        "数字超出范围（最大 {max}）",
        "a number is out of range (at most {max})",
    ),
    "cli.os_error_file": ("系统无法完成操作（{detail}）：{file}", "{detail}: {file}"),
    "cli.os_error": ("系统无法完成操作（{detail}）", "{detail}"),
    "cli.needs_db_file": (
        "{command} 直接读取大厅数据库文件：请在服务器上用 --db PATH 运行",
        "{command} reads the hall database file directly: run it on the server machine "
        "with --db PATH",
    ),
    "cli.bad_choice": (
        "{option} 必须是 {choices} 之一，不是 {value}",
        "{option} is one of {choices}, not {value}",
    ),
    "cli.cannot_write_dir": (
        "无法在 {directory} 中写入：请换一个 --db 或修正权限",
        "cannot write in {directory}: choose another --db or fix permissions",
    ),
    "cli.demo_needs_new": (
        "{path} 中已有大厅；--demo 需要一个新的数据库",
        "{path} already has a hall; --demo needs a new database",
    ),
    "cli.no_hall_init": (
        "{path} 没有大厅数据库；请先创建：qconsole init",
        "no hall database at {path}; create it: qconsole init",
    ),
    "cli.no_counter": (
        "没有{counter}号窗口；查看：qconsole counters list",
        "no counter {counter}; see: qconsole counters list",
    ),
    # -- serve and stations -------------------------------------------------------
    "serve.tls_pair": (
        "TLS 需要同时给出 --tls-cert 和 --tls-key",
        "TLS needs both --tls-cert and --tls-key",
    ),
    "serve.no_certificate": (
        "无法读取 {file}：请先制作证书和密钥（docs/admin.md，TLS）",
        "cannot read {file}: make the certificate and key first (docs/admin.md, TLS)",
    ),
    "serve.bad_port": ("端口须在 1-65535 之间，不是 {port}", "a port is 1-65535, not {port}"),
    "serve.limits_positive": (
        "--request-timeout、--max-connections、--max-per-address 和 --public-streams 必须为正数",
        "--request-timeout, --max-connections, --max-per-address and --public-streams must be"
        " positive",
    ),
    "serve.plain_http": (
        "拒绝在 {host} 上使用明文 HTTP：请给出 --tls-cert 和 --tls-key，或在 TLS 代理后"
        "监听 127.0.0.1，或注明 --insecure-http",
        "refusing plain HTTP on {host}: give --tls-cert and --tls-key, listen on 127.0.0.1"
        " behind a TLS proxy, or say --insecure-http",
    ),
    "station.one_kind": (
        "工作台只能是一种（--admin、--kiosk 或 --city），不能兼有",
        "a station is of one kind (--admin, --kiosk or --city), not both",
    ),
    "station.bad_token_text": (
        "这看起来不是工作台令牌",
        "that does not look like a station token",
    ),
    # -- printers from the shell --------------------------------------------------
    "printer.needs_local": (
        "打印在连接打印机的工作台上进行：请在那台机器上使用 --db（通过 --server 时，"
        "打印任务排队等待该工作台的打印程序）",
        "printing runs on the station with the printer: use --db on that machine "
        "(over --server the job is queued for that station's worker)",
    ),
    "printer.bad_setup": ("打印机设置有误：{detail}", "{detail}"),
    "printer.jobs_troubled": (
        "{count} 个打印任务失败或未获打印机确认",
        "{count} print job(s) failed or were not confirmed by the printer",
    ),
    # -- report -------------------------------------------------------------------
    "report.table_to_terminal": (
        "--format table 只用于终端；配合 --out 请用 md、html 或 json",
        "--format table is for the terminal; use md, html or json with --out",
    ),
    # -- city ---------------------------------------------------------------------
    "city.bad_listen": (
        "--listen 的格式是 主机:端口（例如 127.0.0.1:8460），不是 {value}",
        "--listen is HOST:PORT (e.g. 127.0.0.1:8460), not {value}",
    ),
    "city.floor_source": (
        "请给出 --server URL（城市进程）或 --halls city.toml，只给一个",
        "give --server URL (the city process) or --halls city.toml",
    ),
    "city.xlsx_needs_out": (
        "--format xlsx 需要 --out 文件.xlsx",
        "--format xlsx needs --out FILE.xlsx",
    ),
    "city.table_to_terminal": (
        "--format table 只用于终端；配合 --out 请用 md、html、json 或 xlsx",
        "--format table is for the terminal; use md, html, json or xlsx with --out",
    ),
    "city.unreachable": (
        "无法连接城市进程 {server}：{detail}",
        "cannot reach the city process at {server}: {detail}",
    ),
    "city.refused": ("城市进程拒绝了请求：{detail}", "the city process refused: {detail}"),
    # -- city.toml (console/city/config.py) ---------------------------------------
    "city.halls_missing": (
        "无法读取 --halls {file}：文件不存在",
        "cannot read --halls {file}: no such file",
    ),
    "city.halls_forbidden": (
        "无法读取 --halls {file}：没有读取权限",
        "cannot read --halls {file}: permission denied",
    ),
    "city.halls_unreadable": (
        "无法读取 --halls {file}（{detail}）",
        "cannot read --halls {file}: {detail}",
    ),
    "city.halls_not_toml": ("{file}：不是有效的 TOML", "{file}: not TOML"),
    "city.halls_not_toml_at": (
        "{file}：第 {line} 行第 {column} 列不是有效的 TOML",
        "{file}: not TOML (at line {line}, column {column})",
    ),
    "city.no_halls": ("{file}：没有列出任何 [[hall]]", "{file}: no [[hall]] listed"),
    "city.name_not_text": ("{file}：name 必须是文本", "{file}: name must be text"),
    "city.hall_not_table": (
        "{file}：第 {index} 个 hall 不是表",
        "{file}: hall {index}: not a table",
    ),
    "city.hall_unknown_field": (
        "{file}：第 {index} 个 hall：未知字段 '{name}'（可用字段：{fields}）",
        "{file}: hall {index}: unknown field '{name}' (fields: {fields})",
    ),
    "city.hall_bad_key": (
        "{file}：第 {index} 个 hall：key 须是 1-40 个 a-z 0-9 _ - 字符，不是 {value}",
        "{file}: hall {index}: key must be 1-40 of a-z 0-9 _ - (got {value})",
    ),
    "city.hall_twice": ("{file}：hall '{key}' 列出了两次", "{file}: hall '{key}': listed twice"),
    "city.hall_needs": (
        "{file}：hall '{key}' 缺少 {item}",
        "{file}: hall '{key}': {item} is required",
    ),
    "city.hall_bad_url": (
        "{file}：hall '{key}'：url 须以 http:// 或 https:// 开头，不是 '{url}'",
        "{file}: hall '{key}': url must start with http:// or https:// (got '{url}')",
    ),
    "city.token_file_missing": (
        "{file}：hall '{key}'：token_file {token_file} 不存在",
        "{file}: hall '{key}': cannot read token_file {token_file}: no such file",
    ),
    "city.token_file_forbidden": (
        "{file}：hall '{key}'：没有读取 token_file {token_file} 的权限",
        "{file}: hall '{key}': cannot read token_file {token_file}: permission denied",
    ),
    "city.token_file_unreadable": (
        "{file}：hall '{key}'：无法读取 token_file {token_file}（{detail}）",
        "{file}: hall '{key}': cannot read token_file {token_file}: {detail}",
    ),
    "city.hall_needs_token": (
        "{file}：hall '{key}' 缺少 token（或 token_file）",
        "{file}: hall '{key}': token (or token_file) is required",
    ),
    "city.hall_bad_coordinate": (
        "{file}：hall '{key}'：{item} 须是 ±{limit} 之内的数字",
        "{file}: hall '{key}': {item} must be a number within ±{limit}",
    ),
    "city.hall_lat_lon": (
        "{file}：hall '{key}'：lat 和 lon 须一起给出",
        "{file}: hall '{key}': give lat and lon together",
    ),
    "city.hall_not_text": (
        "{file}：hall '{key}'：{item} 必须是文本",
        "{file}: hall '{key}': {item} must be text",
    ),
    # -- the city's database and API ---------------------------------------------
    "city.db_is_directory": ("--db {path} 是一个目录", "--db {path} is a directory"),
    "city.no_db": (
        "{path} 没有城市数据库（由 qconsole city serve 创建）",
        "no city database at {path} (qconsole city serve makes it)",
    ),
    "city.db_no_directory": (
        "无法创建 {path}：目录 {directory} 不存在",
        "cannot create {path}: no directory {directory}",
    ),
    "city.not_city_db": (
        "{path} 不是城市数据库（是大厅的？请给出城市的 --db）",
        "{path} is not a city database (a hall's? give the city's --db)",
    ),
    "city.db_failure": (
        "无法打开城市数据库 {path}（{detail}）",
        "cannot open the city database {path}: {detail}",
    ),
    "city.no_such_hall": ("city.toml 中没有大厅 {key}", "no hall {key} in city.toml"),
    "city.service_or_matter": (
        "请给出 service 或 matter（只给一个）",
        "give service or matter (one of them)",
    ),
    "city.lat_lon_together": ("lat 和 lon 须一起给出", "give lat and lon together"),
    # -- simulate -----------------------------------------------------------------
    "simulate.not_pair": (
        "{option} 的格式是 NAME=VALUE，不是 {value}",
        "{option} is NAME=VALUE, not {value}",
    ),
    "simulate.between": (
        "{what} 须在 {low} 到 {high} 之间",
        "{what} must be between {low} and {high}",
    ),
    "simulate.at_least": ("{what} 至少为 {low}", "{what} must be at least {low}"),
    "simulate.unknown_setting": (
        "--set 只接受 {choices} 之一，不是 {name}",
        "--set takes one of {choices}, not {name}",
    ),
    "simulate.bad_form": ("{what} 的格式是 {form}，不是 {value}", "{what} is {form}, not {value}"),
    "simulate.backwards": (
        "{what} {text}：时间段须在一天之内从早到晚",
        "{what} {text}: the time range must run forward in a day",
    ),
    "simulate.no_counter": (
        "{option}：本大厅没有{counter}号窗口（现有：{counters}）",
        "{option}: no counter {counter} in this hall ({counters})",
    ),
    "simulate.no_service": (
        "{what} 指定的 {services}：没有这项业务",
        "{what} names {services}: no such service",
    ),
    "simulate.unknown_service": (
        "本大厅没有业务 {service}（现有：{known}）",
        "no service {service} in this hall ({known})",
    ),
    "simulate.bad_weekday": (
        "--weekday 取 1（星期一）到 7（星期日），不是 {value}",
        "--weekday is 1 (Monday) to 7 (Sunday), not {value}",
    ),
    "simulate.no_counters": (
        "大厅没有配置了业务的启用窗口：无可模拟",
        "the hall has no active counter with a service: nothing to simulate",
    ),
    "simulate.no_weekday_history": (
        "没有到达数据：历史中没有{weekday}；请给出 --rate 或 --profile，或换一个 --weekday",
        "no arrivals: no {weekday} in the history; give --rate or --profile, or another --weekday",
    ),
    "simulate.no_history": (
        "没有到达数据：大厅还没有历史记录；请给出 --rate 或 --profile",
        "no arrivals: the hall has no history yet; give --rate or --profile",
    ),
    # -- the parser's usage errors (console/cli/usage.py) ---------------------------
    "usage.no_such_option": (
        "{command}：没有选项 {option}（见 --help）",
        "{command}: No such option: {option} (see --help)",
    ),
    "usage.no_such_option_like": (
        "{command}：没有选项 {option}，相近的有 {options}（见 --help）",
        "{command}: No such option: {option} (possible options: {options}; see --help)",
    ),
    "usage.flag_takes_no_value": (
        "{command}：{option} 是开关，不带值（见 --help）",
        "{command}: {option} is a flag and takes no value (see --help)",
    ),
    "usage.option_needs_value": (
        "{command}：{option} 后面需要一个值（见 --help）",
        "{command}: {option} needs a value (see --help)",
    ),
    "usage.missing_option": (
        "{command}：缺少选项 {option}（见 --help）",
        "{command}: Missing option {option} (see --help)",
    ),
    "usage.missing_argument": (
        "{command}：缺少参数 {name}（见 --help）",
        "{command}: Missing argument {name} (see --help)",
    ),
    "usage.no_such_command": (
        "{command}：没有命令 '{name}'（见 --help）",
        "{command}: No such command '{name}' (see --help)",
    ),
    "usage.missing_command": (
        "{command}：缺少命令（见 --help）",
        "{command}: Missing command (see --help)",
    ),
    "usage.extra_arguments": (
        "{command}：多余的参数 {words}（见 --help）",
        "{command}: Got unexpected extra argument(s): {words} (see --help)",
    ),
    "usage.not_a_choice": (
        "{command}：{name} 须是 {choices} 之一，不是 '{value}'（见 --help）",
        "{command}: {name} is one of {choices}, not '{value}' (see --help)",
    ),
    "usage.not_whole_number": (
        "{command}：{name} 须是整数，不是 '{value}'（见 --help）",
        "{command}: {name} must be a whole number, not '{value}' (see --help)",
    ),
    "usage.not_number": (
        "{command}：{name} 须是数字，不是 '{value}'（见 --help）",
        "{command}: {name} must be a number, not '{value}' (see --help)",
    ),
    "usage.not_yes_no": (
        "{command}：{name} 须是 true 或 false，不是 '{value}'（见 --help）",
        "{command}: {name} is true or false, not '{value}' (see --help)",
    ),
    "usage.bad_value": (
        "{command}：{name} 不能是 '{value}'（见 --help）",
        "{command}: {name} cannot be '{value}' (see --help)",
    ),
    "usage.other": (
        "{command}：用法有误：{detail}（见 --help）",
        "{command}: {detail} (see --help)",
    ),
    "usage.not_utf8": (
        "参数 '{argument}' 不是有效的 UTF-8",
        "argument '{argument}' is not valid UTF-8",
    ),
    "usage.nul_character": (
        "参数 '{argument}' 含有空字符",
        "argument '{argument}' holds a NUL character",
    ),
    "usage.aborted": ("已中止", "aborted"),
    # -- files an admin hands over ------------------------------------------------
    "appointments.header_missing": (
        "{file}：表头缺少 {missing}（应为 {expected}）",
        "{file}: the header needs {missing} (expected {expected})",
    ),
    "appointments.unknown_column": (
        "{file}：未知的列 {columns}（应为 {expected}）",
        "{file}: unknown column {columns} (expected {expected})",
    ),
    "appointments.not_utf8": (
        "{file} 不是 UTF-8 文本；请另存为“CSV UTF-8”",
        "{file} is not UTF-8 text; save it as CSV UTF-8",
    ),
    "config.not_utf8": ("{file} 不是 UTF-8 文本", "{file} is not UTF-8 text"),
    "config.bad_toml": ("{file}：不是有效的 TOML（{detail}）", "{file}: not valid TOML ({detail})"),
    "config.bad_toml_at": (
        "{file}：第 {line} 行第 {column} 列不是有效的 TOML",
        "{file}: not valid TOML (at line {line}, column {column})",
    ),
    "config.unknown_section": ("{file}：未知的段 {sections}", "{file}: unknown section {sections}"),
    "config.settings_table": (
        "{file}：[settings] 必须是一个表",
        "{file}: [settings] must be a table",
    ),
    "config.use_array": (
        "{file}：每一项请用 [[{section}]]",
        "{file}: use [[{section}]] for each entry",
    ),
    "config.entry_not_table": (
        "{file}：{section} 第 {index} 项不是表",
        "{file}: {section} entry {index} is not a table",
    ),
    "config.unknown_field": (
        "{file}：{section} 第 {index} 项：未知字段 {name}",
        "{file}: {section} entry {index}: unknown field {name}",
    ),
    "config.wrong_type": (
        "{file}：{section} 第 {index} 项：{name} 的类型不对（{value}）",
        "{file}: {section} entry {index}: {name} has the wrong type ({value})",
    ),
    "config.needs_key": (
        "{file}：{section} 第 {index} 项需要 {key}",
        "{file}: {section} entry {index} needs {key}",
    ),
    "config.key_twice": (
        "{file}：{section} 第 {index} 项：{key} {value} 重复出现",
        "{file}: {section} entry {index}: {key} {value} appears twice",
    ),
    # what the hall refused of an entry (its own refusal, said in the same language)
    "config.entry_refused": (
        "{file}：{section} 第 {index} 项：{error}",
        "{file}: {section} entry {index}: {error}",
    ),
    "config.setting_refused": (
        "{file}：[settings] 设置 {name}：{error}",
        "{file}: [settings] {name}: {error}",
    ),
}
