"""Refusals at a counter: counters, tickets and their lifecycle, appointments.

``{code: (zh-CN, en)}``; merged into ``console.domain.reasons.REASONS``."""

from __future__ import annotations

TICKETS: dict[str, tuple[str, str]] = {
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
        "{ticket} 当前状态为“{status}”，不能{verb}",
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
}
