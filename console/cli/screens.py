"""The station screens from the shell: ``qconsole desk COUNTER`` (floor, reception and board
join here as they are built)."""

from __future__ import annotations

from typing import Annotated

import typer

from console.cli.common import DbOpt, ServerOpt, default_db, guarded, open_hall, station_name
from console.domain.errors import NotFound, Unavailable

LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        envvar="QCONSOLE_LANG",
        show_default=False,
        help="zh-CN or en (default: from the locale, LANG / LC_ALL).",
    ),
]
ThemeOpt = Annotated[
    str | None,
    typer.Option(
        "--theme",
        envvar="QCONSOLE_THEME",
        show_default=False,
        help="default, or contrast (high contrast, large text).",
    ),
]


@guarded
def desk(
    counter: Annotated[int, typer.Argument(help="The counter (window) number this station runs.")],
    db: DbOpt = None,
    server: ServerOpt = None,
    lang: LangOpt = None,
    theme: ThemeOpt = None,
    clerk: Annotated[
        str | None,
        typer.Option(
            "--clerk", help="Staff number to pre-fill on the login screen.", show_default=False
        ),
    ] = None,
) -> None:
    """The counter console: log in with staff number and PIN, then call, serve and finish
    tickets with one key each (F1 lists the keys).  Example: qconsole desk 3 --lang en"""
    from console.tui.settings import Settings, normalise_language, normalise_theme

    settings = Settings(
        counter=counter,
        lang=normalise_language(lang),
        theme=normalise_theme(theme),
        station=station_name(),
        staff_no=clerk,
    )
    if server is None and not (db or default_db()).exists():
        raise Unavailable(reason="cli.no_hall_init", path=db or default_db())
    opened: list = []

    def open_desk_hall():
        """Runs in the app after its first frame: importing the engine takes a moment."""
        hall = open_hall(db, server, wait=True)
        opened.append(hall)
        try:
            counters = hall.list_counters()
        except Unavailable:  # no server answers yet: the screen says so and waits for one
            return hall
        if not any(c.number == counter for c in counters):
            raise NotFound(reason="cli.no_counter", counter=counter)
        return hall

    from console.tui.app import build_app

    app = build_app(open_desk_hall, settings)
    try:
        app.run()
    finally:
        for hall in opened:
            hall.close()
    if app.open_error is not None:
        raise app.open_error
