"""The hall-wide station screens from the shell: ``qconsole floor`` (manager),
``qconsole reception`` (issue tickets, check in appointments) and ``qconsole board``
(the public display)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from console.cli.common import DbOpt, ServerOpt, guarded, open_hall, station_name
from console.cli.screens import LangOpt, ThemeOpt

ClerkOpt = Annotated[
    str | None,
    typer.Option("--clerk", help="Staff number to pre-fill on the login screen.",
                 show_default=False),
]  # fmt: skip


def _run(screen: str, db: Any, server: Any, lang: str | None, theme: str | None,
         **extra: Any) -> None:  # fmt: skip
    from console.tui.settings import Settings, normalise_language, normalise_theme

    settings = Settings(
        lang=normalise_language(lang),
        theme=normalise_theme(theme),
        station=station_name(),
        screen=screen,
        **extra,
    )
    hall = open_hall(db, server, wait=True)
    try:
        from console.tui.app import build_app

        build_app(hall, settings).run()
    finally:
        hall.close()


@guarded
def floor(
    db: DbOpt = None,
    server: ServerOpt = None,
    lang: LangOpt = None,
    theme: ThemeOpt = None,
    clerk: ClerkOpt = None,
) -> None:
    """The floor view for the floor manager (manager or admin login): every counter and
    service live, green-channel cases, alerts and the day by hour; open, pause or close a
    counter, move or cancel a ticket.  Example: qconsole floor --lang en --theme contrast"""
    _run("floor", db, server, lang, theme, staff_no=clerk)


@guarded
def reception(
    db: DbOpt = None,
    server: ServerOpt = None,
    lang: LangOpt = None,
    theme: ThemeOpt = None,
    clerk: ClerkOpt = None,
    no_print: Annotated[bool, typer.Option("--no-print", help="Do not print tickets "
                                           "(the number is only shown).")] = False,
) -> None:  # fmt: skip
    """Reception (guide desk): search a service, flag the green channel or the low-position
    counter, issue and print the ticket; F5 checks in an appointment by its code.
    Example: qconsole reception --clerk 1001"""
    _run("reception", db, server, lang, theme, staff_no=clerk, print_tickets=not no_print)


@guarded
def board(
    db: DbOpt = None,
    server: ServerOpt = None,
    lang: LangOpt = None,
    theme: ThemeOpt = None,
    voice: Annotated[bool, typer.Option("--voice", help="Announce each call through this "
                                        "machine's speakers, as qconsole announce makes it "
                                        "(off by default).")] = False,
    voice_player: Annotated[str | None, typer.Option("--voice-player", help="The program that "
                                                     "plays a WAV (its last argument); default: "
                                                     "aplay, paplay, pw-play or play.",
                                                     show_default=False)] = None,
) -> None:  # fmt: skip
    """The public board for the waiting room: the latest calls in large digits, the last
    eight calls and the waiting per service, captions in Chinese and English by turns.
    No login.  Example: qconsole board --theme contrast --voice"""
    _run("board", db, server, lang, theme, voice=voice, voice_player=voice_player)
