"""The hall server: the engine in one process behind an HTTP API for the stations of the LAN.

``app`` (the factory), ``operations`` (every operation, declared once), ``routes``
(the routes made from them), ``schemas`` (request and response bodies), ``auth``
(station tokens, clerk sessions), ``stream`` (the live change feed), ``hall`` (the
engine as the server holds it), ``printing`` (which printer is driven by whom).

The package imports no web framework by itself: the remote client reads
``operations`` and ``schemas`` without starting a server.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from console.server.app import create_app

        return create_app
    raise AttributeError(name)
