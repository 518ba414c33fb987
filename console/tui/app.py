"""The app factory: the CLI, the demo and the tests all build the app with ``build_app``.

The app holds what every screen needs, as attributes going down: the
service (``HallService``: in-process or remote, the screens cannot tell),
the settings, the translator ``t`` and the hall's clock. Screens are pushed
by name from ``settings.screen``; later screens (floor, reception, board)
register themselves in ``SCREENS_BY_NAME``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual.app import App
from textual.screen import Screen

from console.domain import Actor
from console.engine.clock import Clock
from console.service import HallService
from console.tui.bindings import APP, bindings_for
from console.tui.i18n import Translator
from console.tui.messages import HallOpened
from console.tui.settings import Settings, normalise_language, normalise_theme
from console.tui.themes import THEMES


def _desk(app: QConsoleApp) -> Screen:
    from console.tui.screens import DeskScreen, LoginScreen

    if app.settings.actor is not None:
        return DeskScreen(app.settings.actor)
    return LoginScreen(DeskScreen)


HallOpener = Callable[[], HallService]
"""Opens the hall (imports the engine, reads the file or reaches the server) in a worker."""

WALL_CLOCK = Clock()
"""The clock of a service that has none: this machine's (or ``QCONSOLE_NOW``'s)."""

SCREENS_BY_NAME: dict[str, Callable[[QConsoleApp], Screen]] = {"desk": _desk}
"""How each station kind starts: a function from the app to its first screen."""


def _station(name: str) -> Callable[[QConsoleApp], Screen]:
    """A hall-wide screen's start (``console.tui.screens.<name>.start``), imported when used."""
    import importlib

    return lambda app: importlib.import_module(f"console.tui.screens.{name}").start(app)


SCREENS_BY_NAME.update({name: _station(name) for name in ("floor", "reception", "board")})


class QConsoleApp(App):
    """The station app; one per terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "qconsole"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = bindings_for(*APP)

    def __init__(self, service: HallService | HallOpener, settings: Settings) -> None:
        super().__init__()
        opener = service if callable(service) and not hasattr(service, "counter_view") else None
        self.service: HallService | None = None if opener else service
        """The ``HallService``; None until an opener given to ``build_app`` has run."""
        self._opener: HallOpener | None = opener
        self.open_error: Exception | None = None
        """Why the opener failed (the app then exits with its exit code)."""
        self.settings = settings
        self._adopt_station(self.service)
        self.t = Translator(settings.lang)
        self._hall_name: str | None = None

    def on_mount(self) -> None:
        for theme in THEMES.values():
            self.register_theme(theme)
        self.theme = THEMES[self.settings.theme].name
        self.set_class(self.settings.theme == "contrast", "-contrast")
        self.push_screen(SCREENS_BY_NAME[self.settings.screen](self))
        if self._opener is not None:
            # after the first frame: the opener's imports would hold the import lock meanwhile
            self.call_after_refresh(
                self.run_worker, self._open, thread=True, group="open", name="open hall"
            )

    def _open(self) -> None:
        """Open the hall after the first frame (importing the engine takes a while); a hall that
        cannot be opened ends the app with the CLI's exit code and one line."""
        import sqlite3

        from console.domain.errors import QConsoleError, Unavailable

        try:
            service = self._opener()
        except QConsoleError as exc:
            self.call_from_thread(self._failed, exc)
            return
        except (sqlite3.Error, OSError) as exc:
            failure = Unavailable(reason="hall.failure", kind=type(exc).__name__, detail=str(exc))
            self.call_from_thread(self._failed, failure)
            return
        self.call_from_thread(self._opened, service)

    def _failed(self, error: Exception) -> None:
        self.open_error = error
        self.exit(return_code=getattr(error, "exit_code", 1))

    def _opened(self, service: HallService) -> None:
        self.service = service
        self._adopt_station(service)
        for screen in self.screen_stack:
            screen.post_message(HallOpened())

    def _adopt_station(self, service: HallService | None) -> None:
        """Over the hall server the token names the station: its printers, its logins and
        its print jobs are that station's, whatever this machine's host name is."""
        named = getattr(service, "station", None)
        if isinstance(named, str) and named and named != self.settings.station:
            self.settings = replace(self.settings, station=named)

    def service_clock(self) -> Clock:
        """The hall's clock (pinned in tests), or this machine's for a remote hall."""
        return getattr(self.service, "clock", None) or WALL_CLOCK

    def now(self) -> float:
        return self.service_clock().now()

    def hall_name(self) -> str:
        """The hall's name from its settings (read once; called from workers)."""
        if self._hall_name is None:
            try:
                self._hall_name = str(self.service.settings().get("hall_name") or "")
            except Exception:
                return ""
        return self._hall_name

    def action_help(self) -> None:
        from console.tui.screens import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(getattr(self.screen, "KEY_ACTIONS", ())))


def build_app(service: HallService | HallOpener, settings: Settings | None = None) -> QConsoleApp:
    """The app over ``service``; the one way the CLI and tests make it.

    ``service`` is a ``HallService``, or a function that opens one: then the first frame is
    drawn at once and the hall is opened in a worker (screens get ``HallOpened``), which is
    what the CLI does so a station starts as fast as a bare Textual app.
    """
    return QConsoleApp(service, settings or Settings())


def run_demo_desk(hall: HallService, lang: str | None = None, theme: str | None = None) -> None:
    """``qconsole demo``: counter 1's console, logged in as the demo clerk, counter open."""
    from console.demo import DEMO_CLERK

    settings = Settings(
        counter=1,
        lang=normalise_language(lang),
        theme=normalise_theme(theme),
        station="demo-desk-1",
    )
    actor: Actor = hall.login(DEMO_CLERK[0], DEMO_CLERK[1], settings.station)
    hall.open_counter(actor, 1)
    app = build_app(hall, Settings(**{**settings.__dict__, "actor": actor}))
    try:
        app.run()
    finally:
        hall.close()
