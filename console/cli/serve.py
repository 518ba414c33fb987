"""``qconsole serve``: the hall server for the LAN (the database stays on this machine)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from console.cli.common import DbOpt, default_db, guarded, out
from console.domain.errors import BadInput, Unavailable

DEFAULT_PORT = 8450


def _configure_logging(level: str, access_log: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    access = logging.getLogger("qconsole.access")
    access.handlers[:] = [handler]
    access.propagate = False
    access.setLevel(logging.INFO if access_log else logging.WARNING)
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def run_server(
    db: Path, host: str, port: int, *, tls_cert: Path | None = None, tls_key: Path | None = None,
    grace: float = 10.0, log_level: str = "info", access_log: bool = True,
    forwarded_allow_ips: str | None = None, app: Any = None,
) -> None:  # fmt: skip
    """Serve the hall at ``db`` until SIGTERM/SIGINT; in-flight requests finish first."""
    import uvicorn

    from console.local import LocalHall
    from console.server.app import create_app

    LocalHall(db).close()  # refuse a missing, foreign or unmigrated database before listening
    _configure_logging(log_level, access_log)
    app = app or create_app(db)

    class Server(uvicorn.Server):
        """Ends the live streams as soon as shutdown starts, so draining is quick."""

        def handle_exit(self, sig: int, frame: Any) -> None:
            hall = getattr(app.state, "hall", None)
            if hall is not None:
                hall.hub.begin_shutdown()
            super().handle_exit(sig, frame)

    config = uvicorn.Config(
        app, host=host, port=port, log_level=log_level, access_log=False,
        ssl_certfile=str(tls_cert) if tls_cert else None,
        ssl_keyfile=str(tls_key) if tls_key else None,
        timeout_graceful_shutdown=grace, proxy_headers=forwarded_allow_ips is not None,
        forwarded_allow_ips=forwarded_allow_ips, timeout_keep_alive=30,
    )  # fmt: skip
    Server(config).run()


@guarded
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (0.0.0.0: the LAN; "
                                      "127.0.0.1 behind a reverse proxy).")] = "0.0.0.0",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = DEFAULT_PORT,
    tls_cert: Annotated[Path | None, typer.Option("--tls-cert", help="TLS certificate (PEM).")]
    = None,
    tls_key: Annotated[Path | None, typer.Option("--tls-key", help="TLS private key (PEM).")]
    = None,
    grace: Annotated[float, typer.Option("--grace", help="Seconds in-flight requests get to "
                                         "finish on shutdown.")] = 10.0,
    access_log: Annotated[bool, typer.Option("--access-log/--no-access-log",
                                             help="One JSON line per request on stderr.")] = True,
    forwarded_allow_ips: Annotated[str | None, typer.Option(
        "--forwarded-allow-ips", help="Trust X-Forwarded-For from these proxy addresses.")]
    = None,
    db: DbOpt = None,
) -> None:  # fmt: skip
    """Run the hall server for the stations of the LAN.

    Example: qconsole serve --db /srv/qconsole/hall.db --port 8450
    """
    if bool(tls_cert) != bool(tls_key):
        raise BadInput("TLS needs both --tls-cert and --tls-key")
    for f in (tls_cert, tls_key):
        if f is not None and not f.is_file():
            raise Unavailable(f"cannot read {f}")
    if not 0 < port < 65536:
        raise BadInput(f"a port is 1-65535, not {port}")
    path = db or default_db()
    scheme = "https" if tls_cert else "http"
    out.print(f"qconsole hall server: {path} on {scheme}://{host}:{port}", markup=False)
    run_server(path, host, port, tls_cert=tls_cert, tls_key=tls_key, grace=grace,
               access_log=access_log, forwarded_allow_ips=forwarded_allow_ips)  # fmt: skip
