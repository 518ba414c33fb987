"""A screen over the hall server is the station its token names, not this machine's host
name: reception started as the docs say (``--server``, no ``--station``) prints on that
station's printer."""

from __future__ import annotations

from console.remote import RemoteHall
from console.tui.app import build_app
from console.tui.settings import Settings
from tests.server.conftest import Server, build_hall, free_port, register


def test_a_screen_over_the_server_is_the_station_its_token_names(tmp_path):
    db = tmp_path / "hall.db"
    build_hall(db, clerks=1, counters=1)
    server = Server(db, free_port())
    server.tokens["reception-1"] = register(db, "reception-1")
    server.start()
    hall = RemoteHall(server.url, token=server.tokens["reception-1"])
    try:
        settings = Settings(lang="en", station="this-host", screen="reception")
        app = build_app(hall, settings)
        assert app.settings.station == "reception-1"  # its printers, logins and print jobs

        opened = build_app(lambda: hall, settings)  # opened after the first frame, as the CLI
        opened._opened(hall)
        assert opened.settings.station == "reception-1"
    finally:
        hall.close()
        server.stop()
