"""Strings of the help screen."""

STRINGS: dict[str, tuple[str, str]] = {
    "help.title": ("按键帮助", "Keys"),
    "help.footer": (
        "同一个键在每个界面都做同一件事 · Esc 关闭",
        "The same key does the same thing on every screen · Esc closes",
    ),
    "help.group.ticket": ("办理", "Tickets"),
    "help.group.counter": ("窗口", "Counter"),
    "help.group.session": ("登录", "Session"),
    "help.group.app": ("通用", "Everywhere"),
}
