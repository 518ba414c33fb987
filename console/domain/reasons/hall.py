"""Refusals of the machinery: announcements, the database, the hall server and its
stations.

``{code: (zh-CN, en)}``; merged into ``console.domain.reasons.REASONS``."""

from __future__ import annotations

HALL: dict[str, tuple[str, str]] = {
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
        "（见 docs/admin.md「Standby and failover」）",
        "the hall moved on without this server: the replica {replica} is at generation "
        "{generation} (restored on {host} at {at}) and this database is at generation {own}; a "
        "standby serves the hall now. Do not serve this database: keep it aside and make this "
        "machine the new standby (docs/admin.md, Standby and failover)",
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
    "station.city_only": (
        "城市令牌 {station} 只能读取城市接口（/api/v1/city/）",
        "station {station} is the city's: it may only read the city's routes (/api/v1/city/)",
    ),
    "station.not_city": (
        "工作台 {station} 不是城市令牌；城市接口只供城市令牌使用",
        "station {station} is not the city's; the city's routes take a city token"
        " (`qconsole stations add NAME --city`)",
    ),
    "city.day_not_ended": (
        "{day} 尚未结束；已结束日的合计只到 {last}",
        "{day} has not ended; ended days' totals run to {last}",
    ),
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
    # what became of a slip, as the station that asked for it is told (by the printer's kind
    # of failure: console.print_verdicts.FAILURES)
    "printer.paper_out": (
        "打印机 {printer} 缺纸：装纸后重印",
        "printer {printer} is out of paper: load paper, then reprint",
    ),
    "printer.cover_open": (
        "打印机 {printer} 的盖子开着：合上后重印",
        "printer {printer}'s cover is open: close it, then reprint",
    ),
    "printer.offline": (
        "打印机 {printer} 离线或出错：检查后重印",
        "printer {printer} is offline or in error: check it, then reprint",
    ),
    "printer.unreachable": (
        "连不上打印机 {printer}（未开机，或地址、端口有误）",
        "cannot reach printer {printer} (switched off, or wrong address or port)",
    ),
    "printer.no_answer": (
        "打印机 {printer} 没有及时应答",
        "printer {printer} did not answer in time",
    ),
    "printer.dropped": (
        "与打印机 {printer} 的连接中断了",
        "the connection to printer {printer} dropped",
    ),
    "printer.device_missing": (
        "找不到打印机 {printer}（没有连接？）",
        "printer {printer} is not there (unplugged?)",
    ),
    "printer.misconfigured": (
        "打印机 {printer} 的设置有误：请管理员检查",
        "printer {printer} is set up wrongly: an admin checks it",
    ),
    "printer.missing_support": (
        "本机缺少打印机 {printer} 所需的组件",
        "this machine lacks what printer {printer} needs",
    ),
    "printer.busy": (
        "打印机 {printer} 正忙于另一张单据：稍后重印",
        "printer {printer} is busy with another slip: reprint shortly",
    ),
    "printer.failed": (
        "打印机 {printer} 出错，没有打印",
        "printer {printer} failed; nothing printed",
    ),
    "printer.paper_near_end": (
        "打印机 {printer} 的纸快用完了",
        "printer {printer}: paper near end",
    ),
    "printer.sent_unchecked": (
        "打印机 {printer} 没有回答状态查询：未检查纸张便已发送",
        "printer {printer} did not answer the status query: sent without checking paper",
    ),
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
