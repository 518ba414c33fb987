"""What became of a print job, as stored with it and said on every screen: the codes of
the outcomes the printer's own failures (``hall``'s ``printer.*`` by kind of failure) do
not name — a slip sent but never confirmed, a fault in the middle of one, a worker gone.

``{code: (zh-CN, en)}``; merged into ``console.domain.reasons.REASONS``. Each sentence
takes the job's printer as ``{printer}``: the job's row names it, so only the code is
stored (``print_jobs.reason``), beside the printer's own words (``print_jobs.error``)."""

from __future__ import annotations

PRINT_JOBS: dict[str, tuple[str, str]] = {
    "printer.unconfirmed": (
        "打印机 {printer} 没有确认打出：可能没有打印；先看打印机，再决定是否重印",
        "printer {printer} did not confirm the slip: it may not have printed; look at the"
        " printer before a reprint",
    ),
    "printer.paper_out_mid_job": (
        "打印机 {printer} 在打印中途缺纸：装纸后可能自动打出，先看打印机，再决定是否重印",
        "printer {printer} ran out of paper in the middle of the slip: it may print once"
        " paper is loaded; look at the printer before a reprint",
    ),
    "printer.cover_open_mid_job": (
        "打印机 {printer} 在打印中途开了盖：合上后可能自动打出，先看打印机，再决定是否重印",
        "printer {printer}'s cover was opened in the middle of the slip: it may print once"
        " closed; look at the printer before a reprint",
    ),
    "printer.offline_mid_job": (
        "打印机 {printer} 在打印中途离线：恢复后可能自动打出，先看打印机，再决定是否重印",
        "printer {printer} went offline in the middle of the slip: it may print once back;"
        " look at the printer before a reprint",
    ),
    "printer.worker_gone": (
        "打印机 {printer} 的打印程序在打印中途停止：可能没有打印；先看打印机，再决定是否重印",
        "the print worker of printer {printer} stopped during the slip: it may not have"
        " printed; look at the printer before a reprint",
    ),
    "printer.cannot_prepare": (
        "无法为打印机 {printer} 生成单据（打印机已删除或设置有误）：请管理员检查",
        "cannot make the slip for printer {printer} (removed, or set up wrongly): an admin"
        " checks it",
    ),
    "printer.lease_lost": (
        "没有发送到打印机 {printer}：本工作台停顿太久，任务已交出",
        "nothing sent to printer {printer}: this station stalled too long and the job was"
        " handed on",
    ),
    "printer.not_taken": (
        "还没有工作台取走打印机 {printer} 的任务"
        "（该工作台的屏幕或 `qconsole printers work` 在运行吗？）",
        "not printed yet: nothing has taken the job for printer {printer} (is its station's"
        " screen or `qconsole printers work` running?)",
    ),
    # a command's one line about the slip it asked for (console.cli.print_outcome); {slip}
    # is ticket or receipt, {said} one of the sentences above in the same language
    "print.outcome_done": (
        "已在打印机 {printer} 上打印{slip} {ticket}（任务 {job}）",
        "printed {slip} {ticket} on {printer} (job {job})",
    ),
    "print.outcome_warned": (
        "已在打印机 {printer} 上打印{slip} {ticket}（任务 {job}）；注意：{said}",
        "printed {slip} {ticket} on {printer} (job {job}); warning: {said}",
    ),
    "print.outcome_unconfirmed": (
        "打印任务 {job}（{slip} {ticket}，打印机 {printer}）：{said}；需要时运行"
        " `qconsole tickets reprint {ticket}`",
        "print job {job} ({slip} {ticket}, printer {printer}): {said}; then"
        " `qconsole tickets reprint {ticket}` if needed",
    ),
    "print.outcome_failed": (
        "打印任务 {job}（{slip} {ticket}，打印机 {printer}）失败：{said}",
        "print job {job} ({slip} {ticket}, printer {printer}) failed: {said}",
    ),
    "print.outcome_waiting": (
        "打印任务 {job}（{slip} {ticket}）：{said}",
        "print job {job} ({slip} {ticket}): {said}",
    ),
    "printer.test_failed": (
        "{said}（打印机的回答：{detail}）",
        "{said} (the printer said: {detail})",
    ),
    # what a printer answers it is, word by word (printers.status.PrinterStatus.words)
    "printer_state.unknown": (
        "状态未知（打印机没有回答状态查询）",
        "status unknown (the printer did not answer the status query)",
    ),
    "printer_state.paper_out": ("缺纸", "paper out"),
    "printer_state.cover_open": ("盖子开着", "cover open"),
    "printer_state.printer_error": ("打印机出错", "printer error"),
    "printer_state.offline": ("离线", "offline"),
    "printer_state.paper_near_end": ("在线，纸快用完了", "online, paper near end"),
    "printer_state.paper_unknown": ("在线，纸张状态未知", "online, paper state unknown"),
    "printer_state.paper_ok": ("在线，纸张正常", "online, paper ok"),
}
