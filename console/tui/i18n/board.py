"""Strings of the public board (both languages are shown there, alternating)."""

STRINGS: dict[str, tuple[str, str]] = {
    "board.title": ("叫号", "Now calling"),
    "board.latest": ("请到窗口", "Please go to the counter"),
    "board.counter": ("{n}号窗口", "Counter {n}"),
    "board.recent": ("最近叫号", "Recent calls"),
    "board.waiting": ("等候人数", "Waiting"),
    "board.n_waiting": ("{n}人", "{n}"),
    "board.none": ("暂无叫号", "No calls yet"),
    "board.closed": ("当前不在办理时段", "The hall is closed"),
    "board.closed_holiday": ("今日休息（{holiday}）", "Closed today ({holiday})"),
    "board.closed_next": ("当前不在办理时段 · 下一时段 {when}", "Closed · next session {when}"),
    "board.voice_off": ("语音播报已关闭：{why}", "Voice is off: {why}"),
    "board.voice_failed": ("语音播报失败：{why}", "An announcement failed: {why}"),
}  # fmt: skip
