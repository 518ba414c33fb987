"""Strings of the login screen."""

STRINGS: dict[str, tuple[str, str]] = {
    "login.title": ("qconsole 窗口登录", "qconsole counter login"),
    "login.counter": ("{n}号窗口", "Counter {n}"),
    "login.counter_named": ("{n}号窗口 · {name}", "Counter {n} · {name}"),
    "login.staff_no": ("工号", "Staff number"),
    "login.staff_no_hint": ("例如 1001", "e.g. 1001"),
    "login.pin": ("密码", "PIN"),
    "login.pin_hint": ("输入后按回车", "then press Enter"),
    "login.submit": ("登录并开窗", "Log in and open the counter"),
    "login.need_staff": ("请输入工号", "Enter your staff number"),
    "login.need_pin": ("请输入密码", "Enter your PIN"),
    "login.checking": ("正在验证…", "Checking…"),
}
