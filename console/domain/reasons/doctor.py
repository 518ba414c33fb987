"""What ``qconsole doctor`` says of each check, in zh-CN and English: the lines an admin
reads (and a cron job mails), good and bad alike.

``{code: (zh-CN, en)}``; merged into ``console.domain.reasons.REASONS``. A check whose
trouble is a refusal the product already names (a schema too old, a database on a
network file system, a bad replica address) says that refusal's code instead. A
``{detail}`` is what the system, SQLite, CUPS or the hall server said, in their words."""

from __future__ import annotations

DOCTOR: dict[str, tuple[str, str]] = {
    # -- the database ------------------------------------------------------------------
    "doctor.filesystem": ("{path} 位于 {fstype} 文件系统", "{path} is on {fstype}"),
    "doctor.schema_current": ("结构版本 {version}（最新）", "schema version {version} (current)"),
    "doctor.integrity_ok": ("{pragma}：正常", "{pragma}: ok"),
    "doctor.integrity_failed": ("{pragma} 发现损坏：{detail}", "{pragma}: {detail}"),
    "doctor.unreadable": ("无法读取：{detail}", "cannot be read: {detail}"),
    "doctor.wal": ("WAL 文件 {size}", "WAL file {size}"),
    "doctor.wal_large": (
        "{wal} 已有 {size}（上限 {limit}）：有读取方阻止了检查点；请重启长时间运行的工作台",
        "{wal} is {size} (limit {limit}): a reader is holding checkpoints back; restart"
        " long-running stations",
    ),
    "doctor.disk": (
        "数据库所在磁盘剩余 {free}，共 {total}",
        "{free} free of {total} on the database's disk",
    ),
    "doctor.disk_low": (
        "数据库所在磁盘只剩 {free}，共 {total}（至少需要 {want}）",
        "only {free} free of {total} on the database's disk (want {want})",
    ),
    # -- printers (no byte is sent to them) ----------------------------------------------
    "doctor.printer_bad_address": (
        "网络地址 {address} 不是“主机[:端口]”",
        "network address {address} is not host[:port]",
    ),
    "doctor.printer_unreachable": (
        "{host}:{port} 连不上（{detail}）",
        "{host}:{port} unreachable ({detail})",
    ),
    "doctor.printer_listening": ("{host}:{port} 可以连接", "{host}:{port} accepts connections"),
    "doctor.printer_file": ("{address} 可写", "{address} writable"),
    "doctor.printer_file_unwritable": (
        "{address}：{where} 不可写",
        "{address}: {where} not writable",
    ),
    "doctor.device_present": ("{address} 已连接", "{address} present"),
    "doctor.device_missing": ("设备 {address} 不存在", "device {address} not present"),
    "doctor.usb_unchecked": (
        "无法在本机检查 USB {address}（{detail}）",
        "cannot check USB {address} here ({detail})",
    ),
    "doctor.usb_present": ("USB {address} 已连接", "USB {address} present"),
    "doctor.usb_missing": ("USB {address} 未连接", "USB {address} not connected"),
    "doctor.no_lpstat": (
        "无法检查 CUPS 队列：缺少 lpstat（cups-client）",
        "cannot check a CUPS queue: lpstat missing (cups-client)",
    ),
    "doctor.cups_silent": (
        "CUPS 在 {seconds} 秒内没有回答 {address} 的状态",
        "CUPS did not answer about {address} in {seconds} s",
    ),
    "doctor.cups_said": ("CUPS 队列 {address}：{detail}", "{detail}"),
    "doctor.cups_queue": ("CUPS 队列 {address}", "CUPS queue {address}"),
    "doctor.printer_unchecked": (
        "无法在本机检查位于 {address} 的 {connection} 打印机",
        "cannot check a {connection} printer at {address} from here",
    ),
    # -- what printing needs on this machine (printers.doctor) ---------------------------
    "doctor.font_found": (
        "栅格打印的中文字体：{font}（{source}）",
        "CJK font for raster printing: {font} ({source})",
    ),
    "doctor.font_configured_missing": (
        "设置的中文字体 {font} 找不到；栅格打印无法进行",
        "CJK font {font} configured but not found; raster printing cannot work",
    ),
    "doctor.font_missing": (
        "没有中文字体：栅格打印无法进行（文本模式可以）；请安装 {packages}，或设置 {variable}",
        "no CJK font found: raster printing cannot work (text mode can); install {packages}"
        " or set {variable}",
    ),
    "doctor.libusb_found": ("USB 打印机：已找到 libusb-1.0", "USB printers: libusb-1.0 found"),
    "doctor.libusb_missing": (
        "USB 打印机：缺少 libusb-1.0（Debian：libusb-1.0-0）",
        "USB printers: libusb-1.0 missing (Debian: libusb-1.0-0)",
    ),
    "doctor.pyusb_missing": (
        "USB 打印机：未安装 pyusb（usb 附加组件）",
        "USB printers: pyusb not installed (the usb extra)",
    ),
    "doctor.pyserial_found": ("串口打印机：已找到 pyserial", "serial printers: pyserial found"),
    "doctor.pyserial_missing": (
        "串口打印机：缺少 pyserial（serial 附加组件）",
        "serial printers: pyserial missing (the serial extra)",
    ),
    "doctor.lp_found": ("CUPS 打印机：lp 位于 {path}", "CUPS printers: lp at {path}"),
    "doctor.lp_missing": (
        "CUPS 打印机：缺少 lp（cups-client）",
        "CUPS printers: lp missing (cups-client)",
    ),
    # -- the hall server, its standbys and the replica -----------------------------------
    "doctor.server_unreachable": ("{url} 连不上（{detail}）", "{url} unreachable ({detail})"),
    "doctor.server_status": ("{url} 回答 HTTP {status}", "{url} answered HTTP {status}"),
    "doctor.server_warns": ("{url} 报告：{detail}", "{url}: {detail}"),
    "doctor.server_ok": ("{url} 回答 200", "{url} answered 200"),
    "doctor.standby_idle": (
        "{url} 没有在服务（备用服务器在切换前本应如此）",
        "{url} not serving (normal for a standby until a failover)",
    ),
    "doctor.one_hall": ("列表中只有一台服务器在服务", "one server of the list serves"),
    "doctor.serving": ("{url}（第 {generation} 代）", "{url} generation {generation}"),
    "doctor.two_halls": (
        "{count} 台服务器同时在服务本大厅（{serving}）：{advice}",
        "{count} servers serve the hall ({serving}): {advice}",
    ),
    "doctor.stop_old": ("请停掉 {servers}（旧的主服务器）", "stop {servers} (an old primary)"),
    "doctor.stop_all_but_one": ("只留一台，其余停掉", "stop all but one"),
    "doctor.replica_empty": (
        "{replica} 里还没有 {db} 的副本",
        "{replica} holds no copy of {db} yet",
    ),
    "doctor.replica": (
        "{replica}：上次成功同步于 {when}（{ago} 秒前），落后 {lag} 秒（{behind}）",
        "{replica}: last successful sync {when} ({ago} s ago), lag {lag} s ({behind})",
    ),
    "doctor.transactions": ("{n} 个事务", "{n} transactions"),
    "doctor.unknown": ("未知", "unknown"),
    # -- the calendar and personal fields ------------------------------------------------
    "doctor.calendar_by_hand": (
        "{year} 年的法定节假日已手工添加（闭馆日）",
        "the official days of {year} were added by hand (closed days)",
    ),
    "doctor.calendar_known": (
        "已知 {first}-{last} 年的法定节假日",
        "official holidays known for {first}-{last}",
    ),
    "doctor.calendar_unknown": (
        "本机不知道 {year} 年的法定节假日安排：请升级 qconsole，或手工添加这些日子",
        "the official calendar for {year} is not known to this install: upgrade qconsole or"
        " add the days by hand",
    ),
    "doctor.personal_unknown": (
        "无法判断个人信息保存了多久：{detail}",
        "cannot tell how old the personal fields are: {detail}",
    ),
    "doctor.personal_none": (
        "没有保存个人信息（保留 {days} 天）",
        "no personal fields stored (retention {days} days)",
    ),
    "doctor.personal_overdue": (
        "{oldest} 起的个人信息已超过 {days} 天的保留期（应从 {cutoff} 起保留）：请运行"
        " qconsole purge（每晚的任务）",
        "personal fields from {oldest} are kept past the retention of {days} days (kept from"
        " {cutoff} on): run qconsole purge (the nightly job)",
    ),
    "doctor.personal_ok": (
        "最早的个人信息来自 {oldest}（保留 {days} 天）",
        "oldest personal field from {oldest} (retention {days} days)",
    ),
}
