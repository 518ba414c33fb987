"""The hall servers a station may use (``--server URL,URL``), and the one it is on.

A hall with a standby lists the primary first and the standby after it. The
station stays on the server it is on while that one answers; when it stops
answering for a whole retry window, the request and the event stream move to
the next one (and round again: a standby that is not serving yet refuses
connections, so the station comes back to the first). What an action that may
have reached a server is allowed to do next is ``RemoteHall``'s business; this
only keeps the list and the current position, shared by the requests and the
stream.
"""

from __future__ import annotations

import os
import ssl
import threading

from console.domain.errors import BadInput


def hall_tls(verify: bool | str | ssl.SSLContext | None = None) -> bool | ssl.SSLContext:
    """How a station checks the server's certificate: the hall's own certificate authority
    when ``QCONSOLE_CA`` names one (a PEM file), else the system's."""
    if verify is None:
        verify = os.environ.get("QCONSOLE_CA") or True
    if isinstance(verify, str):
        try:
            return ssl.create_default_context(cafile=verify)
        except (OSError, ssl.SSLError) as exc:
            raise BadInput(reason="server.bad_ca", path=verify, detail=str(exc)) from None
    return verify


class ServerList:
    """The servers in the admin's order; ``current`` is the one this station uses."""

    def __init__(self, urls: list[str]):
        if not urls:
            raise BadInput(reason="server.bad_url", value="''")
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise BadInput(reason="server.bad_url", value=repr(url))
        self.urls = urls
        self._index = 0
        self._lock = threading.Lock()

    @classmethod
    def parse(cls, text: str) -> ServerList:
        """``https://hall-a:8450,https://hall-b:8450`` (repeats dropped, order kept)."""
        urls: list[str] = []
        for part in str(text).split(","):
            url = part.strip().rstrip("/")
            if url and url not in urls:
                urls.append(url)
        return cls(urls or [str(text)])

    @property
    def current(self) -> str:
        return self.urls[self._index]

    @property
    def primary(self) -> str:
        return self.urls[0]

    def __len__(self) -> int:
        return len(self.urls)

    def advance(self, failed: str) -> str:
        """Move on from ``failed`` to the next server (unless another caller already moved);
        the server to use now."""
        with self._lock:
            if self.urls[self._index] == failed:
                self._index = (self._index + 1) % len(self.urls)
            return self.urls[self._index]
