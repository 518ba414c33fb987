"""The hall server: the engine in one process behind an HTTP API for the stations of the LAN.

``app`` (the factory), ``routes`` (every interface operation), ``schemas``
(request bodies), ``auth`` (station tokens, clerk sessions), ``stream`` (the
live change feed), ``hall`` (the engine as the server holds it), ``printing``
(which printer is driven by whom).
"""

from console.server.app import create_app

__all__ = ["create_app"]
