"""A station's credentials: its token (given, ``QCONSOLE_TOKEN`` or the per-user file
``qconsole stations save-token`` writes), and the warning when they would cross the
network unencrypted."""

from __future__ import annotations

import ipaddress
import os
import warnings
from pathlib import Path

import httpx

from console.domain.errors import BadInput


class PlainHttpWarning(UserWarning):
    """Credentials (the station token, clerk PINs) go unencrypted to another machine."""


_WARNED: set[str] = set()


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: nothing leaves the machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def warn_plain_http(url: str) -> None:
    """Say once per host that credentials will cross the network in clear text."""
    parsed = httpx.URL(url)
    if parsed.scheme != "http" or is_loopback(parsed.host) or parsed.host in _WARNED:
        return
    _WARNED.add(parsed.host)
    warnings.warn(PlainHttpWarning(
        f"{url} is plain HTTP to another machine: the station token and clerk PINs cross the "
        "network unencrypted; ask the admin for an https:// address"), stacklevel=3)  # fmt: skip


def token_file() -> Path:
    """Where a station keeps its token when QCONSOLE_TOKEN is not set (``qconsole stations
    save-token`` writes it, the remote client reads it)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "qconsole" / "station-token"


def find_token(token: str | None = None) -> str:
    """The station token: given, ``QCONSOLE_TOKEN``, or the per-user token file."""
    token = token or os.environ.get("QCONSOLE_TOKEN")
    if not token:
        path = token_file()
        if path.is_file():
            token = path.read_text(encoding="utf-8").strip()
    if not token:
        raise BadInput(reason="station.no_token")
    return token
