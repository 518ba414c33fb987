"""Strings every screen shares: statuses, reasons, outcomes, counter states, keys."""

STRINGS: dict[str, tuple[str, str]] = {
    "common.loading": ("正在读取…", "Loading…"),
    "station.on_server": (
        "本工作站已切换到备用服务器 {url}",
        "this station now works on the standby server {url}",
    ),
    # ticket statuses
    "status.waiting": ("等候中", "waiting"),
    "status.called": ("已叫号", "called"),
    "status.serving": ("办理中", "serving"),
    "status.parked": ("暂挂", "parked"),
    "status.done": ("已办结", "done"),
    "status.no_show": ("未到", "no-show"),
    "status.cancelled": ("已取消", "cancelled"),
    "status.expired": ("已过期", "expired"),
    # green-channel reasons (老弱病残孕, 加急)
    "green.elderly": ("老年人", "elderly"),
    "green.disabled": ("残障人士", "disabled"),
    "green.pregnant": ("孕妇", "pregnant"),
    "green.sick": ("病患", "sick"),
    "green.urgent": ("加急", "urgent"),
    "green.other": ("其他", "other"),
    # outcomes
    "outcome.done": ("办结", "Done"),
    "outcome.incomplete": ("材料不全", "Materials incomplete"),
    "outcome.referred": ("转介他处", "Referred elsewhere"),
    # counter states
    "counter.open": ("开放", "open"),
    "counter.paused": ("暂停", "paused"),
    "counter.closed": ("关闭", "closed"),
    # key labels (short, for the key bar) and their help lines
    "key.call_next": ("叫号", "Next"),
    "key.call_next.help": ("叫下一位（按叫号顺序）", "Call the next ticket in calling order"),
    "key.recall": ("重呼", "Recall"),
    "key.recall.help": ("再次呼叫当前号", "Call the current ticket again"),
    "key.serve": ("开始办理", "Serve"),
    "key.serve.help": (
        "市民已到窗口，开始办理并计时",
        "The citizen is here: start serving (timer)",
    ),
    "key.done": ("办结", "Done"),
    "key.done.help": (
        "结束办理：结果、需补交材料、满意度、备注",
        "Finish: outcome, materials to bring, rating, note",
    ),
    "key.no_show": ("未到", "No-show"),
    "key.no_show.help": ("叫号未到（需确认）", "The citizen did not come (asks first)"),
    "key.transfer": ("转移", "Transfer"),
    "key.transfer.help": (
        "转到其他业务或窗口（可搜索）",
        "Send to another service or counter (searchable list)",
    ),
    "key.park": ("暂挂", "Park"),
    "key.park.help": (
        "暂挂当前号（如重拍照片），稍后在本窗口恢复",
        "Park the ticket (e.g. photo retake); resume it here later",
    ),
    "key.resume": ("恢复", "Resume"),
    "key.resume.help": ("恢复本窗口暂挂的号", "Resume a ticket parked at this counter"),
    "key.matter": ("改事项", "Matter"),
    "key.matter.help": (
        "市民要办的是另一个事项：改为该事项（记入日志）",
        "The citizen came for another matter: change it (logged)",
    ),
    "key.green": ("绿色通道", "Green"),
    "key.green.help": ("标记绿色通道并注明原因", "Flag the ticket green-channel, with the reason"),
    "key.call_number": ("指定叫号", "Call #"),
    "key.call_number.help": ("叫指定的号码", "Call a specific ticket number"),
    "key.print_receipt": ("打印回执", "Receipt"),
    "key.print_receipt.help": (
        "打印最近办结的回执",
        "Print the receipt of the last finished ticket",
    ),
    "key.pause": ("暂停/恢复", "Pause"),
    "key.pause.help": (
        "暂停窗口（注明原因）；暂停中再按恢复",
        "Pause the counter with a reason; press again to resume",
    ),
    "key.close_counter": ("关闭窗口", "Close"),
    "key.close_counter.help": (
        "下班关闭窗口并退出登录（需确认）",
        "Close the counter for the day and log out (asks first)",
    ),
    "key.logout": ("退出登录", "Log out"),
    "key.logout.help": (
        "退出登录，窗口保持原状态（需确认）",
        "Log out; the counter stays as it is (asks first)",
    ),
    "key.help": ("帮助", "Help"),
    "key.help.help": ("显示全部按键", "Show every key"),
    "key.quit": ("退出", "Quit"),
    "key.quit.help": ("退出程序", "Quit the program"),
    # printing
    "print.queued": ("已排队", "queued"),
    "print.printing": ("打印中", "printing"),
    "print.done": ("已打印", "printed"),
    "print.failed": ("失败", "failed"),
    "print.unconfirmed": ("未确认：可能没有打印", "unconfirmed: may not have printed"),
}
