"""One screen per module: login, desk (the counter console), help."""

from console.tui.screens.desk import DeskScreen
from console.tui.screens.help import HelpScreen
from console.tui.screens.login import LoginScreen

__all__ = ["DeskScreen", "HelpScreen", "LoginScreen"]
